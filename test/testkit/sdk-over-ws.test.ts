import { rawSocketOf, SDK_OVER_WS_SEAM } from "../../testkit/sdkOverWs.ts";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.ts";

const require = createRequire(new URL("../../", import.meta.url));
const seamMoved = `Testkit seam moved: ${SDK_OVER_WS_SEAM}. Read testkit/sdkOverWs.ts before upgrading.`;

describe(SDK_OVER_WS_SEAM, () => {
  const server = useTestServer();

  it("finds the SDK's transport choosing its WebSocket class once, when it loads", () => {
    const transport = readFileSync(join(dirname(require.resolve("@colyseus/sdk/package.json")), "build/transport/WebSocketTransport.mjs"), "utf8");
    expect(transport, seamMoved).toMatch(/^const WebSocket = globalThis\.WebSocket \|\| NodeWebSocket;$/m);
  });

  it("puts an SDK room on a ws socket whose TCP socket a test can reach, and gives the global back", async () => {
    expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket).toBe("function");
    const room = await server().connect("OverWs");
    const socket = rawSocketOf(room);
    expect(typeof socket._socket.pause, seamMoved).toBe("function");
    await room.leave(true);
  });
});

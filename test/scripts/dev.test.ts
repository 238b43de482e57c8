import { spawn } from "node:child_process";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../../testkit/serverProcess.ts";
import { waitFor } from "../helpers/server.ts";

const DEV = new URL("../../scripts/dev.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

describe("npm run dev", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("stops the game server and Vite on %s, freeing both ports", async (signal) => {
    const [gamePort, vitePort] = [await freePort(), await freePort()];
    const dev = spawn(process.execPath, [DEV], {
      cwd: ROOT, stdio: "ignore",
      env: { ...process.env, GAME_SERVER_PORT: String(gamePort), DEV_PORT: String(vitePort), LOG_LEVEL: "warn" },
    });
    const exited = new Promise<number | null>((resolve) => dev.once("exit", (code) => resolve(code)));
    try {
      await waitFor(async () => (await listening(gamePort)) && (await listening(vitePort)), {
        timeoutMs: 40_000, message: "the game server and Vite to listen",
      });
      dev.kill(signal);
      expect(await exited).toBe(0);
      expect([await listening(gamePort), await listening(vitePort)]).toEqual([false, false]);
    } finally {
      if (dev.exitCode === null) dev.kill("SIGKILL");
    }
  }, 60_000);
});

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.ts";

const run = promisify(execFile);

describe("public contract", () => {
  const server = useTestServer();

  it("lets a plain @colyseus/sdk client join, move and see a second client (examples/node-client.ts)", async () => {
    const script = new URL("../../examples/node-client.ts", import.meta.url).pathname;
    const { stdout } = await run(process.execPath, [script, server().url], { timeout: 20_000 });
    expect(stdout).toMatch(/^joined room \S+ as Node One at \(\d+(\.\d+)?, \d+(\.\d+)?\)$/m);
    expect(stdout).toContain("second client sees: Node One");
    const moved = /moved from x=([\d.]+) to x=([\d.]+); the second client sees x=([\d.]+)/.exec(stdout);
    expect(moved).not.toBeNull();
    const [from, to, seen] = moved!.slice(1).map(Number);
    expect(Math.abs(to - from)).toBeGreaterThan(100);
    expect(Math.abs(seen - from)).toBeGreaterThan(0);
  });
});

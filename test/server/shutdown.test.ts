import { spawn, type ChildProcess } from "node:child_process";
import { Client } from "@colyseus/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { ROOM_NAME, ServerMessage } from "../../shared/protocol.ts";
import { waitFor } from "../helpers/server.ts";

const MAIN = new URL("../../server/main.ts", import.meta.url).pathname;

interface RunningServer {
  child: ChildProcess;
  url: string;
  /** Parsed JSON log lines, as they arrive. */
  logs: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Starts `npm start`'s entry point as its own process on a free port and waits for "listening". */
async function startProcess(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, [MAIN, "--no-client-build"], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  let buffered = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) if (line.startsWith("{")) logs.push(JSON.parse(line));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await waitFor(() => logs.some((line) => line.msg === "listening"), { timeoutMs: 15_000, message: "the server to listen" });
  const listening = logs.find((line) => line.msg === "listening")!;
  const port = new URL(String(listening.url)).port;
  return { child, url: `http://127.0.0.1:${port}`, logs, exited };
}

describe("shutdown on SIGTERM", () => {
  let running: RunningServer | undefined;
  afterEach(() => {
    // Only if a test failed before the process ended: stop the server this test started.
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
    running = undefined;
  });

  it("tells every player, stops seating, closes rooms with 4001 and exits 0", async () => {
    running = await startProcess({ SHUTDOWN_GRACE_SECONDS: "1" });
    const clients = await Promise.all(["Ann", "Ben"].map((name) => new Client(running!.url).joinOrCreate(ROOM_NAME, { name })));
    const notices: Array<{ seconds: number }> = [];
    const leaveCodes: number[] = [];
    for (const room of clients) {
      room.onMessage(ServerMessage.serverClosing, (notice: { seconds: number }) => notices.push(notice));
      room.onLeave((code) => leaveCodes.push(code));
    }

    running.child.kill("SIGTERM");
    await waitFor(() => notices.length === 2, { message: "both players to get the shutdown notice" });
    expect(notices).toEqual([{ seconds: 1 }, { seconds: 1 }]);
    await expect(new Client(running.url).joinOrCreate(ROOM_NAME, { name: "Late" })).rejects.toThrow();

    expect(await running.exited).toBe(0);
    expect(leaveCodes).toEqual([4001, 4001]);
    const shuttingDown = running.logs.find((line) => line.msg === "shutting down");
    expect(shuttingDown).toMatchObject({ level: "warn", signal: "SIGTERM", graceSeconds: 1 });
    expect(running.logs.at(-1)).toMatchObject({ msg: "shut down" });
  });

  it("exits 0 at once when no game is running", async () => {
    running = await startProcess({});
    running.child.kill("SIGINT");
    expect(await running.exited).toBe(0);
  });
});

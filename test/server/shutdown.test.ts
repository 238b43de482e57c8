import { guestClient } from "../../client/net/auth.ts";
import { afterEach, describe, expect, it } from "vitest";
import { ROOM_NAME, ServerMessage } from "../../shared/protocol.ts";
import { startServerProcess, type ServerProcess } from "../../testkit/serverProcess.ts";
import { waitFor } from "../helpers/server.ts";

describe("shutdown on SIGTERM", () => {
  let running: ServerProcess | undefined;
  afterEach(() => {
    // Only if a test failed before the process ended: stop the server this test started.
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
    running = undefined;
  });

  it("tells every player, stops seating, closes rooms with 4001 and exits 0", async () => {
    running = await startServerProcess({ SHUTDOWN_GRACE_SECONDS: "1" });
    const clients = await Promise.all(["Ann", "Ben"].map(async (name) => (await guestClient(running!.url)).joinOrCreate(ROOM_NAME, { name })));
    const notices: Array<{ seconds: number }> = [];
    const leaveCodes: number[] = [];
    for (const room of clients) {
      room.onMessage(ServerMessage.serverClosing, (notice: { seconds: number }) => notices.push(notice));
      room.onLeave((code) => leaveCodes.push(code));
    }

    running.child.kill("SIGTERM");
    await waitFor(() => notices.length === 2, { message: "both players to get the shutdown notice" });
    expect(notices).toEqual([{ seconds: 1 }, { seconds: 1 }]);
    await expect((await guestClient(running.url)).joinOrCreate(ROOM_NAME, { name: "Late" })).rejects.toThrow();

    expect(await running.exited).toBe(0);
    // The close frames may be read a moment after the process has gone.
    await waitFor(() => leaveCodes.length === 2, { message: "both clients to be closed" });
    expect(leaveCodes).toEqual([4001, 4001]);
    const shuttingDown = running.logs.find((line) => line.msg === "shutting down");
    expect(shuttingDown).toMatchObject({ level: "warn", signal: "SIGTERM", graceSeconds: 1 });
    expect(running.logs.at(-1)).toMatchObject({ msg: "shut down" });
  });

  it("exits 0 at once when no game is running", async () => {
    running = await startServerProcess({});
    running.child.kill("SIGINT");
    expect(await running.exited).toBe(0);
  });
});

/**
 * Rooms on drain when no live process takes them (issue "Deploys no player
 * notices"): one process restarted in place writes its rooms for the next one
 * at its address, which restores them before it takes connections; a target
 * that stops answering mid-move is taken off the room's lease, the room drains
 * where it was (4001), and the target, when it wakes, refuses it: never two copies.
 */
import { describe, expect, it } from "vitest";
import { freePort } from "../../testkit/serverProcess.ts";
import { logOf, pastMinUptime, useMovingProcesses } from "../helpers/movingProcesses.ts";
import { ownRedisAvailable } from "../helpers/ownRedis.ts";
import { postgresAvailable } from "../helpers/postgres.ts";
import { playerIn, waitFor } from "../helpers/server.ts";

describe.skipIf(!ownRedisAvailable || !postgresAvailable)("rooms on drain with no live process to take them", () => {
  const { startAt, seat } = useMovingProcesses();
  const env = { MIN_PLAYERS: "3" };

  it("keeps the room through an in-place restart of the only process", async () => {
    const port = await freePort();
    const first = await startAt(port, env);
    const ann = await seat(first.url, "create", { name: "Ann" });
    const { roomId, sessionId } = ann.room;
    await pastMinUptime(ann.room);
    const back = new Promise<void>((resolve) => ann.room.onReconnect.once(() => resolve()));

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const [written] = logOf(first, "room written for the next process at this address");
    expect(written).toMatchObject({ roomId, seats: 1 });
    const next = await startAt(port, env);
    await back;

    expect(logOf(next, "room arrived")).toEqual([expect.objectContaining({ roomId, hash: written!.hash, written: written!.hash })]);
    expect(ann.room.roomId).toBe(roomId);
    expect(ann.room.sessionId).toBe(sessionId);
    await waitFor(() => playerIn(ann.room)?.connected === true && ann.room.state.players.size === 3, { message: "Ann and two bots on the new process" });
    const metrics = await (await fetch(`${next.url}/metrics`)).text();
    expect(metrics).toMatch(/arena_rooms_migrated_total\{result="restored_at_boot"\} 1\b/);
  }, 60_000);

  it("drains the room where it is (4001) when the target stops answering, and the target never runs it", async () => {
    const port = await freePort();
    const a = await startAt(port, env);
    const ann = await seat(a.url, "create", { name: "Ann" });
    const { roomId } = ann.room;
    await pastMinUptime(ann.room);
    const left = new Promise<number>((resolve) => ann.room.onLeave.once((code) => resolve(code)));
    const b = await startAt(port, env);

    b.child.kill("SIGSTOP");
    a.child.kill("SIGTERM");
    expect(await left).toBe(4001);
    expect(await a.exited).toBe(0);
    expect(logOf(a, "room not moved: draining it here")).toEqual([expect.objectContaining({ roomId })]);

    b.child.kill("SIGCONT");
    await waitFor(() => logOf(b, "a room offered here was not taken").length === 1, { timeoutMs: 5000, message: "B to refuse the room it was offered" });
    expect(logOf(b, "a room offered here was not taken")[0]).toMatchObject({ roomId });
    const health = await (await fetch(`${b.url}/healthz`)).json() as { rooms: number };
    expect(health.rooms).toBe(0);
  }, 60_000);
});

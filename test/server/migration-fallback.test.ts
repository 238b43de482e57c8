/**
 * Rooms on drain when no live process takes them (issue "Deploys no player
 * notices"): one process restarted in place writes its rooms for the next one
 * at its address, which restores them before it takes connections; a target
 * that stops answering mid-move is taken off the room's lease, the room drains
 * where it was (4001), and the target, when it wakes, refuses it: never two copies.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort, startServerProcess, type ServerProcess } from "../../bench/lib/serverProcess.ts";
import { takeSeat, type Seat } from "../helpers/cluster.ts";
import { ownRedisAvailable, useOwnRedis } from "../helpers/ownRedis.ts";
import { createTestDatabase, postgresAvailable } from "../helpers/postgres.ts";
import { playerIn, waitFor, type ArenaClientRoom } from "../helpers/server.ts";

const AUTH_SECRET = "migration-test-secret-shared-by-every-process";

/** The SDK reconnects by itself only after 5 s in the room (`minUptime`): wait for the match clock to run that long. */
async function pastMinUptime(room: ArenaClientRoom): Promise<void> {
  await waitFor(() => room.state.timeLeft > 0, { message: "the room's state" });
  const start = room.state.timeLeft;
  await waitFor(() => room.state.timeLeft <= start - 6, { timeoutMs: 12_000, message: "six seconds of match clock" });
}

describe.skipIf(!ownRedisAvailable || !postgresAvailable)("rooms on drain with no live process to take them", () => {
  const ownRedis = useOwnRedis();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const processes: ServerProcess[] = [];
  const seats: Seat[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  afterEach(async () => {
    await Promise.allSettled(seats.splice(0).filter(({ room }) => room.connection.isOpen).map(({ room }) => room.leave(true)));
    for (const server of processes.splice(0)) {
      if (server.child.signalCode === "SIGSTOP") server.child.kill("SIGCONT");
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    }
  });

  async function startAt(port: number): Promise<ServerProcess> {
    const server = await startServerProcess({
      PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, REDIS_URL: ownRedis().url, DATABASE_URL: database.url,
      AUTH_SECRET, MIN_PLAYERS: "3", SHUTDOWN_GRACE_SECONDS: "1", RECONNECT_SECONDS: "30",
    });
    processes.push(server);
    return server;
  }

  const logOf = (server: ServerProcess, msg: string) => server.logs.filter((line) => line.msg === msg);

  it("keeps the room through an in-place restart of the only process", async () => {
    const port = await freePort();
    const first = await startAt(port);
    const ann = await takeSeat(first.url, "create", { name: "Ann" });
    seats.push(ann);
    const { roomId, sessionId } = ann.room;
    await pastMinUptime(ann.room);
    const back = new Promise<void>((resolve) => ann.room.onReconnect.once(() => resolve()));

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const [written] = logOf(first, "room written for the next process at this address");
    expect(written).toMatchObject({ roomId, seats: 1 });
    const next = await startAt(port);
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
    const a = await startAt(port);
    const ann = await takeSeat(a.url, "create", { name: "Ann" });
    seats.push(ann);
    const { roomId } = ann.room;
    await pastMinUptime(ann.room);
    const left = new Promise<number>((resolve) => ann.room.onLeave.once((code) => resolve(code)));
    const b = await startAt(port);

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

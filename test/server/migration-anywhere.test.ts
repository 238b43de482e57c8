/**
 * Rooms that move to a process at another address (issue "Deploys
 * anywhere"): real processes at 127.0.0.2, .3, … on the machine's Redis and
 * PostgreSQL, matchmaking through a front at 127.0.0.1 (a load balancer's
 * place). A room with people, a held seat, bots and a spectator moves from A
 * to B, then to C; SDK clients follow it with the contract's few lines
 * (`followRoomMoves`). An admin's drain scales a process with three rooms down
 * onto two others; with no process left, the room drains where it is (4001)
 * and the game client quick-plays into a process started since (DrainMove).
 */
import { WebSocket } from "ws";
import { describe, expect, it } from "vitest";
import { DrainMove } from "../../client/net/drainMove.ts";
import { configureReconnection } from "../../client/net/reconnection.ts";
import { followRoomMoves } from "../../client/net/roomFollow.ts";
import { ArenaSession } from "../../client/net/session.ts";
import { sdkAt, takeSeat, watchThrough, type Seat } from "../helpers/cluster.ts";
import { processIdOf, requestDrain, useAddressedProcesses, type AddressedProcess } from "../helpers/movingAddresses.ts";
import { logOf, reconnectionOf } from "../helpers/movingProcesses.ts";
import { postgresAvailable } from "../helpers/postgres.ts";
import { redisAvailable } from "../helpers/redis.ts";
import { playerIn, waitFor, type ArenaClientRoom } from "../helpers/server.ts";

const REDIS_DB = 13;

/** The close code a raw WebSocket to `url` is refused with. */
function refusalOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("close", (code) => resolve(code));
    socket.once("error", reject);
  });
}

/** Names and scores as `room`'s client sees them. */
function scoresOf(room: ArenaClientRoom): Map<string, { name: string; score: number }> {
  const scores = new Map<string, { name: string; score: number }>();
  room.state.players.forEach((player, id) => scores.set(id, { name: player.name, score: player.score }));
  return scores;
}

describe.skipIf(!redisAvailable || !postgresAvailable)("rooms move to a process at another address", () => {
  const processes = useAddressedProcesses(REDIS_DB);
  const seats: Seat[] = [];
  /** A seat through the front whose client follows moves as the contract shows. */
  const follower = async (...args: Parameters<typeof takeSeat>) => {
    const seat = await takeSeat(...args);
    // The browser client's reconnection policy: it reconnects at once, not after 5 s in the room.
    configureReconnection(seat.room);
    followRoomMoves(seat.room, processes.front());
    seats.push(seat);
    return seat;
  };
  /** Leaves every seat still connected (a closed one would wait forever). */
  const leaveAll = () => Promise.allSettled(seats.splice(0).filter(({ room }) => room.connection.isOpen).map(({ room }) => room.leave(true)));
  const drain = async (from: AddressedProcess) => {
    processes.unroute(from);
    from.server.child.kill("SIGTERM");
    expect(await from.server.exited).toBe(0);
  };

  it("moves a room with people, a held seat, bots and a spectator from A to B to C, each at its own address", async () => {
    const a = await processes.startAt("127.0.0.2", { MIN_PLAYERS: "4" });
    const front = processes.front();
    const ann = await follower(front, "create", { name: "Ann", private: true });
    const code = ann.room.roomId;
    expect(ann.address).toBe(a.address);
    const bob = await follower(front, "joinById", { name: "Bob" }, code);
    const cid = await follower(front, "joinById", { name: "Cid" }, code);
    const dee = await watchThrough(front, code, "Dee");
    configureReconnection(dee);
    followRoomMoves(dee, front);
    seats.push({ room: dee, address: a.address });
    await waitFor(() => ann.room.state.players.size === 4, { message: "a bot to fill the fourth seat" });
    cid.room.reconnection.enabled = false;
    cid.room.connection.close(3000, "away");
    await waitFor(() => playerIn(ann.room, cid.room.sessionId)?.connected === false, { message: "Cid to be away" });
    const ids = [ann, bob].map(({ room }) => room.sessionId).concat(dee.sessionId);

    let previous = a;
    for (const host of ["127.0.0.3", "127.0.0.4"]) {
      const next = await processes.startAt(host, { MIN_PLAYERS: "4" });
      const back = [ann.room, bob.room, dee].map(reconnectionOf);
      const before = scoresOf(ann.room);
      await drain(previous);
      await Promise.all(back);
      const [departed] = logOf(previous.server, "room moved");
      expect(departed).toMatchObject({ roomId: code, address: next.address, seats: 4 });
      expect(logOf(next.server, "room arrived")).toEqual([expect.objectContaining({ roomId: code, hash: departed!.hash, written: departed!.hash })]);
      // The same Room objects and session ids, every name, no score lost, Cid still away but seated.
      expect([ann.room, bob.room, dee].map((room) => room.roomId)).toEqual([code, code, code]);
      expect([ann.room.sessionId, bob.room.sessionId, dee.sessionId]).toEqual(ids);
      expect(new URL((ann.room.connection as unknown as { url: string }).url).host).toBe(next.address);
      await waitFor(() => playerIn(ann.room, bob.room.sessionId)?.connected === true, { message: "Ann to see Bob back" });
      for (const [id, was] of before) {
        expect(scoresOf(ann.room).get(id)?.name).toBe(was.name);
        expect(scoresOf(ann.room).get(id)!.score).toBeGreaterThanOrEqual(was.score);
      }
      expect(playerIn(ann.room, cid.room.sessionId)?.connected).toBe(false);
      expect(ann.room.state.spectators).toBe(1);
      const health = await (await fetch(`${next.url}/healthz`)).json() as { rooms: number };
      expect(health.rooms).toBe(1);
      previous = next;
    }

    // At C: a forged token is refused, by the matchmaker and at the socket; Cid's own takes the seat back once, not twice.
    await expect((await sdkAt(front)).reconnect(`${code}:forged`)).rejects.toThrow();
    expect(await refusalOf(`ws://${previous.address}/any/${code}?sessionId=${cid.room.sessionId}&reconnectionToken=forged`)).toBe(4003);
    const cidBack = await (await sdkAt(front)).reconnect(cid.room.reconnectionToken) as ArenaClientRoom;
    seats.push({ room: cidBack, address: previous.address });
    expect(cidBack.sessionId).toBe(cid.room.sessionId);
    await waitFor(() => playerIn(ann.room, cid.room.sessionId)?.connected === true, { message: "Ann to see Cid back" });
    await expect((await sdkAt(front)).reconnect(cid.room.reconnectionToken)).rejects.toThrow();
    await leaveAll();
  }, 120_000);

  it("scales down: an admin's drain moves a process's three rooms onto the two others by players, and it exits", async () => {
    // Three rooms on A (alone when they are made); two players on C (in rooms of its own, the least loaded); then B.
    const a = await processes.startAt("127.0.0.2");
    const rooms: Seat[] = [];
    for (const size of [3, 2, 1]) {
      const host = await follower(a.url, "create", { name: `Host ${size}` });
      rooms.push(host);
      for (let i = 1; i < size; i++) await follower(a.url, "joinById", { name: `Guest ${size}.${i}` }, host.room.roomId);
    }
    const c = await processes.startAt("127.0.0.4");
    for (const name of ["Busy", "Busier"]) expect((await follower(c.url, "create", { name })).address).toBe(c.address);
    const b = await processes.startAt("127.0.0.3");
    expect(rooms.every((seat) => seat.address === a.address)).toBe(true);
    const [aId, cId] = await Promise.all([processIdOf(a.url), processIdOf(c.url)]);
    await waitFor(async () => await processes.playersCounted(aId) === 6 && await processes.playersCounted(cId) === 2, { message: "A's and C's players counted" });

    const back = seats.filter((seat) => seat.address === a.address).map(({ room }) => reconnectionOf(room));
    processes.unroute(a);
    const answer = await requestDrain(b.url, aId);
    expect(answer.status).toBe(202);
    expect(await answer.json()).toMatchObject({ address: a.address });
    await Promise.all(back);
    expect(await a.server.exited).toBe(0);

    const moved = logOf(a.server, "room moved");
    expect(moved).toHaveLength(3);
    // The room of three goes to B (no players), the room of two to C (two players), the room of one to B (three by then).
    const to = Object.fromEntries(moved.map((line) => [String(line.roomId), line.address]));
    expect(rooms.map(({ room }) => to[room.roomId])).toEqual([b.address, c.address, b.address]);
    for (const { room } of rooms) expect(playerIn(room)?.connected).toBe(true);
    expect(await requestDrain(b.url, "no-such-process")).toHaveProperty("status", 404);
    const refused = await fetch(`${b.url}/api/admin/drain`, { method: "POST" });
    expect(refused.status).toBe(401);
    await leaveAll();
  }, 120_000);

  it("drains the room where it is (4001) when the last process is removed, and the game client plays on elsewhere", async () => {
    const a = await processes.startAt("127.0.0.2");
    const game = await ArenaSession.enter(processes.front(), { kind: "quickPlay", name: "Gamer" });
    await waitFor(() => game.me?.connected === true, { message: "the game client in its room" });
    let arrived: ArenaSession | undefined;
    const move = new DrainMove(game, (next) => { arrived = next; });
    processes.unroute(a);
    expect((await requestDrain(a.url)).status).toBe(202);
    await waitFor(() => logOf(a.server, "drain plan").length === 1, { message: "A's drain plan" });
    // A process started after the plan takes no room from A: the players find it by quick play.
    const b = await processes.startAt("127.0.0.3");
    await waitFor(() => { move.update(); return arrived !== undefined || move.failure !== undefined; }, {
      timeoutMs: 30_000, message: () => `the move to another game (status ${game.status}, code ${game.closedCode}, underway ${move.underway})`,
    });
    expect(game.closedCode).toBe(4001);
    expect(move.failure).toBeUndefined();
    expect(await a.server.exited).toBe(0);
    expect(logOf(a.server, "room not moved: draining it here")).toEqual([expect.objectContaining({ roomId: game.roomId })]);
    try {
      await waitFor(() => arrived!.me?.name === "Gamer", { message: "the player in a game on B under the same name" });
      expect(logOf(b.server, "room arrived")).toEqual([]);
    } finally {
      await arrived!.leave();
    }
  }, 60_000);
});

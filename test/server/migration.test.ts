/**
 * Rooms that move on drain (issue "Deploys no player notices"): real server
 * processes on a Redis of the file's own, sharing one port the way a
 * zero-downtime restart does, and SDK clients with default options. A room
 * with people (one away, seat held), bots and a spectator moves from A to B
 * on SIGTERM under the same id; the clients' own Room objects follow it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { rerunReplay } from "../../shared/replayRun.ts";
import { ArenaSession } from "../../client/net/session.ts";
import { describe, expect, it } from "vitest";
import { freePort } from "../../testkit/serverProcess.ts";
import { sdkAt, watchThrough, type Seat } from "../helpers/cluster.ts";
import { logOf, pastMinUptime, reconnectionOf, useMovingProcesses } from "../helpers/movingProcesses.ts";
import { ownRedisAvailable } from "../helpers/ownRedis.ts";
import { postgresAvailable } from "../helpers/postgres.ts";
import { ownPlayerIn, playerIn, waitFor, type ArenaClientRoom } from "../helpers/server.ts";

/** What a player's client sees of everyone: name, score, connected. */
function rosterOf(room: ArenaClientRoom): Record<string, { name: string; score: number; connected: boolean }> {
  const roster: Record<string, { name: string; score: number; connected: boolean }> = {};
  room.state.players.forEach((player, id) => { roster[id] = { name: player.name, score: player.score, connected: player.connected }; });
  return roster;
}

/** The close code a raw WebSocket to `url` is refused with. */
function refusalOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("close", (code) => resolve(code));
    socket.once("error", reject);
  });
}

describe.skipIf(!ownRedisAvailable || !postgresAvailable)("rooms move to another process on drain", () => {
  const { startAt, seat, seats } = useMovingProcesses();

  it("moves a private room with players, a held seat, bots and a spectator to B under the same id", async () => {
    const port = await freePort();
    const a = await startAt(port);
    const ann = await seat(a.url, "create", { name: "Ann", private: true });
    const code = ann.room.roomId;
    const bob = await seat(a.url, "joinById", { name: "Bob" }, code);
    const cid = await seat(a.url, "joinById", { name: "Cid" }, code);
    const dee: Seat = { room: await watchThrough(a.url, code, "Dee"), address: ann.address };
    seats.push(dee);
    await waitFor(() => ann.room.state.players.size === 4, { message: "a bot to fill the fourth seat" });
    // Cid goes away: the seat is held, Cid is in the state, disconnected.
    cid.room.reconnection.enabled = false;
    cid.room.connection.close(3000, "away");
    await waitFor(() => playerIn(ann.room, cid.room.sessionId)?.connected === false, { message: "Cid to be away" });
    await pastMinUptime(ann.room);

    const moved = [ann, bob, dee].map(({ room }) => reconnectionOf(room));
    const rosterBefore = rosterOf(ann.room);
    const annBody = ownPlayerIn(ann.room)!.body;
    const clockBefore = ann.room.state.timeLeft;
    const b = await startAt(port);
    a.child.kill("SIGTERM");
    await Promise.all(moved);
    expect(await a.exited).toBe(0);

    // One room, the same id, now on B, with the hash A wrote.
    const [departed] = logOf(a, "room moved");
    const [arrived] = logOf(b, "room arrived");
    expect(departed).toMatchObject({ roomId: code, seats: 4 });
    expect(arrived).toMatchObject({ roomId: code, hash: departed!.hash, written: departed!.hash });
    const health = await (await fetch(`${b.url}/healthz`)).json() as { rooms: number };
    expect(health.rooms).toBe(1);

    // The same Room objects, session ids, names, scores (none lost) and match clock; Cid's seat still held.
    for (const { room } of [ann, bob, dee]) expect(room.roomId).toBe(code);
    await waitFor(() => ann.room.state.players.size === 4, { message: "Ann's state to be resynced" });
    const rosterAfter = rosterOf(ann.room);
    expect(Object.keys(rosterAfter).sort()).toEqual(Object.keys(rosterBefore).sort());
    for (const [id, before] of Object.entries(rosterBefore)) {
      expect(rosterAfter[id]!.name).toBe(before.name);
      expect(rosterAfter[id]!.score).toBeGreaterThanOrEqual(before.score);
    }
    expect(rosterAfter[cid.room.sessionId]!.connected).toBe(false);
    expect(ann.room.state.timeLeft).toBeLessThanOrEqual(clockBefore);
    expect(ann.room.state.spectators).toBe(1);
    // Positions ride the unreliable channel on B too, onto the objects the clients had (their reference ids kept).
    expect(ownPlayerIn(ann.room)!.body).toBe(annBody);
    const bobSeen = () => playerIn(ann.room, bob.room.sessionId)!;
    await waitFor(() => bobSeen().x === ownPlayerIn(bob.room)!.body.x && bobSeen().y === ownPlayerIn(bob.room)!.body.y, {
      message: "Ann to see Bob where Bob's own body is",
    });
    const botId = [...Object.keys(rosterAfter)].find((id) => playerIn(ann.room, id)!.bot)!;
    const botAt = `${playerIn(ann.room, botId)!.x},${playerIn(ann.room, botId)!.y}`;
    await waitFor(() => `${playerIn(ann.room, botId)!.x},${playerIn(ann.room, botId)!.y}` !== botAt, { timeoutMs: 10_000, message: "Ann to see the bot move on B" });

    // The private code still leads to the room, through B.
    const eve = await seat(b.url, "joinById", { name: "Eve" }, code);
    expect(eve.room.roomId).toBe(code);
    await waitFor(() => playerIn(ann.room, eve.room.sessionId)?.name === "Eve", { message: "Ann to see Eve join on B" });

    // Cid's token takes Cid's seat back on B (after a reload: through matchmaking); a forged one is refused with 4003.
    expect(await refusalOf(`ws://127.0.0.1:${port}/any/${code}?sessionId=${cid.room.sessionId}&reconnectionToken=forged`)).toBe(4003);
    const cidAgain = await (await sdkAt(b.url)).reconnect(cid.room.reconnectionToken) as ArenaClientRoom;
    seats.push({ room: cidAgain, address: ann.address });
    expect(cidAgain.sessionId).toBe(cid.room.sessionId);
    await waitFor(() => playerIn(ann.room, cid.room.sessionId)?.connected === true, { message: "Ann to see Cid back" });
    await expect((await sdkAt(b.url)).reconnect(cid.room.reconnectionToken)).rejects.toThrow();
  }, 60_000);

  it("moves again on the next drain, shows the game client \"moving\", and reports each move in /metrics", async () => {
    const port = await freePort();
    const a = await startAt(port);
    const ann = await seat(a.url, "create", { name: "Ann" });
    const roomId = ann.room.roomId;
    const game = await ArenaSession.enter(a.url, { kind: "quickPlay", name: "Gamer" });
    expect(game.roomId).toBe(roomId);
    const gamerId = game.sessionId;
    const statuses = new Set<string>();
    const watchStatus = setInterval(() => statuses.add(game.moving ? "moving" : game.status), 5);
    await pastMinUptime(ann.room);
    const hops = [a];
    for (let hop = 1; hop <= 2; hop++) {
      const back = reconnectionOf(ann.room);
      const next = await startAt(port);
      hops.at(-1)!.child.kill("SIGTERM");
      await back;
      await waitFor(() => game.status === "connected" && game.me?.name === "Gamer", { message: "the game client back in the room" });
      expect(await hops.at(-1)!.exited).toBe(0);
      hops.push(next);
      await pastMinUptime(ann.room);
    }
    clearInterval(watchStatus);
    expect([...statuses].sort()).toEqual(["connected", "moving"]);
    expect(game.sessionId).toBe(gamerId);
    await game.leave();
    const last = hops.at(-1)!;
    expect(logOf(last, "room arrived")).toEqual([expect.objectContaining({ roomId })]);
    expect(ann.room.roomId).toBe(roomId);
    expect(playerIn(ann.room)?.name).toBe("Ann");
    const metrics = await (await fetch(`${last.url}/metrics`)).text();
    expect(metrics).toMatch(/arena_room_move_pause_seconds_count 2\b/);
    expect(metrics).toMatch(/arena_rooms_migrated_total\{result="hash_mismatch"\} 0\b/);
  }, 90_000);

  it("keeps recording across the move: one replay file, written by the new home, that reruns to its final hash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arena-move-replays-"));
    try {
      const port = await freePort();
      const a = await startAt(port, { REPLAY_DIR: dir });
      const ann = await seat(a.url, "create", { name: "Ann" });
      await pastMinUptime(ann.room);
      const back = reconnectionOf(ann.room);
      const b = await startAt(port, { REPLAY_DIR: dir });
      a.child.kill("SIGTERM");
      await back;
      expect(await a.exited).toBe(0);
      const [departed] = logOf(a, "room moved");
      const start = ann.room.state.timeLeft;
      await waitFor(() => ann.room.state.timeLeft <= start - 2, { timeoutMs: 5000, message: "two seconds of play on B" });
      // Ann leaves, the bots go, the room closes: the match in progress is written as it stands.
      await ann.room.leave(true);
      await waitFor(() => logOf(b, "match recorded").length === 1, { timeoutMs: 10_000, message: "the recording to be written on B" });
      expect(logOf(a, "match recorded")).toEqual([]);
      const [recorded] = logOf(b, "match recorded");
      const replay = decodeReplay(new Uint8Array(readFileSync(join(dir, String(recorded!.file)))));
      const arrivedAt = Number(logOf(b, "room arrived")[0]!.tick);
      expect(departed).toBeDefined();
      expect(replay.header.start.tick).toBeLessThan(arrivedAt);
      expect(replay.header.start.tick + replay.header.ticks).toBeGreaterThan(arrivedAt);
      const outcome = rerunReplay(replay);
      expect(outcome).toMatchObject({ matches: true, finalHash: recorded!.finalHash });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

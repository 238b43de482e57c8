/**
 * Played matches reaching the player records: a real room, real clients
 * playing for their profiles, server bots filling the room; then the history,
 * the boards and the recording over HTTP. And a two-process cluster on Redis
 * and PostgreSQL showing one board and serving each other's recordings.
 */
import { Client } from "@colyseus/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROOM_NAME, type ArenaView } from "../../shared/protocol.ts";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { rerunReplay } from "../../shared/replayRun.ts";
import { startCluster, type Cluster } from "../helpers/cluster.ts";
import { call, newProfile, profileToken } from "../helpers/playerApi.ts";
import { postgresAvailable, storageBackends } from "../helpers/postgres.ts";
import { redisAvailable, redisTestUrl, useEmptyRedisDatabase } from "../helpers/redis.ts";
import { startTestServer, waitFor, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";

/** Redis database of this file (11–13 belong to other suites). */
const REDIS_DB = 8;

interface HistoryLine { matchId: string; players: number; placement: number; kills: number; replayUrl: string | null }

/** An SDK client whose joins play for the profile with this secret. */
async function playerClient(base: string, secret: string, name: string): Promise<Client> {
  const client = new Client(base);
  client.auth.token = await profileToken(base, secret, name);
  return client;
}

async function historyOf(base: string, id: string): Promise<HistoryLine[]> {
  const answer = await call<{ matches: HistoryLine[] }>(base, "GET", `/api/players/${id}/matches`);
  return answer.status === 200 ? answer.body.matches : [];
}

describe.each(storageBackends())("a played match in the records ($name)", (backend) => {
  let server: TestServer;
  const rooms: ArenaClientRoom[] = [];

  beforeEach(async () => {
    server = await startTestServer({ database: await backend.fresh(), matchSeconds: 2, scoreboardSeconds: 1, minPlayers: 4 });
  });

  afterEach(async () => {
    await Promise.allSettled(rooms.splice(0).map((room) => room.leave(true)));
    await server.close();
    expect(server.logs.filter((line) => line.level === "error")).toEqual([]);
  });

  it("lands once in each player's history, ranks people only, and its recording replays", async () => {
    const ann = await newProfile(server.url, "Ann");
    const bob = await newProfile(server.url, "Bob");
    const first = await (await playerClient(server.url, ann.secret, "Ann")).create<ArenaView>(ROOM_NAME, { name: "Ann" }) as ArenaClientRoom;
    rooms.push(first);
    rooms.push(await (await playerClient(server.url, bob.secret, "Bob")).joinById<ArenaView>(first.roomId, { name: "Bob" }) as ArenaClientRoom);

    await waitFor(async () => (await historyOf(server.url, ann.id)).length > 0, { timeoutMs: 20_000, message: "Ann's first match in her history" });
    // Leave before the next match ends, so exactly the matches played so far are counted.
    await Promise.all(rooms.splice(0).map((room) => room.leave(true)));
    await server.arena.records.queue.whenIdle();
    const annHistory = await historyOf(server.url, ann.id);
    const bobHistory = await historyOf(server.url, bob.id);
    expect(annHistory.map((line) => line.matchId)).toEqual(bobHistory.map((line) => line.matchId));
    expect(new Set(annHistory.map((line) => line.matchId)).size).toBe(annHistory.length);
    const [latest] = annHistory;
    expect(latest!.players).toBe(4);

    const me = await call<{ totals: { matches: number; kills: number } }>(server.url, "GET", "/api/me", { bearer: ann.secret });
    expect(me.body.totals.matches).toBe(annHistory.length);
    expect(me.body.totals.kills).toBe(annHistory.reduce((sum, line) => sum + line.kills, 0));

    const board = await call<{ entries: Array<{ id: string }> }>(server.url, "GET", "/api/leaderboard?board=wins&period=week&limit=10");
    expect(board.status).toBe(200);
    expect(board.body.entries.map((entry) => entry.id).sort()).toEqual([ann.id, bob.id].sort());

    const bytes = new Uint8Array(await (await fetch(`${server.url}${latest!.replayUrl}`)).arrayBuffer());
    const replay = decodeReplay(bytes);
    expect(replay.header).toMatchObject({ complete: true, roomId: first.roomId });
    expect(rerunReplay(replay).matches).toBe(true);
  }, 40_000);
});

describe("results without recordings (REPLAY_RETENTION_DAYS=0, no REPLAY_DIR)", () => {
  it("stores the match and its stats, and no recording", async () => {
    const server = await startTestServer({ replayRetentionDays: 0, matchSeconds: 2, scoreboardSeconds: 1, minPlayers: 3 });
    try {
      const ann = await newProfile(server.url, "Ann");
      const room = await (await playerClient(server.url, ann.secret, "Ann")).create<ArenaView>(ROOM_NAME, { name: "Ann" });
      await waitFor(async () => (await historyOf(server.url, ann.id)).length > 0, { timeoutMs: 20_000, message: "Ann's match in her history" });
      await room.leave(true);
      const [line] = await historyOf(server.url, ann.id);
      expect(line).toMatchObject({ players: 3, replayUrl: null });
      expect(await server.arena.records.matches.replayBytes()).toEqual({ count: 0, compressed: 0, raw: 0 });
    } finally {
      await server.close();
    }
  }, 40_000);
});

describe.skipIf(!redisAvailable || !postgresAvailable)("two processes on Redis and one PostgreSQL", () => {
  useEmptyRedisDatabase(REDIS_DB);
  let cluster: Cluster | undefined;

  afterEach(async () => {
    await cluster?.close();
  }, 30_000);

  it("show one leaderboard, and each serves the recordings the other made", async () => {
    cluster = await startCluster(2, redisTestUrl(REDIS_DB), { MATCH_SECONDS: "10", SCOREBOARD_SECONDS: "1", MIN_PLAYERS: "3" });
    const [a, b] = cluster.members as [typeof cluster.members[0], typeof cluster.members[0]];
    // A profile made on one process is the same player on the other.
    const ann = await newProfile(a.url, "Ann");
    expect((await call(b.url, "GET", "/api/me", { bearer: ann.secret })).body).toMatchObject({ id: ann.id });
    const room = await (await playerClient(a.url, ann.secret, "Ann")).create<ArenaView>(ROOM_NAME, { name: "Ann" });
    try {
      await waitFor(async () => (await historyOf(b.url, ann.id)).length > 0, { timeoutMs: 30_000, message: "the match, seen from the other process" });
    } finally {
      await room.leave(true);
    }
    const [line] = await historyOf(b.url, ann.id);
    const boards = await Promise.all([a, b].map(async (member) => (await call(member.url, "GET", "/api/leaderboard?board=kills")).body));
    expect(boards[0]).toEqual(boards[1]);
    expect(boards[0]).toMatchObject({ entries: [{ id: ann.id }] });
    const recordings = await Promise.all([a, b].map(async (member) => Buffer.from(await (await fetch(`${member.url}${line!.replayUrl}`)).arrayBuffer())));
    expect(recordings[0]!.equals(recordings[1]!)).toBe(true);
    expect(decodeReplay(recordings[1]!).header.complete).toBe(true);
  }, 90_000);
});

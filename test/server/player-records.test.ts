import pg from "pg";
import { inflateSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { matchIdOf, PlayerRecords } from "../../server/players/playerRecords.ts";
import { openDatabase } from "../../server/storage/database.ts";
import { KD_MIN_MATCHES, weekStart } from "../../server/storage/leaderboards.ts";
import { migrate } from "../../server/storage/migrations.ts";
import { postgresAvailable, createTestDatabase, storageBackends } from "../helpers/postgres.ts";
import { outages, type Outage } from "../helpers/databaseOutage.ts";
import { capturedLog, matchResult, recordedMatch, SAMPLE_REPLAY } from "../helpers/records.ts";
import { waitFor } from "../helpers/server.ts";
import { startTcpProxy } from "../helpers/tcpProxy.ts";

const FAST_RETRY = { firstDelayMs: 20, maxDelayMs: 200 };

describe.each(storageBackends())("player records ($name)", (backend) => {
  let records: PlayerRecords;
  let logged: ReturnType<typeof capturedLog>;

  beforeEach(async () => {
    logged = capturedLog();
    records = new PlayerRecords({ database: await backend.fresh(), replayRetentionDays: 30, resultsQueueLimit: 10, log: logged.log, retry: FAST_RETRY });
    await records.start();
  });

  afterEach(async () => {
    await records.close();
  });

  it("applies each migration once, however often the server starts", async () => {
    expect(await migrate(records.db)).toEqual([]);
    expect(await records.db.all("SELECT version FROM schema_migrations ORDER BY version")).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }]);
  });

  it.runIf(backend.name === "SQLite")("keeps SQLite's page cache at 512 kB (a stored recording fills the default 2 MB at once)", async () => {
    expect(await records.db.all("PRAGMA cache_size")).toEqual([{ cache_size: -512 }]);
  });

  it("fills the weekly totals from the matches already stored when it adds them (version 2)", async () => {
    const db = openDatabase(await backend.fresh());
    try {
      expect(await migrate(db, 1)).toEqual([1]);
      await db.run("INSERT INTO profiles (id, name, created_at) VALUES ('p1', 'Ann', 0)");
      await db.run("INSERT INTO matches (id, room_id, match_number, started_at, ended_at, players) VALUES ('m1', 'r', 1, 0, 0, 1)");
      const when = [Date.UTC(2026, 10, 22, 23, 59), Date.UTC(2026, 10, 23, 0, 0), Date.UTC(2026, 10, 29, 23, 59)];
      for (const [slot, endedAt] of when.entries()) {
        await db.run(`INSERT INTO match_players (match_id, slot, profile_id, name, bot, kills, deaths, score, placement, seconds_played, ended_at)
          VALUES ('m1', ?, 'p1', 'Ann', 0, ?, 1, 0, 1, 60, ?)`, [slot, slot + 1, endedAt]);
      }
      expect(await migrate(db, 2)).toEqual([2]);
      expect(await db.all("SELECT week_start, matches, wins, kills FROM profile_weeks ORDER BY week_start")).toEqual([
        { week_start: Date.UTC(2026, 10, 16), matches: 1, wins: 1, kills: 1 },
        { week_start: Date.UTC(2026, 10, 23), matches: 2, wins: 2, kills: 5 },
      ]);
    } finally {
      await db.close();
    }
  });

  describe("a finished match", () => {
    it("lands once, even when the room reports it twice", async () => {
      const ann = (await records.profiles.create("Ann")).profile;
      const match = recordedMatch([{ name: "Ann", score: 4, deaths: 1, profileId: ann.id }, { name: "Bot", score: 1, bot: true }]);
      records.sink(match);
      records.sink(match);
      await records.queue.whenIdle();
      expect((await records.profiles.byId(ann.id))!.totals).toEqual({ matches: 1, wins: 1, kills: 4, deaths: 1, score: 4, secondsPlayed: 60 });
      expect(await records.matches.history(ann.id, 20)).toHaveLength(1);
      // And straight at the store: the second write of one match id changes nothing.
      const again = matchResult(matchIdOf(match), match.endedAt, [{ name: "Ann", score: 9, profileId: ann.id }]);
      expect(await records.matches.record(again)).toBe(false);
      expect((await records.profiles.byId(ann.id))!.totals.kills).toBe(4);
    });

    it("counts a profile seated twice in one match (two tabs) once", async () => {
      const ann = (await records.profiles.create("Ann")).profile;
      records.sink(recordedMatch([{ name: "Ann", score: 4, profileId: ann.id }, { name: "Ann", score: 2, profileId: ann.id }]));
      await records.queue.whenIdle();
      expect((await records.profiles.byId(ann.id))!.totals).toMatchObject({ matches: 1, kills: 4 });
      expect(await records.matches.history(ann.id, 20)).toHaveLength(1);
    });

    it("ranks people, not bots, and keeps the recording compressed", async () => {
      const ann = (await records.profiles.create("Ann")).profile;
      const match = recordedMatch([
        { name: "Bot A", score: 9, bot: true, profileId: ann.id }, { name: "Ann", score: 2, profileId: ann.id }, { name: "Guest", score: 1 },
      ]);
      records.sink(match);
      await records.queue.whenIdle();
      const [line] = await records.matches.history(ann.id, 20);
      expect(line).toMatchObject({ players: 3, kills: 2, placement: 2, replayUrl: `/api/replays/${matchIdOf(match)}` });
      const board = await records.leaderboards.top({ board: "kills", period: "all" }, 100);
      expect(board.map((entry) => [entry.name, entry.value])).toEqual([["Ann", 2]]);
      const stored = await records.matches.replay(matchIdOf(match));
      expect(stored!.byteLength).toBeLessThan(SAMPLE_REPLAY.byteLength);
      expect(Buffer.from(inflateSync(stored!)).equals(Buffer.from(SAMPLE_REPLAY))).toBe(true);
    });

    it("deletes recordings past their retention and keeps the stats", async () => {
      const ann = (await records.profiles.create("Ann")).profile;
      const old = recordedMatch([{ name: "Ann", score: 1, profileId: ann.id }], { endedAt: Date.now() - 40 * 86_400_000 });
      records.sink(old);
      await records.queue.whenIdle();
      expect(await records.matches.dropReplaysBefore(Date.now() - 30 * 86_400_000)).toBe(1);
      expect(await records.matches.replay(matchIdOf(old))).toBeUndefined();
      expect(await records.matches.history(ann.id, 20)).toMatchObject([{ replayUrl: null, kills: 1 }]);
    });
  });

  describe("leaderboards", () => {
    // A Wednesday: this week began on Monday 2026-11-23 00:00 UTC.
    const now = Date.UTC(2026, 10, 25, 12);
    const lastWeek = Date.UTC(2026, 10, 22, 23, 59);
    const thisWeek = Date.UTC(2026, 10, 23, 0, 1);

    it("windows the week in the query: last week counts all time, not this week", async () => {
      expect(weekStart(now)).toBe(Date.UTC(2026, 10, 23));
      const ann = (await records.profiles.create("Ann")).profile;
      const bob = (await records.profiles.create("Bob")).profile;
      await records.matches.record(matchResult("old-1-1", lastWeek, [{ name: "Ann", score: 10, profileId: ann.id }, { name: "Bob", score: 1, profileId: bob.id }]));
      await records.matches.record(matchResult("new-1-1", thisWeek, [{ name: "Ann", score: 2, profileId: ann.id }, { name: "Bob", score: 6, profileId: bob.id }]));
      const all = await records.leaderboards.top({ board: "kills", period: "all", now }, 100);
      expect(all.map((e) => [e.rank, e.name, e.value])).toEqual([[1, "Ann", 12], [2, "Bob", 7]]);
      const week = await records.leaderboards.top({ board: "kills", period: "week", now }, 100);
      expect(week.map((e) => [e.rank, e.name, e.value])).toEqual([[1, "Bob", 6], [2, "Ann", 2]]);
      const wins = await records.leaderboards.top({ board: "wins", period: "week", now }, 100);
      expect(wins.map((e) => [e.name, e.value])).toEqual([["Bob", 1], ["Ann", 0]]);
      // Next week nobody has played yet.
      expect(await records.leaderboards.top({ board: "kills", period: "week", now: now + 7 * 86_400_000 }, 100)).toEqual([]);
    });

    it(`ranks kills per death only from ${KD_MIN_MATCHES} matches on`, async () => {
      const ann = (await records.profiles.create("Ann")).profile;
      const bob = (await records.profiles.create("Bob")).profile;
      for (let n = 0; n < KD_MIN_MATCHES; n++) {
        const lines = [{ name: "Ann", score: 3, deaths: 2, profileId: ann.id }];
        if (n > 0) lines.push({ name: "Bob", score: 9, deaths: 0, profileId: bob.id });
        await records.matches.record(matchResult(`kd-${n}-1`, now - n * 1000, lines));
      }
      const kd = await records.leaderboards.top({ board: "kd", period: "all", now }, 100);
      expect(kd.map((e) => [e.name, e.value, e.matches])).toEqual([["Ann", 1.5, KD_MIN_MATCHES]]);
    });

    it("shows the players around me with their true ranks, equal values sharing one", async () => {
      const ids: string[] = [];
      for (let n = 0; n < 20; n++) {
        const { profile } = await records.profiles.create(`P${n}`);
        ids.push(profile.id);
        // Kills 20, 19, …; P10 and P11 both have 10.
        await records.matches.record(matchResult(`r${n}-1-1`, now, [{ name: `P${n}`, score: n === 11 ? 10 : 20 - n, profileId: profile.id }]));
      }
      const around = await records.leaderboards.around({ board: "kills", period: "all", now }, ids[12]!, 2);
      // Within a tie the order is the board's own (fewer matches, then id): compared as a set.
      const lines = around.map((e) => [e.rank, e.name, e.value] as const).sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
      expect(lines).toEqual([[11, "P10", 10], [11, "P11", 10], [13, "P12", 8], [14, "P13", 7], [15, "P14", 6]]);
      expect((await records.leaderboards.top({ board: "kills", period: "all", now }, 3)).map((e) => e.name)).toEqual(["P0", "P1", "P2"]);
      expect(await records.leaderboards.around({ board: "kills", period: "all", now }, "00000000-0000-0000-0000-000000000000", 2)).toEqual([]);
    });
  });

  it("forgets a deleted profile: secrets, credentials, name in past matches", async () => {
    const { profile, secret } = await records.profiles.create("Ann");
    await records.profiles.claim(profile.id, "ann", "scrypt$x");
    await records.matches.record(matchResult("del-1-1", Date.now(), [{ name: "Ann", score: 3, profileId: profile.id }, { name: "Guest", score: 1 }]));
    expect(await records.profiles.delete(profile.id)).toBe(true);
    expect(await records.profiles.bySecret(secret)).toBeUndefined();
    expect(await records.profiles.credentials("ann")).toBeUndefined();
    expect(await records.db.all("SELECT name, profile_id FROM match_players WHERE match_id = ? ORDER BY slot", ["del-1-1"]))
      .toEqual([{ name: "", profile_id: null }, { name: "Guest", profile_id: null }]);
    expect(await records.profiles.delete(profile.id)).toBe(false);
  });
});

describe.each(outages)("the database going away mid-match ($name)", ({ make }) => {
  let outage: Outage;
  let records: PlayerRecords;
  let logged: ReturnType<typeof capturedLog>;

  beforeEach(async () => {
    outage = await make();
    logged = capturedLog();
    records = new PlayerRecords({ database: outage.location, replayRetentionDays: 30, resultsQueueLimit: 3, log: logged.log, retry: FAST_RETRY });
    await records.start();
  });

  afterEach(async () => {
    await outage.restore();
    await records.close();
    await outage.dispose();
  });

  it("loses nothing: results wait, then land once when it returns", async () => {
    const ann = (await records.profiles.create("Ann")).profile;
    await outage.cut();
    const first = recordedMatch([{ name: "Ann", score: 2, profileId: ann.id }]);
    const second = recordedMatch([{ name: "Ann", score: 5, profileId: ann.id }]);
    records.sink(first);
    records.sink(second);
    await waitFor(() => logged.lines.some((line) => line.msg === "match results waiting: the database is unreachable"), { timeoutMs: 10_000, message: "the queue to notice" });
    expect(records.queue.pending).toBe(2);
    await outage.restore();
    await waitFor(() => records.queue.pending === 0, { timeoutMs: 15_000, message: "the waiting results to be written" });
    expect((await records.profiles.byId(ann.id))!.totals).toMatchObject({ matches: 2, kills: 7 });
    expect(logged.lines.filter((line) => line.level === "error")).toEqual([]);
  });

  it("drops and logs what does not fit in the queue, keeping the rest", async () => {
    const ann = (await records.profiles.create("Ann")).profile;
    await outage.cut();
    const matches = [1, 2, 3, 4].map((score) => recordedMatch([{ name: "Ann", score, profileId: ann.id }]));
    for (const match of matches) records.sink(match);
    expect(logged.lines.filter((line) => line.msg.startsWith("match result dropped"))).toMatchObject([{ level: "error", matchId: matchIdOf(matches[3]!) }]);
    await outage.restore();
    await waitFor(() => records.queue.pending === 0, { timeoutMs: 15_000, message: "the waiting results to be written" });
    expect((await records.profiles.byId(ann.id))!.totals).toMatchObject({ matches: 3, kills: 6 });
  });
});

describe.skipIf(!postgresAvailable)("a write cut off mid-transaction (PostgreSQL)", () => {
  it("is rolled back whole, and the retry lands the match once", async () => {
    const database = await createTestDatabase();
    const proxy = await startTcpProxy(5432);
    const logged = capturedLog();
    const records = new PlayerRecords({
      database: { kind: "postgres", url: `postgres://postgres@127.0.0.1:${proxy.port}/${database.name}` },
      replayRetentionDays: 30, resultsQueueLimit: 10, log: logged.log, retry: FAST_RETRY,
    });
    const blocker = new pg.Client({ connectionString: database.url });
    try {
      await records.start();
      const ann = (await records.profiles.create("Ann")).profile;
      await blocker.connect();
      // Holds the write half-way: the match row goes in, then the profile's totals wait for this lock.
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE profiles IN EXCLUSIVE MODE");
      const match = recordedMatch([{ name: "Ann", score: 3, profileId: ann.id }]);
      records.sink(match);
      await waitFor(async () => (await blocker.query("SELECT COUNT(*)::int AS n FROM pg_locks WHERE NOT granted")).rows[0].n > 0,
        { timeoutMs: 10_000, message: "the write to wait on the lock" });
      await proxy.cut();
      await blocker.query("COMMIT");
      await proxy.restore();
      await waitFor(() => records.queue.pending === 0, { timeoutMs: 15_000, message: "the retried write" });
      expect((await records.profiles.byId(ann.id))!.totals).toMatchObject({ matches: 1, kills: 3 });
      expect(await records.db.all("SELECT id FROM matches")).toEqual([{ id: matchIdOf(match) }]);
      expect(logged.lines.some((line) => line.msg === "match results waiting: the database is unreachable")).toBe(true);
    } finally {
      await blocker.end().catch(() => undefined);
      await records.close();
      await proxy.close();
      await database.drop();
    }
  }, 30_000);
});


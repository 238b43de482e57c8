/**
 * Player-records storage on each backend (`npm run bench:storage`): loads
 * 100 000 finished matches (8 lines each, half of them bots, spread over ten
 * weeks, on 5 000 profiles), then times what the server does with them:
 * storing one more match (one transaction, with its compressed recording),
 * each leaderboard (top 100 and around a player, all time and this week) and
 * a player's history. Also: bytes per stored recording, from a simulated
 * 3-minute match of 8 bots. Prints a table; writes bench/results/storage.json.
 *
 *   --matches N    matches loaded before timing (100000)
 *   --profiles N   profiles they are spread over (5000)
 *   --runs N       timed runs per operation (30)
 *   --postgres URL the PostgreSQL server (postgres://postgres@127.0.0.1:5432); a scratch database is made and dropped
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { deflate, deflateSync } from "node:zlib";
import pg from "pg";
import { openDatabase, type Database, type DatabaseLocation, type SqlValue } from "../server/storage/database.ts";
import { BOARDS, PERIODS } from "../shared/playerApi.ts";
import { Leaderboards } from "../server/storage/leaderboards.ts";
import { MatchStore, type MatchResult } from "../server/storage/matches.ts";
import { migrate } from "../server/storage/migrations.ts";
import { runSimulation } from "../shared/simulation.ts";
import { mulberry32 } from "../shared/rng.ts";
import { columnTable, percentile, progress, toolFlags, usageError, writeResult } from "./lib/report.ts";

const { flags, positional } = toolFlags("bench:storage", process.argv.slice(2), {
  matches: 100_000, profiles: 5000, runs: 30, postgres: "postgres://postgres@127.0.0.1:5432",
});
if (positional.length > 0) usageError("bench:storage", `unexpected argument ${JSON.stringify(positional[0])}`);

const LINES = 8;
const deflateAsync = promisify(deflate);
const WEEK_MS = 7 * 86_400_000;
const show = progress();

interface Timing { operation: string; p50: number; p99: number }

/** A realistic recording: a whole default-length match of 8 bots, simulated. */
function sampleReplay(): Uint8Array {
  const summary = runSimulation({ seed: 7, bots: LINES, matches: 1, record: true });
  return summary.replay!;
}

async function timed(runs: number, work: (run: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work(run);
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** Bulk load: many rows per statement, many statements per transaction (the server writes one match at a time). */
async function load(db: Database, now: number): Promise<string[]> {
  const random = mulberry32(1);
  const ids = Array.from({ length: flags.profiles }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`);
  for (let start = 0; start < ids.length; start += 500) {
    const batch = ids.slice(start, start + 500);
    await db.run(`INSERT INTO profiles (id, name, created_at) VALUES ${batch.map(() => "(?, ?, ?)").join(", ")}`,
      batch.flatMap((id, n) => [id, `Player${start + n}`, now]));
  }
  const perStatement = 100;
  for (let start = 0; start < flags.matches; start += perStatement) {
    const count = Math.min(perStatement, flags.matches - start);
    const matchRows: SqlValue[] = [];
    const lineRows: SqlValue[] = [];
    for (let n = 0; n < count; n++) {
      const id = `LOAD${start + n}-0-1`;
      const endedAt = Math.floor(now - random() * 10 * WEEK_MS);
      matchRows.push(id, "LOAD", 1, endedAt - 180_000, endedAt, LINES);
      const scores = Array.from({ length: LINES }, () => Math.floor(random() * 15));
      for (let slot = 0; slot < LINES; slot++) {
        const bot = slot >= LINES / 2;
        const profile = bot ? null : ids[Math.floor(random() * ids.length)]!;
        const placement = 1 + scores.filter((other) => other > scores[slot]!).length;
        lineRows.push(id, slot, profile, bot ? `Bot${slot}` : "Player", bot ? 1 : 0, scores[slot]!, Math.floor(random() * 12), scores[slot]!, placement, 180, endedAt);
      }
    }
    await db.transaction(async (tx) => {
      await tx.run(`INSERT INTO matches (id, room_id, match_number, started_at, ended_at, players) VALUES ${Array(count).fill("(?, ?, ?, ?, ?, ?)").join(", ")}`, matchRows);
      await tx.run(`INSERT INTO match_players (match_id, slot, profile_id, name, bot, kills, deaths, score, placement, seconds_played, ended_at)
        VALUES ${Array(count * LINES).fill("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`, lineRows);
    });
    if (start % 5000 === 0) show(`${db.label}: loaded ${start + count} matches`);
  }
  const total = (column: string) => `${column} = COALESCE((SELECT SUM(mp.${column}) FROM match_players mp WHERE mp.profile_id = profiles.id), 0)`;
  await db.run(`UPDATE profiles SET matches = (SELECT COUNT(*) FROM match_players mp WHERE mp.profile_id = profiles.id),
    wins = (SELECT COUNT(*) FROM match_players mp WHERE mp.profile_id = profiles.id AND mp.placement = 1),
    ${total("kills")}, ${total("deaths")}, ${total("score")}, ${total("seconds_played")}`);
  // The weekly totals, as migration 2 fills them from stored matches.
  await db.run("DELETE FROM profile_weeks");
  await db.run(`INSERT INTO profile_weeks (week_start, profile_id, matches, wins, kills, deaths)
    SELECT ((ended_at - 345600000) / 604800000) * 604800000 + 345600000, profile_id, COUNT(*),
      SUM(CASE WHEN placement = 1 THEN 1 ELSE 0 END), SUM(kills), SUM(deaths)
    FROM match_players WHERE profile_id IS NOT NULL
    GROUP BY ((ended_at - 345600000) / 604800000) * 604800000 + 345600000, profile_id`);
  await db.run("ANALYZE");
  return ids;
}

async function measure(location: DatabaseLocation, replay: Uint8Array): Promise<{ label: string; timings: Timing[] }> {
  const db = openDatabase(location);
  try {
    await migrate(db);
    const now = Date.now();
    const ids = await load(db, now);
    const matches = new MatchStore(db);
    const boards = new Leaderboards(db);
    const timings: Timing[] = [];
    const compressed = deflateSync(replay, { level: 6 });
    const write = await timed(flags.runs * 5, (run) => {
      const result: MatchResult = {
        id: `BENCH${run}-0-1`, roomId: "BENCH", matchNumber: 1, startedAt: now - 180_000, endedAt: now,
        players: Array.from({ length: LINES }, (_, slot) => ({
          profileId: slot < LINES / 2 ? ids[(run * 7 + slot) % ids.length] : undefined, name: `P${slot}`, bot: slot >= LINES / 2,
          kills: slot, deaths: 1, score: slot, placement: LINES - slot, secondsPlayed: 180,
        })),
        replay: { compressed, rawBytes: replay.byteLength },
      };
      return matches.record(result);
    });
    timings.push({ operation: "store a match (8 lines + recording)", ...write });
    for (const period of PERIODS) {
      for (const board of BOARDS) {
        timings.push({ operation: `leaderboard ${board}/${period} top 100`, ...await timed(flags.runs, () => boards.top({ board, period, now }, 100)) });
        timings.push({ operation: `leaderboard ${board}/${period} around me`, ...await timed(flags.runs, (run) => boards.around({ board, period, now }, ids[run * 13 % ids.length]!, 5)) });
      }
    }
    timings.push({ operation: "match history (last 20)", ...await timed(flags.runs, (run) => matches.history(ids[run % ids.length]!, 20)) });
    return { label: location.kind === "sqlite" ? "SQLite (file, WAL)" : "PostgreSQL 15", timings };
  } finally {
    await db.close();
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${flags.postgres}/postgres`, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const replay = sampleReplay();
const compressedReplay = deflateSync(replay, { level: 6 }).byteLength;
// What the results queue does before each write, on libuv's thread pool.
const compressing = await timed(flags.runs, () => deflateAsync(replay, { level: 6 }));
const results: Array<{ label: string; timings: Timing[] }> = [];
const dir = mkdtempSync(join(tmpdir(), "arena-bench-storage-"));
try {
  results.push(await measure({ kind: "sqlite", path: join(dir, "arena.sqlite") }, replay));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const scratch = `arena_bench_${randomBytes(4).toString("hex")}`;
let postgresNote = "";
try {
  await admin(`CREATE DATABASE ${scratch}`);
  try {
    results.push(await measure({ kind: "postgres", url: `${flags.postgres}/${scratch}` }, replay));
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  }
} catch (error) {
  postgresNote = `PostgreSQL not measured: ${error instanceof Error ? error.message : String(error)}`;
}
show("");

const ms = (value: number) => value.toFixed(2);
console.log(`\nPlayer records with ${flags.matches} stored matches (${flags.matches * LINES} lines) on ${flags.profiles} profiles; ${flags.runs} runs per query, ${flags.runs * 5} match writes\n`);
console.log(columnTable(["operation", ...results.flatMap((r) => [`${r.label} p50 ms`, "p99 ms"])],
  results[0]!.timings.map((timing, i) => [timing.operation, ...results.flatMap((r) => [ms(r.timings[i]!.p50), ms(r.timings[i]!.p99)])])));
console.log(`\nA recorded match (8 bots, ${replay.byteLength} bytes raw): ${compressedReplay} bytes stored (deflate level 6, ${(100 * compressedReplay / replay.byteLength).toFixed(0)} %), compressed in ${ms(compressing.p50)} ms p50, ${ms(compressing.p99)} ms p99 (off the event loop)`);
if (postgresNote) console.log(postgresNote);
const path = writeResult("storage", {
  matches: flags.matches, linesPerMatch: LINES, profiles: flags.profiles, runs: flags.runs,
  replay: { rawBytes: replay.byteLength, storedBytes: compressedReplay, players: LINES, source: "simulated default-length match", compressMs: compressing },
  backends: results, ...(postgresNote ? { postgresNote } : {}),
});
console.log(`\nwritten to ${path}`);

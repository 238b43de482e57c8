/**
 * A server process killed while it writes a match: the match was kept on
 * disk (RESULTS_SPOOL_DIR), and the next process on the same database writes
 * it, once. The kept files themselves: a match and its compressed recording,
 * and what earlier versions kept.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@colyseus/sdk";
import pg from "pg";
import { inflateSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLog } from "../../server/log.ts";
import { ResultSpool, type PendingMatch } from "../../server/players/resultSpool.ts";
import { startServerProcess, type ServerProcess } from "../../testkit/serverProcess.ts";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { call, newProfile, profileToken } from "../helpers/playerApi.ts";
import { capturedLog, compressedReplay, SAMPLE_REPLAY } from "../helpers/records.ts";
import { createTestDatabase, postgresAvailable } from "../helpers/postgres.ts";
import { waitFor } from "../helpers/server.ts";

describe.skipIf(!postgresAvailable)("a server killed in the middle of writing a match (PostgreSQL)", () => {
  it("leaves it on disk, and the restarted server writes it once", async () => {
    const database = await createTestDatabase();
    const spool = mkdtempSync(join(tmpdir(), "arena-spool-"));
    const env = {
      DATABASE_URL: database.url, RESULTS_SPOOL_DIR: spool, MATCH_SECONDS: "10", SCOREBOARD_SECONDS: "30", MIN_PLAYERS: "3",
      AUTH_SECRET: "spool-test-secret-shared-across-restarts",
    };
    const blocker = new pg.Client({ connectionString: database.url });
    let first: ServerProcess | undefined;
    let second: ServerProcess | undefined;
    try {
      first = await startServerProcess(env);
      const ann = await newProfile(first.url, "Ann");
      const client = new Client(first.url);
      client.auth.token = await profileToken(first.url, ann.secret, "Ann");
      const room = await client.create(ROOM_NAME, { name: "Ann" });
      room.onMessage("*", () => {});
      // The match's write will stop half-way: the match row in, the profile's totals waiting for this lock.
      await blocker.connect();
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE profiles IN EXCLUSIVE MODE");
      await waitFor(async () => (await blocker.query("SELECT COUNT(*)::int AS n FROM pg_locks WHERE NOT granted")).rows[0].n > 0
        && readdirSync(spool).some((file) => file.endsWith(".json")), { timeoutMs: 30_000, message: "the match's write under way, and kept on disk" });
      first.child.kill("SIGKILL");
      await first.exited;
      room.connection.close();
      await blocker.query("COMMIT");

      second = await startServerProcess(env);
      await waitFor(async () => (await call<{ matches: unknown[] }>(second!.url, "GET", `/api/players/${ann.id}/matches`)).body.matches.length > 0,
        { timeoutMs: 15_000, message: "the kept match in Ann's history" });
      await waitFor(() => readdirSync(spool).length === 0, { timeoutMs: 5000, message: "the kept file to go" });
      const me = await call<{ totals: { matches: number } }>(second.url, "GET", "/api/me", { bearer: ann.secret });
      expect(me.body.totals.matches).toBe(1);
      const history = await call<{ matches: Array<{ replayUrl: string | null }> }>(second.url, "GET", `/api/players/${ann.id}/matches`);
      expect(history.body.matches).toHaveLength(1);
      // The recording was kept too, compressed beside the match, and is served whole.
      const served = await fetch(`${second.url}${history.body.matches[0]!.replayUrl}`);
      expect(decodeReplay(new Uint8Array(await served.arrayBuffer())).header).toMatchObject({ complete: true, matchNumber: 1 });
      expect(second.logs.some((line) => line.msg === "writing match results an earlier process left")).toBe(true);
    } finally {
      await blocker.end().catch(() => undefined);
      if (first && first.child.exitCode === null && first.child.signalCode === null) first.child.kill("SIGKILL");
      await second?.stop();
      await database.drop();
      rmSync(spool, { recursive: true, force: true });
    }
  }, 90_000);
});

describe("the results spool's files", () => {
  let dir: string;
  const log = createLog("error");
  const match = (id: string, endedAt: number, withReplay: boolean): PendingMatch => ({
    id, roomId: "ROOM", matchNumber: 1, startedAt: endedAt - 60_000, endedAt,
    players: [{ profileId: undefined, name: "Ann", bot: false, kills: 1, deaths: 0, score: 1, placement: 1, secondsPlayed: 60 }],
    replay: withReplay ? compressedReplay(SAMPLE_REPLAY) : undefined,
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "arena-spool-files-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a match beside its compressed recording, gives both back, and removes both", async () => {
    const spool = new ResultSpool(dir, "db-a", log);
    await spool.save(match("m-2", 2000, true));
    await spool.save(match("m-1", 1000, false));
    expect(readdirSync(dir).sort()).toEqual(["m-1.json", "m-2.json", "m-2.replay.z"]);
    expect(await new ResultSpool(dir, "db-b", log).load()).toEqual([]);
    const [first, second] = await spool.load();
    expect(first).toEqual(match("m-1", 1000, false));
    expect(second!.replay!.rawBytes).toBe(SAMPLE_REPLAY.byteLength);
    expect(inflateSync(second!.replay!.compressed).equals(Buffer.from(SAMPLE_REPLAY))).toBe(true);
    await spool.remove("m-2");
    await spool.remove("m-1");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("removes a match whose save is still under way once the save is done, leaving no file behind", async () => {
    const spool = new ResultSpool(dir, "db-a", log);
    const saving = spool.save(match("fast", 1000, true));
    await spool.remove("fast");
    await saving;
    expect(readdirSync(dir)).toEqual([]);
  });

  it("gives back a kept match whose recording's file is gone, without the recording, and says so", async () => {
    const logged = capturedLog();
    const spool = new ResultSpool(dir, "db-a", logged.log);
    await spool.save(match("lost", 1000, true));
    rmSync(join(dir, "lost.replay.z"));
    const [lost] = await spool.load();
    expect(lost).toMatchObject({ id: "lost", players: [{ name: "Ann" }] });
    expect(lost!.replay).toBeUndefined();
    expect(logged.lines).toContainEqual(expect.objectContaining({ level: "warn", matchId: "lost", msg: expect.stringMatching(/recording unreadable/) }));
  });

  it("reads what earlier versions kept: the recording uncompressed, in base64, inside the match's file", async () => {
    const { replay: _replay, ...rest } = match("old", 500, false);
    writeFileSync(join(dir, "old.json"), JSON.stringify({ database: "db-a", ...rest, replay: Buffer.from(SAMPLE_REPLAY).toString("base64") }));
    const [old] = await new ResultSpool(dir, "db-a", log).load();
    expect(old!.replay!.rawBytes).toBe(SAMPLE_REPLAY.byteLength);
    expect(inflateSync(old!.replay!.compressed).equals(Buffer.from(SAMPLE_REPLAY))).toBe(true);
  });
});

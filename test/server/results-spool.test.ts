/**
 * A server process killed while it writes a match: the match was kept on
 * disk (RESULTS_SPOOL_DIR), and the next process on the same database writes
 * it, once.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@colyseus/sdk";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "../../testkit/serverProcess.ts";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { call, newProfile, profileToken } from "../helpers/playerApi.ts";
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
      expect((await call<{ matches: unknown[] }>(second.url, "GET", `/api/players/${ann.id}/matches`)).body.matches).toHaveLength(1);
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

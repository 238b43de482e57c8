/**
 * The machine's PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth;
 * `.ci/run` starts it) for the storage tests: every test file, and every
 * server on Redis, gets a database of its own, created empty and dropped
 * afterwards, so files running in parallel never see each other's data.
 * Without a reachable PostgreSQL the PostgreSQL variants are skipped with a
 * warning; under `CI=true` that is a failure.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import type { DatabaseLocation } from "../../server/storage/database.ts";

const SERVER = "postgres://postgres@127.0.0.1:5432";

/**
 * How long a connection to the server may take, at most. A ceiling, not a measure: a server that is
 * not there refuses at once, and one on a machine busy with parallel test files can take seconds.
 */
const CONNECT_DEADLINE_MS = 30_000;

/** True when a PostgreSQL answers at 127.0.0.1:5432; checked once per test file. */
export const postgresAvailable: boolean = await pingPostgres();

if (!postgresAvailable) {
  const message = "No PostgreSQL at 127.0.0.1:5432: the PostgreSQL-backed tests cannot run (install postgresql, or run .ci/run).";
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`\n*** ${message} They are skipped. ***\n`);
}

/** The URL of database `name` on the test server. */
export function postgresUrl(name: string): string {
  return `${SERVER}/${name}`;
}

/** Runs one statement on the server's maintenance database. */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl("postgres"), connectionTimeoutMillis: CONNECT_DEADLINE_MS });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database; `drop()` removes it, closing whatever is still connected. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `arena_test_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  return { name, url: postgresUrl(name), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Closes every connection to database `name` from the server's side (a database "going away" mid-use). */
export async function cutConnections(name: string): Promise<void> {
  await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
}

/** One way the server may keep player records, for `describe.each`. */
export interface StorageBackend {
  /** For the test titles: "SQLite" or "PostgreSQL". */
  name: string;
  /** A fresh empty database for one test (each call a new one). */
  fresh(): Promise<DatabaseLocation>;
}

/**
 * SQLite (in memory), and PostgreSQL when one is reachable. Each PostgreSQL
 * database handed out is dropped after the file's tests.
 */
export function storageBackends(): StorageBackend[] {
  const sqlite: StorageBackend = { name: "SQLite", fresh: async () => ({ kind: "sqlite", path: ":memory:" }) };
  if (!postgresAvailable) return [sqlite];
  const made: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(made.map((drop) => drop()));
  });
  return [sqlite, {
    name: "PostgreSQL",
    async fresh() {
      const database = await createTestDatabase();
      made.push(database.drop);
      return { kind: "postgres", url: database.url };
    },
  }];
}

/** Registers hooks that create one database for the file and drop it after; returns a getter for its URL. */
export function usePostgresDatabase(): () => string {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (!database) throw new Error("usePostgresDatabase: only inside a test");
    return database.url;
  };
}

async function pingPostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl("postgres"), connectionTimeoutMillis: CONNECT_DEADLINE_MS });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The one module that knows which database the server talks to: SQLite
 * (Node's built-in `node:sqlite`, a file under `data/` by default) or
 * PostgreSQL (`pg`). Everything else writes portable SQL with `?`
 * placeholders and gets rows back as plain objects.
 *
 * Plain SQL rather than a query builder: the schema is a handful of tables,
 * the queries use only what both dialects share (ON CONFLICT, RETURNING,
 * window functions), so one string serves both, and a reader sees the
 * exact statement each backend runs. The two differences that matter
 * (placeholder syntax and the binary column type) are translated here.
 * Values are always bound, never spliced into the text.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { Pool, PoolClient } from "pg";

/** Where the data lives: a SQLite file (or `:memory:`), or a PostgreSQL URL. */
export type DatabaseLocation = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

/** A value a statement may bind: text, numbers, bytes or NULL. */
export type SqlValue = string | number | null | Uint8Array;

/** Runs statements; inside a transaction, on that transaction's connection. */
export interface SqlRunner {
  /** Every row the statement returns. */
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** The first row, or undefined. */
  one<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** A connection (SQLite) or a pool (PostgreSQL). */
export interface Database extends SqlRunner {
  /** For logs and the benchmark table only: nothing decides on it outside this module. */
  readonly label: string;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back
   * when it throws. With `exclusive`, concurrent callers on other processes
   * wait for it (migrations).
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>, exclusive?: boolean): Promise<T>;
  /** DDL in this database's dialect: `{bytes}` becomes its binary column type (BLOB / BYTEA). */
  ddl(sql: string): string;
  close(): Promise<void>;
}

/**
 * Opens (and for SQLite creates) the database. PostgreSQL connects (and `pg`
 * is loaded) on the first query, so an unreachable server shows there, not
 * here. Does not migrate: see `migrate`.
 */
export function openDatabase(location: DatabaseLocation): Database {
  return location.kind === "sqlite" ? openSqlite(location.path) : openPostgres(location.url);
}

function openSqlite(path: string): Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // WAL: readers never wait for the writer; NORMAL sync is durable across a process crash. A locked file
  // (another process writing) is waited on briefly: the wait blocks the event loop, and the queue retries anyway.
  // A page cache of 512 kB, not SQLite's 2 MB: a match's recording (about a megabyte, stored at its end) filled
  // the larger one at once, in small blocks the C heap kept; reads come from the system's file cache as fast.
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 250; PRAGMA cache_size = -512;");
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, statement = db.prepare(sql));
    return statement;
  };
  const direct: SqlRunner = {
    all: async <Row>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).all(...params) as Row[],
    one: async <Row>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).get(...params) as Row | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => Number(prepare(sql).run(...params).changes),
  };
  // One connection: while a transaction awaits between its statements, nothing
  // else may run on it, or that statement would join (or be rolled back with)
  // the transaction. Every use goes through this queue.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    label: `sqlite ${path}`,
    ddl: (sql) => sql.replaceAll("{bytes}", "BLOB"),
    all: (sql, params) => exclusive(() => direct.all(sql, params)),
    one: (sql, params) => exclusive(() => direct.one(sql, params)),
    run: (sql, params) => exclusive(() => direct.run(sql, params)),
    transaction: (work) => exclusive(async () => {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(direct);
        db.exec("COMMIT");
        return result;
      } catch (error) {
        if (db.isTransaction) db.exec("ROLLBACK");
        throw error;
      }
    }),
    close: async () => {
      await queue;
      db.close();
    },
  };
}

/** `?` → `$1, $2, …` (no statement here has a `?` inside a string literal). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * A pool on `url`, with `pg` loaded now: a server on SQLite never loads it
 * (docs/benchmarks.md, "Memory over time"). int8 (counts, sums, ms
 * timestamps) comes back as numbers: every value here is far below 2^53.
 */
async function connectPool(url: string): Promise<Pool> {
  const { Pool, types } = await import("pg");
  const getTypeParser = ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : types.getTypeParser(oid, format as "text")) as typeof types.getTypeParser;
  const pool = new Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 3000, idleTimeoutMillis: 10_000, types: { getTypeParser } });
  // A connection the server closes while idle must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

function openPostgres(url: string): Database {
  let connecting: Promise<Pool> | undefined;
  const pool = () => (connecting ??= connectPool(url));
  const on = (client: () => Promise<Pool> | PoolClient): SqlRunner => {
    const query = async (sql: string, params: readonly SqlValue[]) => (await client()).query(numbered(sql), [...params]);
    return {
      all: async <Row>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows as Row[],
      one: async <Row>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows[0] as Row | undefined,
      run: async (sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rowCount ?? 0,
    };
  };
  const { hostname, port, pathname } = new URL(url);
  return {
    label: `postgres ${hostname}:${port || 5432}${pathname}`,
    ...on(pool),
    ddl: (sql) => sql.replaceAll("{bytes}", "BYTEA"),
    async transaction(work, exclusive = false) {
      const client = await (await pool()).connect();
      let broken = false;
      // A connection lost while checked out is reported on the client itself; unheard, it would end the process.
      const lost = () => { broken = true; };
      client.on("error", lost);
      try {
        await client.query("BEGIN");
        // Two processes starting at once migrate one after the other.
        if (exclusive) await client.query("SELECT pg_advisory_xact_lock(1634886000)");
        const result = await work(on(() => client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => { broken = true; });
        throw error;
      } finally {
        client.off("error", lost);
        client.release(broken);
      }
    },
    close: async () => {
      if (connecting) await (await connecting).end();
    },
  };
}

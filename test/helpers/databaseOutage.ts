/** A player-records database that goes away mid-match, per backend, for the records tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { DatabaseLocation } from "../../server/storage/database.ts";
import { createTestDatabase, postgresAvailable } from "./postgres.ts";
import { startTcpProxy } from "./tcpProxy.ts";

/** A database that can be made unreachable and brought back (`cut`, `restore`). */
export interface Outage {
  location: DatabaseLocation;
  cut(): Promise<void>;
  restore(): Promise<void>;
  dispose(): Promise<void>;
}

/** The outages each backend can have: SQLite always, PostgreSQL when it runs here. */
export const outages: Array<{ name: string; make(): Promise<Outage> }> = [{
  // SQLite cannot go away: another process holding its write lock is what makes writes fail.
  name: "SQLite, locked by another process",
  async make() {
    const dir = mkdtempSync(join(tmpdir(), "arena-records-"));
    const path = join(dir, "arena.sqlite");
    let holder: DatabaseSync | undefined;
    return {
      location: { kind: "sqlite", path },
      async cut() {
        holder = new DatabaseSync(path);
        holder.exec("BEGIN IMMEDIATE");
      },
      async restore() {
        holder?.exec("COMMIT");
        holder?.close();
        holder = undefined;
      },
      async dispose() {
        holder?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
}];
if (postgresAvailable) {
  outages.push({
    name: "PostgreSQL, its host unreachable",
    async make() {
      const database = await createTestDatabase();
      const proxy = await startTcpProxy(5432);
      return {
        location: { kind: "postgres", url: `postgres://postgres@127.0.0.1:${proxy.port}/${database.name}` },
        cut: () => proxy.cut(),
        restore: () => proxy.restore(),
        async dispose() {
          await proxy.close();
          await database.drop();
        },
      };
    },
  });
}

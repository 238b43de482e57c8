import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Log } from "../log.ts";
import type { MatchPlayerResult } from "../storage/matches.ts";

/** A finished match as it waits to be written: results ready, recording not yet compressed. */
export interface PendingMatch {
  id: string;
  roomId: string;
  matchNumber: number;
  startedAt: number;
  endedAt: number;
  players: MatchPlayerResult[];
  replay?: Uint8Array;
}

/** Only these file names are ever read back: what `save` writes, nothing a stray file could pass for. */
const SPOOL_FILE = /^[A-Za-z0-9_-]+\.json$/;

/**
 * Finished matches on local disk until the database has them, so that a
 * process killed (or crashing) before or during the write does not lose
 * them: the next process started with the same folder and database writes
 * them (once: writes are idempotent on the match id). Each file names the
 * database it is for, so servers with different databases may share a folder.
 * Files are written off the event loop (`fs/promises`), after the room's tick.
 */
export class ResultSpool {
  private readonly dir: string;
  private readonly database: string;
  private readonly log: Log;

  /** `database`: the label of the database these results are for (`Database.label`). */
  constructor(dir: string, database: string, log: Log) {
    this.dir = dir;
    this.database = database;
    this.log = log;
  }

  /** Keeps `match` until `remove`; a failure is logged (the match still goes to the database from memory). */
  async save(match: PendingMatch): Promise<void> {
    const file = join(this.dir, `${match.id}.json`);
    try {
      await mkdir(this.dir, { recursive: true });
      const record = { database: this.database, ...match, replay: match.replay ? Buffer.from(match.replay).toString("base64") : undefined };
      // Written aside, then renamed: a file that exists is always whole.
      await writeFile(`${file}.tmp`, JSON.stringify(record));
      await rename(`${file}.tmp`, file);
    } catch (error) {
      this.log.warn("match result not kept on disk", { matchId: match.id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async remove(id: string): Promise<void> {
    await rm(join(this.dir, `${id}.json`), { force: true }).catch(() => undefined);
  }

  /** The matches left by an earlier process for this database, oldest first. */
  async load(): Promise<PendingMatch[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const matches: PendingMatch[] = [];
    for (const name of names.filter((file) => SPOOL_FILE.test(file))) {
      try {
        const record = JSON.parse(await readFile(join(this.dir, name), "utf8")) as Omit<PendingMatch, "replay"> & { database: string; replay?: string };
        if (record.database !== this.database) continue;
        const { database: _database, replay, ...match } = record;
        matches.push({ ...match, replay: replay === undefined ? undefined : Buffer.from(replay, "base64") });
      } catch (error) {
        this.log.warn("kept match result unreadable; left in place", { file: name, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return matches.sort((a, b) => a.endedAt - b.endedAt);
  }
}

import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { deflate } from "node:zlib";
import type { Log } from "../log.ts";
import type { CompressedReplay, MatchResult } from "../storage/matches.ts";

const compress = promisify(deflate);

/** A finished match as it waits to be written: the very result the database takes, recording compressed. */
export type PendingMatch = MatchResult;

/** A kept match's file: the match without its recording, which is a file of its own (`replayRawBytes` set), or, in files kept by earlier versions, uncompressed base64 (`replay`). */
type SpoolRecord = Omit<PendingMatch, "replay"> & { database: string; replayRawBytes?: number; replay?: string };

/** Only these file names are ever read back: what `save` writes, nothing a stray file could pass for. */
const SPOOL_FILE = /^[A-Za-z0-9_-]+\.json$/;

/**
 * Finished matches on local disk until the database has them, so that a
 * process killed (or crashing) before or during the write does not lose
 * them: the next process started with the same folder and database writes
 * them (once: writes are idempotent on the match id). Each file names the
 * database it is for, so servers with different databases may share a folder.
 * A match's compressed recording is a file beside it (`<id>.replay.z`), written
 * first: the match's own file, renamed into place last, is the mark that both
 * are whole.
 * Files are written off the event loop (`fs/promises`), after the room's tick.
 */
export class ResultSpool {
  private readonly dir: string;
  private readonly database: string;
  private readonly log: Log;
  /** Saves under way, by match id. */
  private readonly saving = new Map<string, Promise<void>>();

  /** `database`: the label of the database these results are for (`Database.label`). */
  constructor(dir: string, database: string, log: Log) {
    this.dir = dir;
    this.database = database;
    this.log = log;
  }

  /** Keeps `match` until `remove`; a failure is logged (the match still goes to the database from memory). */
  save(match: PendingMatch): Promise<void> {
    // `remove` waits for this: the database can take the match before its files are all written.
    const saved = this.write(match).finally(() => this.saving.delete(match.id));
    this.saving.set(match.id, saved);
    return saved;
  }

  private async write(match: PendingMatch): Promise<void> {
    const file = join(this.dir, `${match.id}.json`);
    try {
      await mkdir(this.dir, { recursive: true });
      const { replay, ...rest } = match;
      if (replay) await writeFile(this.replayFile(match.id), replay.compressed);
      const record: SpoolRecord = { database: this.database, ...rest, replayRawBytes: replay?.rawBytes };
      // Written aside, then renamed: a file that exists is always whole.
      await writeFile(`${file}.tmp`, JSON.stringify(record));
      await rename(`${file}.tmp`, file);
    } catch (error) {
      this.log.warn("match result not kept on disk", { matchId: match.id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Forgets a match kept by `save` (once its save is done). */
  async remove(id: string): Promise<void> {
    await this.saving.get(id);
    await rm(join(this.dir, `${id}.json`), { force: true }).catch(() => undefined);
    await rm(this.replayFile(id), { force: true }).catch(() => undefined);
  }

  /** The matches left by an earlier process for this database, oldest first. */
  async load(): Promise<PendingMatch[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const matches: PendingMatch[] = [];
    for (const name of names.filter((file) => SPOOL_FILE.test(file))) {
      try {
        const record = JSON.parse(await readFile(join(this.dir, name), "utf8")) as SpoolRecord;
        if (record.database !== this.database) continue;
        const { database: _database, replay: base64, replayRawBytes, ...match } = record;
        let replay: CompressedReplay | undefined;
        if (replayRawBytes !== undefined) replay = await this.readReplay(match.id, replayRawBytes);
        else if (base64 !== undefined) {
          const raw = Buffer.from(base64, "base64");
          replay = { compressed: await compress(raw, { level: 6 }), rawBytes: raw.byteLength };
        }
        matches.push({ ...match, replay });
      } catch (error) {
        this.log.warn("kept match result unreadable; left in place", { file: name, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return matches.sort((a, b) => a.endedAt - b.endedAt);
  }

  /** A kept match's recording; none, with a warning, when its file is gone (the match's results still count). */
  private async readReplay(id: string, rawBytes: number): Promise<CompressedReplay | undefined> {
    try {
      return { compressed: await readFile(this.replayFile(id)), rawBytes };
    } catch (error) {
      this.log.warn("kept match's recording unreadable; the match is written without it", { matchId: id, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  private replayFile(id: string): string {
    return join(this.dir, `${id}.replay.z`);
  }
}

import type { Log } from "../log.ts";
import type { RecordedMatch } from "../rooms/matchRecorder.ts";
import { openDatabase, type Database, type DatabaseLocation } from "../storage/database.ts";
import { Leaderboards } from "../storage/leaderboards.ts";
import type { MatchPlayerResult } from "../storage/matches.ts";
import { MatchStore } from "../storage/matches.ts";
import { migrate } from "../storage/migrations.ts";
import { ModerationStore } from "../storage/moderation.ts";
import { ProfileStore } from "../storage/profiles.ts";
import { DEFAULT_RETRY, ResultQueue, type RetryPolicy } from "./resultQueue.ts";
import { ResultSpool, type PendingMatch } from "./resultSpool.ts";

const DAY_MS = 24 * 3600 * 1000;
/** How often recordings past their retention are deleted. */
const PURGE_EVERY_MS = 3600 * 1000;
/** On shutdown, waiting results get this long to reach the database. */
const CLOSE_GRACE_MS = 3000;

export interface PlayerRecordsOptions {
  database: DatabaseLocation;
  /** 0: recordings are not stored. */
  replayRetentionDays: number;
  resultsQueueLimit: number;
  /** Where finished matches wait on disk until written (survives a killed process); none: memory only. */
  spoolDir?: string;
  log: Log;
  /** Retry timing (tests shorten it). */
  retry?: Partial<Omit<RetryPolicy, "limit">>;
}


/** A match's id: the room, its seed and the match's number, the same on whichever process ends it (live migration keeps all three). */
export function matchIdOf(match: Pick<RecordedMatch, "roomId" | "seed" | "matchNumber">): string {
  return `${match.roomId}-${match.seed.toString(36)}-${match.matchNumber}`;
}

/** Places by score, best first; equal scores share a place (1, 1, 3). */
export function placements(scores: readonly number[]): number[] {
  return scores.map((score) => 1 + scores.filter((other) => other > score).length);
}

/**
 * Everything the server keeps about players: the database (migrated at
 * start), its stores, and the queue that carries finished matches there
 * without the rooms ever waiting on it.
 */
export class PlayerRecords {
  readonly db: Database;
  readonly profiles: ProfileStore;
  readonly matches: MatchStore;
  readonly leaderboards: Leaderboards;
  /** Bans, the audit log, chat mutes and reports. */
  readonly moderation: ModerationStore;
  readonly queue: ResultQueue<PendingMatch>;
  private readonly options: PlayerRecordsOptions;
  private purgeTimer: NodeJS.Timeout | undefined;
  private readonly spool: ResultSpool | undefined;

  constructor(options: PlayerRecordsOptions) {
    this.options = options;
    this.db = openDatabase(options.database);
    this.profiles = new ProfileStore(this.db);
    this.matches = new MatchStore(this.db);
    this.leaderboards = new Leaderboards(this.db);
    this.moderation = new ModerationStore(this.db);
    this.spool = options.spoolDir === undefined ? undefined : new ResultSpool(options.spoolDir, this.db.label, options.log);
    this.queue = new ResultQueue((match) => this.write(match), {
      ...DEFAULT_RETRY, ...options.retry, limit: options.resultsQueueLimit,
    }, options.log);
  }

  /**
   * Brings the schema up to date, queues the matches an earlier process left
   * on disk, and starts deleting old recordings. Rejects when the database
   * cannot be reached.
   */
  async start(): Promise<void> {
    const applied = await migrate(this.db);
    if (applied.length > 0) this.options.log.info("database migrated", { database: this.db.label, versions: applied });
    const left = await this.spool?.load() ?? [];
    if (left.length > 0) this.options.log.info("writing match results an earlier process left", { matchIds: left.map((match) => match.id) });
    for (const match of left) this.queue.submit(match);
    if (this.options.replayRetentionDays > 0) {
      await this.purge();
      this.purgeTimer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
      this.purgeTimer.unref();
    }
  }

  /**
   * The rooms' recorders hand each finished match here (`MatchRecorder`'s
   * sink). Never blocks and never throws: the match is queued and written later.
   */
  readonly sink = (recorded: RecordedMatch): void => {
    const places = placements(recorded.players.map(({ player }) => player.score));
    // One profile playing twice in a match (two tabs) counts once: its first seat.
    const counted = new Set<string>();
    const ranked = (profileId: string | undefined): boolean => {
      if (profileId === undefined || counted.has(profileId)) return false;
      counted.add(profileId);
      return true;
    };
    const players = recorded.players.map(({ player, profileId, secondsPlayed }, index): MatchPlayerResult => ({
      profileId: !player.bot && ranked(profileId) ? profileId : undefined,
      name: player.name, bot: player.bot, kills: player.score, deaths: player.deaths, score: player.score,
      placement: places[index]!, secondsPlayed,
    }));
    const match: PendingMatch = {
      id: matchIdOf(recorded), roomId: recorded.roomId, matchNumber: recorded.matchNumber, startedAt: recorded.startedAt,
      endedAt: recorded.endedAt, players, replay: this.options.replayRetentionDays > 0 ? recorded.replay : undefined,
    };
    if (this.queue.submit(match)) void this.spool?.save(match);
  };

  /** Gives waiting results a moment to be written, then closes the database. */
  async close(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.queue.close(CLOSE_GRACE_MS);
    await this.db.close();
  }

  private async write(match: PendingMatch): Promise<void> {
    const started = performance.now();
    const stored = await this.matches.record(match);
    await this.spool?.remove(match.id);
    this.options.log.debug("match stored", { matchId: match.id, stored, ms: Math.round(performance.now() - started) });
  }

  private async purge(): Promise<void> {
    try {
      const dropped = await this.matches.dropReplaysBefore(Date.now() - this.options.replayRetentionDays * DAY_MS);
      if (dropped > 0) this.options.log.info("old recordings deleted", { dropped, retentionDays: this.options.replayRetentionDays });
    } catch (error) {
      this.options.log.warn("old recordings not deleted: the database is unreachable", { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

import type { HistoryEntry } from "../../shared/playerApi.ts";
import type { Database } from "./database.ts";
import { weekStart } from "./leaderboards.ts";

/** One player's line in a finished match. */
export interface MatchPlayerResult {
  /** The player's profile; absent for bots and for guests without one. */
  profileId?: string;
  name: string;
  bot: boolean;
  kills: number;
  deaths: number;
  score: number;
  /** 1 = best score; equal scores share a place (1, 1, 3). */
  placement: number;
  /** Seconds of this match the player was seated. */
  secondsPlayed: number;
}

/** A finished match as the room saw it, ready to store. */
export interface MatchResult {
  /** Unique per match across every process and restart (see `matchIdOf`). */
  id: string;
  roomId: string;
  matchNumber: number;
  /** ms since the epoch. */
  startedAt: number;
  endedAt: number;
  players: MatchPlayerResult[];
  replay?: CompressedReplay;
}

/** A match's recording, compressed (`node:zlib` deflate), and its size before compression. */
export interface CompressedReplay {
  compressed: Uint8Array;
  rawBytes: number;
}


/** The path any process serves a stored recording at. */
export function replayPath(matchId: string): string {
  return `/api/replays/${encodeURIComponent(matchId)}`;
}

/** Finished matches, per-player lines, totals and recordings. */
export class MatchStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * Stores a match in one transaction: the match, each player's line, the
   * ranked players' totals (all time and the match's week) and the recording. Idempotent on `result.id`: a
   * second report of the same match changes nothing and resolves false.
   * Bots and profile-less guests get a line but no totals.
   */
  async record(result: MatchResult): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.run(
        "INSERT INTO matches (id, room_id, match_number, started_at, ended_at, players) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        [result.id, result.roomId, result.matchNumber, result.startedAt, result.endedAt, result.players.length],
      );
      if (inserted === 0) return false;
      for (const [slot, player] of result.players.entries()) {
        const ranked = !player.bot && player.profileId !== undefined;
        // A profile deleted while its player was still in the match leaves an anonymous line.
        const profileId = ranked ? player.profileId! : null;
        const updated = ranked ? await tx.run(
          `UPDATE profiles SET name = ?, matches = matches + 1, wins = wins + ?, kills = kills + ?, deaths = deaths + ?,
             score = score + ?, seconds_played = seconds_played + ? WHERE id = ?`,
          [player.name, player.placement === 1 ? 1 : 0, player.kills, player.deaths, player.score, player.secondsPlayed, profileId],
        ) : 0;
        if (updated > 0) {
          await tx.run(
            `INSERT INTO profile_weeks (week_start, profile_id, matches, wins, kills, deaths) VALUES (?, ?, 1, ?, ?, ?)
             ON CONFLICT (week_start, profile_id) DO UPDATE SET matches = profile_weeks.matches + 1, wins = profile_weeks.wins + excluded.wins,
               kills = profile_weeks.kills + excluded.kills, deaths = profile_weeks.deaths + excluded.deaths`,
            [weekStart(result.endedAt), profileId, player.placement === 1 ? 1 : 0, player.kills, player.deaths],
          );
        }
        await tx.run(
          `INSERT INTO match_players (match_id, slot, profile_id, name, bot, kills, deaths, score, placement, seconds_played, ended_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [result.id, slot, updated > 0 ? profileId : null, player.name, player.bot ? 1 : 0, player.kills, player.deaths,
            player.score, player.placement, player.secondsPlayed, result.endedAt],
        );
      }
      if (result.replay) {
        await tx.run("INSERT INTO replays (match_id, bytes, raw_bytes, created_at) VALUES (?, ?, ?, ?)",
          [result.id, result.replay.compressed, result.replay.rawBytes, result.endedAt]);
      }
      return true;
    });
  }

  /** Whether a match with this id is stored. */
  async has(matchId: string): Promise<boolean> {
    return (await this.db.one("SELECT id FROM matches WHERE id = ?", [matchId])) !== undefined;
  }

  /** A profile's last `limit` matches, newest first. */
  async history(profileId: string, limit: number): Promise<HistoryEntry[]> {
    const rows = await this.db.all<{
      match_id: string; room_id: string; ended_at: number; players: number; kills: number; deaths: number; score: number;
      placement: number; seconds_played: number; has_replay: number;
    }>(
      `SELECT mp.match_id, m.room_id, mp.ended_at, m.players, mp.kills, mp.deaths, mp.score, mp.placement, mp.seconds_played,
         CASE WHEN r.match_id IS NULL THEN 0 ELSE 1 END AS has_replay
       FROM match_players mp JOIN matches m ON m.id = mp.match_id LEFT JOIN replays r ON r.match_id = mp.match_id
       WHERE mp.profile_id = ? ORDER BY mp.ended_at DESC, mp.match_id LIMIT ?`,
      [profileId, limit],
    );
    return rows.map((row) => ({
      matchId: row.match_id, roomId: row.room_id, endedAt: row.ended_at, players: row.players, kills: row.kills, deaths: row.deaths,
      score: row.score, placement: row.placement, secondsPlayed: row.seconds_played,
      replayUrl: Number(row.has_replay) === 1 ? replayPath(row.match_id) : null,
    }));
  }

  /** A stored recording, still compressed. */
  async replay(matchId: string): Promise<Uint8Array | undefined> {
    return (await this.db.one<{ bytes: Uint8Array }>("SELECT bytes FROM replays WHERE match_id = ?", [matchId]))?.bytes;
  }

  /** Drops recordings made before `before` (ms since the epoch); the matches and stats stay. Resolves with how many. */
  async dropReplaysBefore(before: number): Promise<number> {
    return this.db.run("DELETE FROM replays WHERE created_at < ?", [before]);
  }

  /** Bytes of stored recordings: compressed, raw, and how many (for the docs' figures). */
  async replayBytes(): Promise<{ count: number; compressed: number; raw: number }> {
    const row = await this.db.one<{ count: number; compressed: number | null; raw: number | null }>(
      "SELECT COUNT(*) AS count, CAST(SUM(LENGTH(bytes)) AS BIGINT) AS compressed, CAST(SUM(raw_bytes) AS BIGINT) AS raw FROM replays",
    );
    return { count: Number(row?.count ?? 0), compressed: Number(row?.compressed ?? 0), raw: Number(row?.raw ?? 0) };
  }
}

import type { Board, LeaderboardEntry, Period } from "../../shared/playerApi.ts";
import type { Database, SqlValue } from "./database.ts";

export interface BoardQuery {
  board: Board;
  period: Period;
  /** "now", for the week's start (ms since the epoch). */
  now?: number;
}

/** Kills per death ranks only players with at least this many matches in the period: one lucky match is not a ratio. */
export const KD_MIN_MATCHES = 5;

/** Monday 00:00 UTC of the week holding `now`, in ms since the epoch. */
export function weekStart(now: number): number {
  const day = new Date(now);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - sinceMonday);
}

/** The ranked value of each board, over columns matches, wins, kills, deaths. */
const VALUE: Record<Board, string> = {
  kills: "kills",
  wins: "wins",
  kd: "CAST(kills AS DOUBLE PRECISION) / (CASE WHEN deaths > 0 THEN deaths ELSE 1 END)",
};

/**
 * Each board is one query over both backends, with the period as a window in
 * the query (no reset job): all-time reads the totals kept on profiles, a week
 * the totals kept per profile and week (both written with each match). Ranks
 * come from window functions, so a page "around me" carries true ranks
 * without counting twice.
 */
export class Leaderboards {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** The first `limit` entries. */
  async top(query: BoardQuery, limit: number): Promise<LeaderboardEntry[]> {
    const { sql, params } = this.ranked(query);
    return this.entries(`${sql} SELECT * FROM ranked WHERE position <= ? ORDER BY position`, [...params, limit]);
  }

  /** Up to `span` entries either side of `profileId`'s, with it; empty when the player is not on the board. */
  async around(query: BoardQuery, profileId: string, span: number): Promise<LeaderboardEntry[]> {
    const { sql, params } = this.ranked(query);
    return this.entries(
      `${sql}, me AS (SELECT position FROM ranked WHERE id = ?)
       SELECT ranked.* FROM ranked, me WHERE ranked.position BETWEEN me.position - ? AND me.position + ? ORDER BY ranked.position`,
      [...params, profileId, span, span],
    );
  }

  /** Where the period starts (ms since the epoch), or null for all time. */
  since(query: BoardQuery): number | null {
    return query.period === "week" ? weekStart(query.now ?? Date.now()) : null;
  }

  private ranked(query: BoardQuery): { sql: string; params: SqlValue[] } {
    const minMatches = query.board === "kd" ? KD_MIN_MATCHES : 1;
    const since = this.since(query);
    const source = since === null
      ? "SELECT id, name, matches, wins, kills, deaths FROM profiles WHERE matches >= ?"
      : `SELECT p.id, p.name, w.matches, w.wins, w.kills, w.deaths FROM profile_weeks w JOIN profiles p ON p.id = w.profile_id
         WHERE w.week_start = ? AND w.matches >= ?`;
    const params: SqlValue[] = since === null ? [minMatches] : [since, minMatches];
    const value = VALUE[query.board];
    const sql = `WITH board AS (SELECT source.*, ${value} AS value FROM (${source}) source),
      ranked AS (
        SELECT board.*, RANK() OVER (ORDER BY value DESC) AS rank, ROW_NUMBER() OVER (ORDER BY value DESC, matches ASC, id) AS position
        FROM board
      )`;
    return { sql, params };
  }

  private async entries(sql: string, params: SqlValue[]): Promise<LeaderboardEntry[]> {
    const rows = await this.db.all<LeaderboardEntry & { position: number }>(sql, params);
    return rows.map((row) => ({
      rank: Number(row.rank), id: row.id, name: row.name, value: Number(row.value), matches: Number(row.matches),
      wins: Number(row.wins), kills: Number(row.kills), deaths: Number(row.deaths),
    }));
  }
}

/**
 * The shapes of the player-data API (docs/players.md) as they travel: what the
 * server's storage answers and the browser's panels read. One definition, so
 * the two cannot drift apart.
 */

export const BOARDS = ["kills", "wins", "kd"] as const;
/** What a board ranks by: total kills, matches won, or kills per death. */
export type Board = (typeof BOARDS)[number];
export const PERIODS = ["all", "week"] as const;
/** All time, or since this week began (Monday 00:00 UTC). */
export type Period = (typeof PERIODS)[number];

/** One line of a board (`GET /api/leaderboard`). */
export interface LeaderboardEntry {
  /** 1 = best; equal values share a rank (1, 1, 3). */
  rank: number;
  id: string;
  name: string;
  /** What the board ranks by (kills per death: kills / max(deaths, 1)). */
  value: number;
  matches: number;
  wins: number;
  kills: number;
  deaths: number;
}

/** What `GET /api/leaderboard` answers. */
export interface LeaderboardPage {
  board: Board;
  period: Period;
  /** Kills per death ranks only players with at least this many matches in the period. */
  minMatches: number;
  entries: LeaderboardEntry[];
  /** The lines around the player asked for with `around=`, when it is on the board. */
  around?: LeaderboardEntry[];
}

/** A line of a player's match history (`GET /api/players/:id/matches`). */
export interface HistoryEntry {
  matchId: string;
  roomId: string;
  /** ms since the epoch. */
  endedAt: number;
  /** Everyone seated at the end, bots included. */
  players: number;
  kills: number;
  deaths: number;
  score: number;
  placement: number;
  secondsPlayed: number;
  /** Where the recording is served, or null when none is kept. */
  replayUrl: string | null;
}

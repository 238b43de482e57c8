/** What the end-of-match table says, as plain data (no DOM): the scoreboard draws it. */
import { everyone, type RoomView, type RosterEntry } from "../net/roomMode.ts";
import { playerColor } from "../palette.ts";

/** One line of the table. */
export interface ScoreLine {
  /** The player's session id. */
  id: string;
  /** 1 for the best; players level on kills and deaths share nothing: the order is by name then. */
  rank: number;
  name: string;
  kills: number;
  deaths: number;
  /** The player's colour in the arena, as CSS hex. */
  color: string;
  /** The line of the player looking at the table. */
  me: boolean;
}

/** What the table says: its title and its lines, best first. */
export interface ScoreTable {
  title: string;
  lines: ScoreLine[];
}

/** Lines in one column at most: more go into a second column where the screen is wide and short. */
export const LINES_PER_COLUMN = 8;

/**
 * The table for `state` as seen by the player `myId` (a spectator's id
 * matches no line): names, kills and deaths, most kills first, then fewest
 * deaths, then by name; titled with the winner once the match is over. In
 * the large mode it lists the room's roster: everyone, in view or not.
 */
export function scoreTable(state: RoomView, myId: string): ScoreTable {
  const players: Array<[string, RosterEntry]> = [];
  everyone(state)?.forEach((player, id) => players.push([id, player]));
  players.sort(([, a], [, b]) => b.score - a.score || a.deaths - b.deaths || a.name.localeCompare(b.name));
  const lines = players.map(([id, player], index) => ({
    id, rank: index + 1, name: player.name, kills: player.score, deaths: player.deaths,
    color: `#${playerColor(player.color).toString(16).padStart(6, "0")}`, me: id === myId,
  }));
  const title = state.phase === "scoreboard"
    ? `Match ${state.matchNumber} over: ${lines[0] ? `${lines[0].name} wins` : "no players"}`
    : `Match ${state.matchNumber}`;
  return { title, lines };
}

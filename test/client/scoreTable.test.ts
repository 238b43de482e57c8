import { describe, expect, it } from "vitest";
import { scoreTable } from "../../client/hud/scoreTable.ts";
import { PLAYER_COLORS } from "../../client/palette.ts";
import type { ArenaView, PlayerView } from "../../shared/protocol.ts";

/** A room's state as the client decodes it, with players given by id. */
function state(phase: ArenaView["phase"], players: Record<string, Partial<PlayerView>>): ArenaView {
  const seated = new Map(Object.entries(players).map(([id, player], index) => [id, { name: id, score: 0, deaths: 0, color: index, ...player } as PlayerView]));
  return { players: seated, projectiles: new Map(), phase, timeLeft: 10, matchNumber: 3, spectators: 0 } as unknown as ArenaView;
}

describe("the scoreboard's table", () => {
  it("ranks by kills, then fewest deaths, then name, and marks the player's own line", () => {
    const table = scoreTable(state("playing", {
      ada: { name: "Ada", score: 2, deaths: 5 },
      bo: { name: "Bo", score: 7, deaths: 1 },
      cy: { name: "Cy", score: 2, deaths: 1 },
      di: { name: "Di", score: 2, deaths: 1 },
    }), "di");
    expect(table.title).toBe("Match 3");
    expect(table.lines.map((line) => [line.rank, line.name, line.kills, line.deaths, line.me])).toEqual([
      [1, "Bo", 7, 1, false],
      [2, "Cy", 2, 1, false],
      [3, "Di", 2, 1, true],
      [4, "Ada", 2, 5, false],
    ]);
  });

  it("gives each player the colour it has in the arena, as CSS hex", () => {
    const table = scoreTable(state("playing", { a: { color: 1 }, b: { color: 17 } }), "a");
    expect(table.lines.map((line) => line.color)).toEqual([1, 1].map((index) => `#${PLAYER_COLORS[index].toString(16).padStart(6, "0")}`));
  });

  it("lists the large mode's roster, everyone in the room, not only the players in view", () => {
    const inView = state("playing", { me: { name: "Me", score: 1 } });
    const roster = new Map(Object.entries({
      me: { name: "Me", score: 1, deaths: 0, color: 0 },
      far: { name: "Far away", score: 5, deaths: 2, color: 3 },
    }));
    const table = scoreTable({ ...inView, mapSeed: 9, roster } as unknown as ArenaView, "me");
    expect(table.lines.map((line) => [line.name, line.kills, line.me])).toEqual([["Far away", 5, false], ["Me", 1, true]]);
  });

  it("names the winner once the match is over, and marks no line for a spectator", () => {
    const table = scoreTable(state("scoreboard", { a: { name: "Ada", score: 4 }, b: { name: "Bo", score: 9 } }), "spectator");
    expect(table.title).toBe("Match 3 over: Bo wins");
    expect(table.lines.some((line) => line.me)).toBe(false);
    expect(scoreTable(state("scoreboard", {}), "x").title).toBe("Match 3 over: no players");
  });
});

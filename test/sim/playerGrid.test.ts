import { describe, expect, it } from "vitest";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { largeMap } from "../../shared/largeMap.ts";
import { PlayerGrid } from "../../shared/playerGrid.ts";
import { rerunReplay } from "../../shared/replayRun.ts";
import { mulberry32 } from "../../shared/rng.ts";
import { runSimulation } from "../../shared/simulation.ts";
import { newPlayer, type WorldState } from "../../shared/worldState.ts";

describe("the step's spatial index (shared/playerGrid.ts)", () => {
  it("answers every player standing in a box, in the world's order, whatever the box", () => {
    const random = mulberry32(5);
    const world = { players: new Map() } as WorldState;
    for (let i = 0; i < 300; i++) world.players.set(`p${i}`, { ...newPlayer(`P${i}`), x: random() * 4000, y: random() * 3000 });
    const grid = new PlayerGrid();
    grid.rebuild(world, 4000, 3000);
    const out: number[] = [];
    for (let trial = 0; trial < 200; trial++) {
      const x = random() * 4400 - 200;
      const y = random() * 3400 - 200;
      const w = random() * 600;
      const h = random() * 600;
      const near = grid.near(x, y, x + w, y + h, out).map((i) => grid.ids[i]);
      const inside = [...world.players].filter(([, p]) => p.x >= x && p.x <= x + w && p.y >= y && p.y <= y + h).map(([id]) => id);
      // Every player in the box, and the order is the world's.
      for (const id of inside) expect(near).toContain(id);
      const order = [...world.players.keys()];
      expect(near).toEqual([...near].sort((a, b) => order.indexOf(a!) - order.indexOf(b!)));
    }
  });

  it("gives the game of trying every player: a 100-bot match on the large map, to the same hash, and it replays", () => {
    const map = largeMap(11);
    const run = (crowded: boolean) => runSimulation({
      seed: 4, bots: 100, ticks: 30 * 40, rules: { map: { ...map, crowded }, matchSeconds: 30, scoreboardSeconds: 2 }, record: crowded,
    });
    const indexed = run(true);
    const whole = run(false);
    expect(indexed.kills).toBeGreaterThan(50);
    expect(indexed.matchesPlayed).toBe(1);
    expect(indexed.finalHash).toBe(whole.finalHash);
    const replay = decodeReplay(indexed.replay!);
    expect(replay.header.rules.map?.crowded).toBe(true);
    expect(rerunReplay(replay)).toMatchObject({ matches: true, finalHash: indexed.finalHash });
  });
});

import { describe, expect, it } from "vitest";
import { hashWorld } from "../../shared/hash.ts";
import { createWorld, stepWorld } from "../../shared/world.ts";
import type { WorldEvent, WorldState } from "../../shared/worldState.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import { makeRules } from "../../shared/rules.ts";
import { addPlayer, dumpWorld, fightingBots, inputsFor, runTicks } from "../helpers/sim.ts";

// Matches of 60 s with 5 s scoreboards: 5000 ticks at 30 Hz cover two full
// matches and the start of a third, with kills, respawns and both phase changes.
const rules = makeRules({ matchSeconds: 60, scoreboardSeconds: 5 });
const TICKS = 5000;
const PLAYERS = 6;

function arena(worldSeed: number): WorldState {
  const world = createWorld(worldSeed, rules);
  for (let i = 0; i < PLAYERS; i++) addPlayer(world, `p${i}`, rules);
  return world;
}

/** Where every player is, without the seed itself (which every dump and hash includes). */
function positions(world: WorldState): string {
  return JSON.stringify([...world.players].map(([id, player]) => [id, player.x, player.y]));
}

function countOf(events: readonly WorldEvent[], type: WorldEvent["type"]): number {
  return events.filter((event) => event.type === type).length;
}

describe("determinism", () => {
  describe("same seed, same inputs", () => {
    it(`${PLAYERS} fighting players give the same world, bit for bit, at every checkpoint of ${TICKS} ticks`, () => {
      const first = arena(42);
      const second = arena(42);
      const firstBots = fightingBots(first, 7);
      const secondBots = fightingBots(second, 7);
      const firstEvents: WorldEvent[] = [];
      const secondEvents: WorldEvent[] = [];
      for (let tick = 1; tick <= TICKS; tick++) {
        stepWorld(first, inputsFor(first, firstBots), rules, firstEvents);
        stepWorld(second, inputsFor(second, secondBots), rules, secondEvents);
        if (tick % 250 === 0) {
          expect(hashWorld(second), `hash at tick ${tick}`).toBe(hashWorld(first));
          expect(dumpWorld(second), `dump at tick ${tick}`).toBe(dumpWorld(first));
        }
      }
      expect(secondEvents).toEqual(firstEvents);
      // The run covered what it claims to: combat, deaths and the match cycle.
      expect(countOf(firstEvents, "kill")).toBeGreaterThan(20);
      expect(countOf(firstEvents, "respawn")).toBeGreaterThan(20);
      expect(countOf(firstEvents, "matchEnd")).toBe(2);
      expect(countOf(firstEvents, "matchStart")).toBe(2);
      expect(first.matchNumber).toBe(3);
      expect(first.nextProjectileId).toBeGreaterThan(200);
    });

    it("a recorded input log replays to the same state hash", () => {
      const live = arena(9);
      const bots = fightingBots(live, 3);
      const log: Map<string, PlayerInput[]>[] = [];
      for (let tick = 0; tick < TICKS; tick++) {
        const inputs = inputsFor(live, bots);
        // A deep copy, as a log on disk would hold.
        log.push(new Map([...inputs].map(([id, queue]) => [id, queue.map((one) => ({ ...one }))])));
        stepWorld(live, inputs, rules, []);
      }
      const replay = arena(9);
      for (const inputs of log) stepWorld(replay, inputs, rules, []);
      expect(hashWorld(replay)).toBe(hashWorld(live));
      expect(dumpWorld(replay)).toBe(dumpWorld(live));
    });
  });

  describe("different seeds", () => {
    it("a different match seed gives a different world under the same bots", () => {
      const first = arena(42);
      const second = arena(43);
      runTicks(first, rules, 600, fightingBots(first, 7));
      runTicks(second, rules, 600, fightingBots(second, 7));
      expect(positions(second)).not.toBe(positions(first));
      expect(hashWorld(second)).not.toBe(hashWorld(first));
    });

    it("different inputs give a different world from the same match seed", () => {
      const first = arena(42);
      const second = arena(42);
      runTicks(first, rules, 600, fightingBots(first, 7));
      runTicks(second, rules, 600, fightingBots(second, 8));
      expect(hashWorld(second)).not.toBe(hashWorld(first));
    });

    it("the match seed decides where everyone first spawns", () => {
      expect(positions(arena(42))).toBe(positions(arena(42)));
      expect(positions(arena(43))).not.toBe(positions(arena(42)));
    });
  });

  describe("the state hash", () => {
    it("changes when any one player field changes", () => {
      const world = arena(1);
      const before = hashWorld(world);
      const player = world.players.get("p3")!;
      for (const field of ["x", "y", "vx", "vy", "aim", "hp", "score", "deaths", "shieldUntilTick", "respawnTick", "reloadTicks"] as const) {
        const kept = player[field];
        player[field] = kept + 1;
        expect(hashWorld(world), field).not.toBe(before);
        player[field] = kept;
      }
      player.alive = !player.alive;
      expect(hashWorld(world)).not.toBe(before);
      player.alive = !player.alive;
      expect(hashWorld(world)).toBe(before);
    });

    it("does not depend on the order players were added in", () => {
      const world = arena(1);
      const reversed = createWorld(1, rules);
      for (const [id, player] of [...world.players].reverse()) reversed.players.set(id, { ...player });
      expect(hashWorld(reversed)).toBe(hashWorld(world));
    });
  });
});

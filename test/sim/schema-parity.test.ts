/**
 * The claim `shared/` rests on: the same step gives the same result on the
 * server's schema instances and on plain objects (client prediction, the
 * headless runner, these tests).
 */
import { describe, expect, it } from "vitest";
import { ArenaState, Player, Projectile } from "../../server/schema/ArenaState.ts";
import { PLAYER_RADIUS } from "../../shared/constants.ts";
import { circleOverlapsWall } from "../../shared/geometry.ts";
import { hashWorld } from "../../shared/hash.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { createPlainWorld, plainPlayer, plainProjectile } from "../../shared/plainWorld.ts";
import { stepPlayer, type MoveIntent, type MovingPlayer } from "../../shared/player.ts";
import { mulberry32, type Random } from "../../shared/rng.ts";
import { makeRules } from "../../shared/rules.ts";
import {
  spawnPlayer, startMatch, stepWorld, type ProjectileState, type WorldEvent,
} from "../../shared/world.ts";
import { dumpWorld, fightingBots, inputsFor } from "../helpers/sim.ts";

const rules = makeRules({ matchSeconds: 60, scoreboardSeconds: 5 });
const MOVING_FIELDS = ["x", "y", "vx", "vy", "alive"] as const;

/**
 * A held move intent as a client may send it: keys (−1, 0, 1), a stick
 * (any float32 in −1…1), or garbage the step must clamp (NaN, ±Infinity, out of range).
 */
function randomIntent(random: Random): MoveIntent {
  const axis = (): number => {
    const kind = random();
    if (kind < 0.4) return Math.floor(random() * 3) - 1;
    if (kind < 0.85) return Math.fround(random() * 2 - 1);
    return [NaN, Infinity, -Infinity, 3, -2.5, -0][Math.floor(random() * 6)];
  };
  return { moveX: axis(), moveY: axis() };
}

function touchingWall(player: MovingPlayer): boolean {
  return ARENA_MAP.walls.some((wall) => circleOverlapsWall(player.x, player.y, PLAYER_RADIUS + 0.01, wall));
}

/** Fails with the tick and field where the schema player and the plain one first differ. */
function expectSameMovingPlayer(schemaPlayer: MovingPlayer, plain: MovingPlayer, context: string): void {
  for (const field of MOVING_FIELDS) {
    if (!Object.is(schemaPlayer[field], plain[field])) {
      expect.fail(`${context}: ${field} is ${schemaPlayer[field]} on the schema, ${plain[field]} on the plain object`);
    }
  }
}

describe("schema parity", () => {
  describe("stepPlayer", () => {
    it("gives identical results on a schema Player and a plain object, walls and edges included", () => {
      const random = mulberry32(2024);
      let wallContacts = 0;
      // Starts next to walls, in corners of the world and in the open.
      const starts = [
        ...ARENA_MAP.walls.map((wall) => ({ x: wall.x - PLAYER_RADIUS - 2, y: wall.y + wall.h / 2 })),
        { x: PLAYER_RADIUS, y: PLAYER_RADIUS }, { x: 1600 - PLAYER_RADIUS, y: 1200 - PLAYER_RADIUS }, { x: 800, y: 300 },
      ].filter((start) => start.x >= PLAYER_RADIUS);
      for (const [run, start] of starts.entries()) {
        const schemaPlayer = new Player({ x: start.x, y: start.y, alive: true });
        const plain: MovingPlayer = { x: start.x, y: start.y, vx: 0, vy: 0, alive: true };
        let intent = randomIntent(random);
        for (let tick = 0; tick < 1500; tick++) {
          if (random() < 0.08) intent = randomIntent(random);
          stepPlayer(schemaPlayer, intent, rules.dt);
          stepPlayer(plain, intent, rules.dt);
          expectSameMovingPlayer(schemaPlayer, plain, `run ${run}, tick ${tick}`);
          if (touchingWall(plain)) wallContacts++;
        }
      }
      expect(wallContacts).toBeGreaterThan(100);
    });

    it("gives identical results for a dead player", () => {
      const schemaPlayer = new Player({ x: 300, y: 300, vx: 50, vy: -20, alive: false });
      const plain: MovingPlayer = { x: 300, y: 300, vx: 50, vy: -20, alive: false };
      stepPlayer(schemaPlayer, { moveX: 1, moveY: 0 }, rules.dt);
      stepPlayer(plain, { moveX: 1, moveY: 0 }, rules.dt);
      expectSameMovingPlayer(schemaPlayer, plain, "dead");
    });
  });

  describe("stepWorld", () => {
    function schemaArena(seed: number, players: number): ArenaState {
      const state = new ArenaState();
      // As the room does: the seed first, then the first match.
      state.seed = seed;
      startMatch(state, rules);
      for (let i = 0; i < players; i++) {
        const player = new Player({ name: `p${i}` });
        spawnPlayer(state, `p${i}`, player, rules);
        state.players.set(`p${i}`, player);
      }
      return state;
    }

    function plainArena(seed: number, players: number) {
      const world = createPlainWorld(seed, rules);
      for (let i = 0; i < players; i++) {
        const player = plainPlayer(`p${i}`);
        spawnPlayer(world, `p${i}`, player, rules);
        world.players.set(`p${i}`, player);
      }
      return world;
    }

    it("starts the same on an ArenaState and a plain world", () => {
      expect(hashWorld(schemaArena(77, 6))).toBe(hashWorld(plainArena(77, 6)));
      expect(dumpWorld(schemaArena(77, 6))).toBe(dumpWorld(plainArena(77, 6)));
    });

    it("ends the same on an ArenaState and a plain world after thousands of ticks of fighting", () => {
      const state = schemaArena(77, 6);
      const world = plainArena(77, 6);
      const stateBots = fightingBots(state, 5);
      const worldBots = fightingBots(world, 5);
      const stateEvents: WorldEvent[] = [];
      const worldEvents: WorldEvent[] = [];
      let schemaProjectiles = 0;
      const makeProjectile = (init: ProjectileState) => {
        schemaProjectiles++;
        return new Projectile(init);
      };
      for (let tick = 1; tick <= 4000; tick++) {
        stepWorld(state, inputsFor(state, stateBots), rules, makeProjectile, stateEvents);
        stepWorld(world, inputsFor(world, worldBots), rules, plainProjectile, worldEvents);
        if (tick % 500 === 0) expect(hashWorld(state), `tick ${tick}`).toBe(hashWorld(world));
      }
      expect(dumpWorld(state)).toBe(dumpWorld(world));
      expect(stateEvents).toEqual(worldEvents);
      expect(stateEvents.some((event) => event.type === "kill")).toBe(true);
      expect(stateEvents.some((event) => event.type === "matchStart")).toBe(true);
      // Every shot on the schema side was made by its own factory.
      expect(schemaProjectiles).toBe(state.nextProjectileId - 1);
      expect(schemaProjectiles).toBeGreaterThan(100);
    });
  });
});

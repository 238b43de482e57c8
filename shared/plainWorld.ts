import { PLAYER_MAX_HP } from "./constants.ts";
import type { MatchRules } from "./rules.ts";
import { startMatch, type PlayerState, type ProjectileState, type WorldState } from "./world.ts";

/**
 * A world made of plain objects and `Map`s: what the headless runner and the
 * tests step, with exactly the rules the server applies to its schema state.
 */
export type PlainWorld = WorldState<PlayerState, ProjectileState> & {
  players: Map<string, PlayerState>;
  projectiles: Map<string, ProjectileState>;
};

/** A new world at tick 0 whose first match is running. */
export function createPlainWorld(seed: number, rules: MatchRules): PlainWorld {
  const world: PlainWorld = {
    tick: 0, seed: seed >>> 0, phase: "playing", phaseEndTick: 0, timeLeft: 0,
    matchNumber: 0, nextProjectileId: 1, players: new Map(), projectiles: new Map(),
  };
  startMatch(world, rules);
  return world;
}

/** A player record with every field at its resting default (not yet spawned). */
export function plainPlayer(name: string, color = 0): PlayerState & { color: number } {
  return {
    name, x: 0, y: 0, vx: 0, vy: 0, aim: 0, hp: PLAYER_MAX_HP, score: 0, deaths: 0,
    alive: false, shielded: false, connected: true, shieldUntilTick: 0, respawnTick: 0, reloadTicks: 0, color,
  };
}

/** Copies a projectile's initial fields into a plain object. */
export function plainProjectile(init: ProjectileState): ProjectileState {
  return { ...init };
}

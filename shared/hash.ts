import { hashString } from "./rng.ts";
import type { WorldState } from "./worldState.ts";

/**
 * A 32-bit FNV-1a hash of everything that defines a world: the clock, the match,
 * and every player and projectile field, visited in sorted id order so that
 * insertion order does not matter. Two worlds with the same hash are, for all
 * practical purposes, the same world; numbers enter at full precision.
 */
export function hashWorld(world: WorldState): string {
  const parts: string[] = [
    `t${world.tick}`, `s${world.seed}`, world.phase, `e${world.phaseEndTick}`,
    `m${world.matchNumber}`, `n${world.nextProjectileId}`,
  ];
  for (const [id, p] of sortedEntries(world.players)) {
    parts.push(id, p.name, num(p.x), num(p.y), num(p.vx), num(p.vy), num(p.aim), num(p.hp),
      num(p.score), num(p.deaths), String(p.alive), String(p.shielded), String(p.connected),
      num(p.shieldUntilTick), num(p.respawnTick), num(p.reloadTicks));
  }
  for (const [id, j] of sortedEntries(world.projectiles)) {
    parts.push(id, j.owner, num(j.x), num(j.y), num(j.vx), num(j.vy), num(j.expireTick), num(j.lagMs));
  }
  return hashString(parts.join("|")).toString(16).padStart(8, "0");
}

function sortedEntries<T>(map: { forEach(cb: (value: T, key: string) => void): void }): [string, T][] {
  const entries: [string, T][] = [];
  map.forEach((value, key) => entries.push([key, value]));
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function num(value: number): string {
  return Object.is(value, -0) ? "0" : String(value);
}


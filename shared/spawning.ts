import { positionGrid, type Point } from "./map.ts";
import { snap } from "./precision.ts";
import { hashString, randomFor } from "./rng.ts";
import type { MatchRules } from "./rules.ts";
import type { PlayerState, WorldState } from "./worldState.ts";

/**
 * Puts a (new or dead) player on a spawn point chosen by the seeded PRNG,
 * preferring points with no living enemy close by, with full health and spawn
 * protection. Deterministic in `(world.seed, world.tick, id)`.
 */
export function spawnPlayer(world: WorldState, id: string, player: PlayerState, rules: MatchRules): void {
  const point = chooseSpawnPoint(world, id, rules);
  const grid = positionGrid(rules.map);
  player.x = snap(grid, point.x);
  player.y = snap(grid, point.y);
  player.vx = 0;
  player.vy = 0;
  player.hp = rules.playerMaxHp;
  player.alive = true;
  player.shielded = true;
  player.shieldUntilTick = world.tick + rules.protectionTicks;
  player.respawnTick = 0;
  player.reloadTicks = 0;
}

function chooseSpawnPoint(world: WorldState, id: string, rules: MatchRules): Point {
  const points = rules.map.spawnPoints;
  const random = randomFor(world.seed, world.tick, hashString(id));
  const start = Math.floor(random() * points.length);
  for (let i = 0; i < points.length; i++) {
    const candidate = points[(start + i) % points.length];
    if (!enemyNear(world, id, candidate, rules.spawnSafeDistance)) return candidate;
  }
  return points[start];
}

function enemyNear(world: WorldState, id: string, point: Point, safeDistance: number): boolean {
  let near = false;
  world.players.forEach((other, otherId) => {
    if (otherId === id || !other.alive || !other.connected) return;
    const dx = other.x - point.x;
    const dy = other.y - point.y;
    if (dx * dx + dy * dy < safeDistance * safeDistance) near = true;
  });
  return near;
}

import { PLAYER_RADIUS, PROJECTILE_RADIUS, PROJECTILE_SPEED } from "./constants.ts";
import { float32Angle, segmentHitsWall, segmentWallTime } from "./geometry.ts";
import { NEAR_REACH, wallsNear, type ArenaMap } from "./map.ts";

/** A projectile in flight: position and velocity. */
export interface Flight {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

/** The weapon's state, counted in inputs so the client can predict it exactly. */
export interface Weapon {
  reloadTicks: number;
}

/**
 * One input's worth of trigger: the reload counts down by one, and a held
 * trigger fires when it has run out, restarting it. Returns whether it fired.
 */
export function pullTrigger(weapon: Weapon, fire: boolean, cooldownTicks: number): boolean {
  if (weapon.reloadTicks > 0) weapon.reloadTicks--;
  if (!fire || weapon.reloadTicks > 0) return false;
  weapon.reloadTicks = cooldownTicks;
  return true;
}

/**
 * The projectile a player at (x, y) fires towards `aim` (radians): it leaves
 * the muzzle just outside the player's circle at `speed` (u/s). `undefined`
 * when the muzzle is inside a wall (the player presses against it): the shot
 * goes into the wall.
 */
export function launch(x: number, y: number, aim: number, map: ArenaMap, speed = PROJECTILE_SPEED): Flight | undefined {
  const dirX = Math.cos(aim);
  const dirY = Math.sin(aim);
  const muzzle = PLAYER_RADIUS + PROJECTILE_RADIUS + 1;
  const walls = wallsNear(map, x, y);
  for (let i = 0; i < walls.length; i++) {
    if (segmentHitsWall(x, y, dirX * muzzle, dirY * muzzle, PROJECTILE_RADIUS, walls[i])) return undefined;
  }
  return {
    x: Math.fround(x + dirX * muzzle),
    y: Math.fround(y + dirY * muzzle),
    vx: Math.fround(dirX * speed),
    vy: Math.fround(dirY * speed),
  };
}

/** What one input's trigger pull did: whether the weapon fired, and the projectile if it left the muzzle. */
export interface Shot {
  fired: boolean;
  flight?: Flight;
}

/** What an input that fires nothing gets: one shared answer, since most inputs fire nothing. */
const HELD_FIRE: Shot = Object.freeze({ fired: false });

/**
 * One input's shooting for a living player at (x, y) with `weapon`: the trigger
 * (only while a match is `playing`) and, when it fires, the projectile towards
 * the input's aim (wrapped and rounded to float32, as the input arrives).
 * The server's world step and the client's predicted shots both call this, so
 * the rule lives once.
 */
export function shoot(
  shooter: { x: number; y: number }, weapon: Weapon, fire: boolean, aim: number,
  playing: boolean, cooldownTicks: number, map: ArenaMap, speed = PROJECTILE_SPEED,
): Shot {
  if (!pullTrigger(weapon, fire && playing, cooldownTicks)) return HELD_FIRE;
  return { fired: true, flight: launch(shooter.x, shooter.y, float32Angle(aim), map, speed) };
}

/** Where along the move (dx, dy), t ∈ [0, 1], a projectile first touches a wall or leaves the world; Infinity if never. */
export function wallTimeOf(flight: Flight, dx: number, dy: number, map: ArenaMap): number {
  let first = Infinity;
  // A step within reach of the grid's promise (any step at the game's speeds) looks at the walls near it only.
  const walls = Math.abs(dx) + Math.abs(dy) + PROJECTILE_RADIUS < NEAR_REACH ? wallsNear(map, flight.x, flight.y) : map.walls;
  for (let i = 0; i < walls.length; i++) {
    const t = segmentWallTime(flight.x, flight.y, dx, dy, PROJECTILE_RADIUS, walls[i]);
    if (t < first) first = t;
  }
  const endX = flight.x + dx;
  const endY = flight.y + dy;
  if (endX < PROJECTILE_RADIUS || endY < PROJECTILE_RADIUS
    || endX > map.width - PROJECTILE_RADIUS || endY > map.height - PROJECTILE_RADIUS) first = Math.min(first, 1);
  return first;
}

/**
 * Flies a projectile for `dt` seconds (one frame, or the whole way from where
 * it was fired), stopping it where it meets a wall or the world's edge.
 * Returns false once it has stopped. Clients use it to draw projectiles; the
 * server's step uses the same wall test, and removes a projectile in the
 * tick it stops.
 */
export function flyProjectile(flight: Flight, dt: number, map: ArenaMap): boolean {
  if (flight.vx === 0 && flight.vy === 0) return false;
  const dx = flight.vx * dt;
  const dy = flight.vy * dt;
  const t = Math.min(wallTimeOf(flight, dx, dy, map), edgeTimeOf(flight, dx, dy, map));
  if (t <= 1) {
    flight.x += dx * t;
    flight.y += dy * t;
    flight.vx = 0;
    flight.vy = 0;
    return false;
  }
  flight.x += dx;
  flight.y += dy;
  return true;
}

/** Where along (dx, dy), t ∈ [0, 1], a projectile's circle reaches the world's edge; Infinity if it stays inside. */
function edgeTimeOf(flight: Flight, dx: number, dy: number, map: ArenaMap): number {
  const r = PROJECTILE_RADIUS;
  let t = Infinity;
  if (dx < 0) t = Math.min(t, (r - flight.x) / dx);
  else if (dx > 0) t = Math.min(t, (map.width - r - flight.x) / dx);
  if (dy < 0) t = Math.min(t, (r - flight.y) / dy);
  else if (dy > 0) t = Math.min(t, (map.height - r - flight.y) / dy);
  return t <= 1 ? Math.max(0, t) : Infinity;
}

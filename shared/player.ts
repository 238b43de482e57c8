import {
  PLAYER_ACCEL, PLAYER_FRICTION, PLAYER_MAX_SPEED, PLAYER_RADIUS,
} from "./constants.ts";
import { keepInsideWorld, pushOutOfWall, type Body } from "./geometry.ts";
import { ARENA_MAP, type ArenaMap } from "./map.ts";

/** What movement reads and writes: a schema player on the server, a plain copy in client prediction. */
export interface MovingPlayer extends Body {
  alive: boolean;
}

/** The part of an input that movement reads. */
export interface MoveIntent {
  moveX: number;
  moveY: number;
}

/** Below this speed a player with no move intent comes to rest. */
const REST_SPEED = 1; // u/s

/**
 * Advances one player by one fixed step of `dt` seconds under `intent`:
 * acceleration towards the intent, friction, a speed cap, then sliding
 * collision against the map's walls and the world's edges.
 *
 * Pure: no clock, no randomness, nothing read but its arguments. It mutates
 * `player` in place, so the server runs it on a schema instance and the client
 * on a plain predicted copy, with identical results. Positions and velocities
 * are rounded to float32 at the end because that is what the wire carries: the
 * client's adopted truth is then exactly the server's state, and replaying the
 * unacknowledged inputs from it reproduces the server to the bit.
 */
export function stepPlayer(player: MovingPlayer, intent: MoveIntent, dt: number, map: ArenaMap = ARENA_MAP): void {
  if (!player.alive) {
    player.vx = 0;
    player.vy = 0;
    return;
  }
  let mx = clampUnit(intent.moveX);
  let my = clampUnit(intent.moveY);
  const intentLength = Math.sqrt(mx * mx + my * my);
  if (intentLength > 1) {
    mx /= intentLength;
    my /= intentLength;
  }

  let vx = player.vx + mx * PLAYER_ACCEL * dt;
  let vy = player.vy + my * PLAYER_ACCEL * dt;
  const keep = 1 / (1 + PLAYER_FRICTION * dt);
  vx *= keep;
  vy *= keep;
  const speed = Math.sqrt(vx * vx + vy * vy);
  if (speed > PLAYER_MAX_SPEED) {
    vx *= PLAYER_MAX_SPEED / speed;
    vy *= PLAYER_MAX_SPEED / speed;
  } else if (speed < REST_SPEED && intentLength === 0) {
    vx = 0;
    vy = 0;
  }

  player.vx = vx;
  player.vy = vy;
  player.x += vx * dt;
  player.y += vy * dt;
  // Two passes settle a circle wedged in a corner between two walls.
  for (let pass = 0; pass < 2; pass++) {
    for (const wall of map.walls) pushOutOfWall(player, PLAYER_RADIUS, wall);
  }
  keepInsideWorld(player, PLAYER_RADIUS, map.width, map.height);

  player.x = Math.fround(player.x);
  player.y = Math.fround(player.y);
  player.vx = Math.fround(player.vx);
  player.vy = Math.fround(player.vy);
}

function clampUnit(value: number): number {
  if (!(value > -1)) return value === value ? -1 : 0; // NaN → 0
  return value < 1 ? value : 1;
}

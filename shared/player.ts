import {
  PLAYER_ACCEL, PLAYER_FRICTION, PLAYER_MAX_SPEED, PLAYER_RADIUS,
} from "./constants.ts";
import type { MovementRules } from "./rules.ts";
import { circleOverlapsWall, keepInsideWorld, pushOutOfWall, wallPenetration, type Body } from "./geometry.ts";
import { ARENA_MAP, positionGrid, wallsNear, type ArenaMap, type Wall } from "./map.ts";
import { PLAYER_VELOCITY, fromSteps, snap, toSteps } from "./precision.ts";

/** What movement reads and writes: a plain player of the server's world, a plain predicted copy on the client (any object with these fields). */
export interface MovingPlayer extends Body {
  alive: boolean;
}

/** The part of an input that movement reads. */
export interface MoveIntent {
  moveX: number;
  moveY: number;
}

/** Movement as the game ships: what a client that knows no other rules predicts with. */
export const SHIPPED_MOVEMENT: MovementRules = { playerAccel: PLAYER_ACCEL, playerFriction: PLAYER_FRICTION, playerMaxSpeed: PLAYER_MAX_SPEED };

/** Below this speed a player with no move intent comes to rest. */
const REST_SPEED = 1; // u/s

/**
 * Advances one player by one fixed step of `dt` seconds under `intent`:
 * acceleration towards the intent, friction, a speed cap, then sliding
 * collision against the map's walls and the world's edges.
 *
 * Pure: no clock, no randomness, nothing read but its arguments. It mutates
 * `player` in place, so the server runs it on its world's players and the
 * client on a plain predicted copy, with identical results. Positions and velocities
 * are snapped to the wire's grid at the end (`shared/precision.ts`): the
 * client's adopted truth is then exactly the server's state, and replaying the
 * unacknowledged inputs from it reproduces the server to the bit.
 * `movement` holds the acceleration, friction and top speed (a room's rules, or
 * the game's as shipped).
 */
export function stepPlayer(
  player: MovingPlayer, intent: MoveIntent, dt: number, map: ArenaMap = ARENA_MAP, movement: MovementRules = SHIPPED_MOVEMENT,
): void {
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

  const maxSpeed = movement.playerMaxSpeed;
  let vx = player.vx + mx * movement.playerAccel * dt;
  let vy = player.vy + my * movement.playerAccel * dt;
  const keep = 1 / (1 + movement.playerFriction * dt);
  vx *= keep;
  vy *= keep;
  const speed = Math.sqrt(vx * vx + vy * vy);
  if (speed > maxSpeed) {
    vx *= maxSpeed / speed;
    vy *= maxSpeed / speed;
  } else if (speed < REST_SPEED && intentLength === 0) {
    vx = 0;
    vy = 0;
  }

  // Worked out on a copy and written once: a player whose fields act on every write (a schema instance) sees only the final values.
  const body = moved;
  body.x = player.x + vx * dt;
  body.y = player.y + vy * dt;
  body.vx = vx;
  body.vy = vy;
  const solid = movement.faults?.wallCheckOff ? { ...map, walls: [] } : map;
  resolveWalls(body, solid);
  keepInsideWorld(body, PLAYER_RADIUS, map.width, map.height);
  settleOnGrid(body, solid);
  player.x = body.x;
  player.y = body.y;
  player.vx = snap(PLAYER_VELOCITY, body.vx);
  player.vy = snap(PLAYER_VELOCITY, body.vy);
}

/** The copy `stepPlayer` works on, made once: steps are never nested, and a fresh one per player per tick adds up. */
const moved: Body = { x: 0, y: 0, vx: 0, vy: 0 };

/** At most this many push-outs per step; enough for a circle wedged where walls meet. */
const MAX_WALL_PUSHES = 4;

/**
 * Pushes the player out of overlapping walls, deepest overlap first. Where two
 * walls' faces line up (the L-shapes), the face the player presses on is the
 * deeper overlap, so the other wall's corner never kicks a sliding player away.
 */
function resolveWalls(player: Body, map: ArenaMap): void {
  for (let push = 0; push < MAX_WALL_PUSHES; push++) {
    let deepest: Wall | undefined;
    let deepestDepth = 0;
    const walls = wallsNear(map, player.x, player.y);
    for (let i = 0; i < walls.length; i++) {
      const wall = walls[i];
      const depth = wallPenetration(player.x, player.y, PLAYER_RADIUS, wall);
      if (depth > deepestDepth) {
        deepest = wall;
        deepestDepth = depth;
      }
    }
    if (!deepest) return;
    pushOutOfWall(player, PLAYER_RADIUS, deepest);
  }
}

/**
 * Puts the player on the nearest point of the wire's position grid that is
 * clear of walls and inside the world. Against a wall face the push-out lands
 * on the grid exactly; around a wall's corner the nearest grid point may
 * overlap the wall by a hundredth of a unit, and a neighbouring one is taken.
 */
function settleOnGrid(player: Body, map: ArenaMap): void {
  const grid = positionGrid(map);
  const qx = toSteps(grid, player.x);
  const qy = toSteps(grid, player.y);
  let bestX = fromSteps(grid, qx);
  let bestY = fromSteps(grid, qy);
  if (!isClear(bestX, bestY, map)) {
    let bestDistance = Infinity;
    for (let i = -1; i <= 1; i++) {
      for (let j = -1; j <= 1; j++) {
        const x = fromSteps(grid, qx + i);
        const y = fromSteps(grid, qy + j);
        const distance = (x - player.x) ** 2 + (y - player.y) ** 2;
        if (distance < bestDistance && isClear(x, y, map)) {
          bestDistance = distance;
          bestX = x;
          bestY = y;
        }
      }
    }
  }
  player.x = bestX;
  player.y = bestY;
}

function isClear(x: number, y: number, map: ArenaMap): boolean {
  if (x < PLAYER_RADIUS || y < PLAYER_RADIUS || x > map.width - PLAYER_RADIUS || y > map.height - PLAYER_RADIUS) return false;
  const walls = wallsNear(map, x, y);
  for (let i = 0; i < walls.length; i++) if (circleOverlapsWall(x, y, PLAYER_RADIUS, walls[i])) return false;
  return true;
}

function clampUnit(value: number): number {
  if (!(value > -1)) return value === value ? -1 : 0; // NaN → 0
  return value < 1 ? value : 1;
}

/**
 * Where a bot goes (see `bot.ts` for the whole brain): keeping its distance
 * from its target while strafing, wandering between waypoints, sidestepping
 * shots, steering clear of walls and getting unstuck. Headings are the 32
 * compass directions, so a bot's move input takes few distinct values.
 */
import type { BotMemory, BotSkill, BotView, SeenPlayer, SeenProjectile } from "./botView.ts";
import { PLAYER_RADIUS, PROJECTILE_RADIUS } from "./constants.ts";
import { circleOverlapsWall, segmentHitsWall, wrapAngle } from "./geometry.ts";
import { wallsNear, type ArenaMap, type Point, type Wall } from "./map.ts";
import type { Random } from "./rng.ts";

/** How far ahead the bot looks for walls before moving, and how wide. */
const PROBE_LENGTH = 56; // u
const PROBE_RADIUS = PLAYER_RADIUS + 3; // u
/** How far the probe reaches: it looks at the walls near the bot only (`wallsNear`), so this must stay within NEAR_REACH. */
export const PROBE_REACH = PROBE_LENGTH + PROBE_RADIUS; // u
/** Distance over which the bot closes or opens the gap to its preferred distance at full intent. */
const RANGE_SOFTNESS = 160; // u
/** A projectile arriving within this time and passing this close is dodged. */
const DODGE_HORIZON = 0.45; // s
const DODGE_REACH = PLAYER_RADIUS + PROJECTILE_RADIUS + 10; // u
/** A waypoint this close counts as reached. */
const WAYPOINT_REACHED = 70; // u
/** Moving less than this per tick while trying to move counts as stuck... */
const STUCK_STEP = 0.5; // u
/** ...for this many ticks in a row. */
const STUCK_TICKS = 20;

/** Move headings: 32 compass directions, heading 0 = +x, counting clockwise on screen (y down). */
const DIRECTIONS = 32;
const DIRECTION_STEP = (Math.PI * 2) / DIRECTIONS;
/** The unit move vector of each heading, and its aim angle in [-π, π). */
export const HEADING_X = new Float64Array(DIRECTIONS);
export const HEADING_Y = new Float64Array(DIRECTIONS);
const HEADING_ANGLE = new Float64Array(DIRECTIONS);
for (let i = 0; i < DIRECTIONS; i++) {
  HEADING_X[i] = Math.cos(i * DIRECTION_STEP);
  HEADING_Y[i] = Math.sin(i * DIRECTION_STEP);
  HEADING_ANGLE[i] = wrapAngle(i * DIRECTION_STEP);
}

/** A heading (0…31) as an aim angle in [-π, π). */
export function headingAngle(heading: number): number {
  return HEADING_ANGLE[heading]!;
}

/** Turns tried, in order, when the wanted heading runs into a wall (in steps of 11.25°). */
const TURNS = [2, 4, 6, 8, 11, 14];

/**
 * The heading (0…31) the bot moves along this tick: towards its preferred
 * distance from `target` while strafing, or towards its waypoint; plus a
 * sidestep from incoming shots; then steered clear of walls. Updates the
 * movement parts of `memory`.
 */
export function chooseHeading(
  view: BotView, memory: BotMemory, random: Random, skill: BotSkill, target: SeenPlayer | undefined,
): number {
  const self = view.self;
  let wantX: number;
  let wantY: number;
  if (target) {
    const dx = target.x - self.x;
    const dy = target.y - self.y;
    const distance = Math.sqrt(dx * dx + dy * dy) || 1;
    if (view.tick >= memory.strafeUntilTick) {
      if (random() < 0.5) memory.strafe = -memory.strafe;
      memory.strafeUntilTick = view.tick + Math.round((0.6 + random() * 1.4) * view.rules.tickHz);
    }
    const approach = clamp((distance - skill.preferredDistance) / RANGE_SOFTNESS, -1, 1);
    // Forward/back along the line to the target, plus sideways.
    wantX = (dx * approach - dy * memory.strafe) / distance;
    wantY = (dy * approach + dx * memory.strafe) / distance;
  } else {
    if (needsWaypoint(view, memory)) pickWaypoint(view, memory, random);
    wantX = memory.waypointX - self.x;
    wantY = memory.waypointY - self.y;
    const length = Math.sqrt(wantX * wantX + wantY * wantY) || 1;
    wantX /= length;
    wantY /= length;
  }
  if (skill.dodge > 0) {
    const dodge = dodgeDirection(view);
    wantX += dodge.x * skill.dodge * 1.5;
    wantY += dodge.y * skill.dodge * 1.5;
  }
  const heading = steer(view, headingOf(wantX, wantY), memory);
  trackStuck(view, memory);
  return heading;
}

function needsWaypoint(view: BotView, memory: BotMemory): boolean {
  if (memory.waypointUntilTick === 0 || view.tick >= memory.waypointUntilTick) return true;
  const dx = memory.waypointX - view.self.x;
  const dy = memory.waypointY - view.self.y;
  return dx * dx + dy * dy < WAYPOINT_REACHED * WAYPOINT_REACHED;
}

/** A new waypoint in the open: the middle of the map, anywhere, or the nearest enemy's position. */
function pickWaypoint(view: BotView, memory: BotMemory, random: Random): void {
  const map = view.rules.map;
  const margin = PLAYER_RADIUS * 3;
  memory.waypointUntilTick = view.tick + Math.round((4 + random() * 4) * view.rules.tickHz);
  const kind = random();
  if (kind < 0.25 && huntNearestEnemy(view, memory)) return;
  for (let attempt = 0; attempt < 6; attempt++) {
    const spread = kind < 0.6 ? 0.4 : 1;
    const x = map.width * (0.5 + (random() - 0.5) * spread);
    const y = map.height * (0.5 + (random() - 0.5) * spread);
    if (x < margin || y < margin || x > map.width - margin || y > map.height - margin) continue;
    if (overlapsAnyWall(map.walls, x, y, margin)) continue;
    memory.waypointX = x;
    memory.waypointY = y;
    return;
  }
  const point = map.spawnPoints[Math.floor(random() * map.spawnPoints.length)];
  memory.waypointX = point?.x ?? map.width / 2;
  memory.waypointY = point?.y ?? map.height / 2;
}

function huntNearestEnemy(view: BotView, memory: BotMemory): boolean {
  let bestDistSq = Infinity;
  view.players.forEach((other, id) => {
    if (id === view.id || !other.alive || !other.connected) return;
    const dx = other.x - view.self.x;
    const dy = other.y - view.self.y;
    const distSq = dx * dx + dy * dy;
    if (distSq >= bestDistSq) return;
    bestDistSq = distSq;
    memory.waypointX = other.x;
    memory.waypointY = other.y;
  });
  return bestDistSq < Infinity;
}

function overlapsAnyWall(walls: readonly Wall[], x: number, y: number, radius: number): boolean {
  for (const wall of walls) if (circleOverlapsWall(x, y, radius, wall)) return true;
  return false;
}

/**
 * The search for the shot to dodge, in one object made once: its callback is
 * made once, and the soonest time is a field, not a number boxed anew each
 * time a callback reassigns it. Bots decide one at a time, so one serves all.
 */
class DodgeSearch {
  /** The step to take, a unit vector or (0, 0). */
  x = 0;
  y = 0;
  #soonest = 0;
  #view: BotView | undefined;

  start(view: BotView): void {
    this.#view = view;
    this.#soonest = DODGE_HORIZON;
    this.x = 0;
    this.y = 0;
  }

  /** Lets go of the view (the step stays in `x`, `y`). */
  finish(): void {
    this.#view = undefined;
  }

  readonly visit = (shot: SeenProjectile): void => {
    const view = this.#view!;
    const speedSq = shot.vx * shot.vx + shot.vy * shot.vy;
    if (speedSq === 0) return;
    const rx = view.self.x - shot.x;
    const ry = view.self.y - shot.y;
    // Farther than the shot flies in the horizon plus the reach (|r| > |v|·H + D, tested as
    // |r|² > 2(|v|²H² + D²), which implies it): it cannot pass close in time. Settled without a division,
    // and before the owner's id is compared (which may mean comparing characters).
    if (rx * rx + ry * ry > 2 * (speedSq * DODGE_HORIZON * DODGE_HORIZON + DODGE_REACH * DODGE_REACH)) return;
    if (shot.owner === view.id) return;
    const t = (rx * shot.vx + ry * shot.vy) / speedSq; // s until closest approach
    if (t <= 0 || t >= this.#soonest) return;
    const missX = rx - shot.vx * t;
    const missY = ry - shot.vy * t;
    const missSq = missX * missX + missY * missY;
    if (missSq > DODGE_REACH * DODGE_REACH) return;
    this.#soonest = t;
    // Step to the side of the line the bot is already on (either side if dead centre).
    const side = missX * shot.vy - missY * shot.vx >= 0 ? 1 : -1;
    const speed = Math.sqrt(speedSq);
    this.x = (shot.vy / speed) * side;
    this.y = (-shot.vx / speed) * side;
  };
}

const dodge = new DodgeSearch();

/**
 * A unit step out of the path of the enemy projectile that would hit soonest,
 * or (0, 0). The returned object is reused between calls.
 */
function dodgeDirection(view: BotView): { x: number; y: number } {
  dodge.start(view);
  view.projectiles.forEach(dodge.visit);
  dodge.finish();
  return dodge;
}

/** The compass direction (0…31) nearest to (x, y). */
function headingOf(x: number, y: number): number {
  return Math.round(Math.atan2(y, x) / DIRECTION_STEP) & (DIRECTIONS - 1);
}

/**
 * The heading to take: `wanted` when its path ahead is clear, else the
 * nearest clear heading on one side. A bot keeps turning to the same side
 * while it keeps meeting walls (so it follows a wall round instead of
 * dithering in front of it) and picks the better side afresh only after half a
 * second of open ground. Turning 90° or more while strafing makes it strafe
 * the other way.
 */
function steer(view: BotView, wanted: number, memory: BotMemory): number {
  const map = view.rules.map;
  const self = view.self;
  if (!headingBlocked(map, self, wanted)) return wanted;
  let turn = firstClearTurn(map, self, wanted, memory.turnSide);
  if (turn === 0 || view.tick >= memory.turnUntilTick) {
    const other = firstClearTurn(map, self, wanted, -memory.turnSide);
    if (other !== 0 && (turn === 0 || other < turn)) {
      memory.turnSide = -memory.turnSide;
      turn = other;
    }
  }
  memory.turnUntilTick = view.tick + Math.round(0.5 * view.rules.tickHz);
  if (turn === 0) return (wanted + DIRECTIONS / 2) & (DIRECTIONS - 1); // boxed in: back out
  if (turn >= DIRECTIONS / 4) memory.strafe = -memory.strafe;
  return (wanted + turn * memory.turnSide) & (DIRECTIONS - 1);
}

/** The smallest turn (in 11.25° steps, to `side`) that gives a clear path; 0 when none up to 157.5° does. */
function firstClearTurn(map: ArenaMap, at: Point, wanted: number, side: number): number {
  for (const turn of TURNS) {
    if (!headingBlocked(map, at, (wanted + turn * side) & (DIRECTIONS - 1))) return turn;
  }
  return 0;
}

/** `pathBlocked` along a heading, asked with a point and a heading's number: a call that is not inlined boxes every fraction it passes. */
function headingBlocked(map: ArenaMap, at: Point, heading: number): boolean {
  return pathBlocked(map, at.x, at.y, HEADING_X[heading], HEADING_Y[heading]);
}

/**
 * Whether moving along the unit vector (ux, uy) would run into a wall or the
 * world's edge within PROBE_LENGTH. A wall the bot already touches blocks only
 * the directions that push into it, so it can always slide along or leave.
 */
export function pathBlocked(map: ArenaMap, x: number, y: number, ux: number, uy: number): boolean {
  const dx = ux * PROBE_LENGTH;
  const dy = uy * PROBE_LENGTH;
  const endX = x + dx;
  const endY = y + dy;
  if ((dx < 0 && endX < PROBE_RADIUS) || (dx > 0 && endX > map.width - PROBE_RADIUS)) return true;
  if ((dy < 0 && endY < PROBE_RADIUS) || (dy > 0 && endY > map.height - PROBE_RADIUS)) return true;
  const walls = wallsNear(map, x, y);
  for (let i = 0; i < walls.length; i++) {
    const wall = walls[i];
    // Already within the probe's reach of this wall (the same square-cornered
    // grown wall segmentWallTime tests, which would report a hit at once).
    if (x > wall.x - PROBE_RADIUS && x < wall.x + wall.w + PROBE_RADIUS
      && y > wall.y - PROBE_RADIUS && y < wall.y + wall.h + PROBE_RADIUS) {
      const awayX = x - (x < wall.x ? wall.x : x > wall.x + wall.w ? wall.x + wall.w : x);
      const awayY = y - (y < wall.y ? wall.y : y > wall.y + wall.h ? wall.y + wall.h : y);
      if (awayX * ux + awayY * uy < 0) return true;
      continue;
    }
    if (segmentHitsWall(x, y, dx, dy, PROBE_RADIUS, wall)) return true;
  }
  return false;
}

/** Counts ticks without progress; after STUCK_TICKS the bot picks a new waypoint and turns the other way. */
function trackStuck(view: BotView, memory: BotMemory): void {
  const movedX = view.self.x - memory.lastX;
  const movedY = view.self.y - memory.lastY;
  memory.lastX = view.self.x;
  memory.lastY = view.self.y;
  memory.stuckTicks = movedX * movedX + movedY * movedY < STUCK_STEP * STUCK_STEP ? memory.stuckTicks + 1 : 0;
  if (memory.stuckTicks < STUCK_TICKS) return;
  memory.stuckTicks = 0;
  memory.waypointUntilTick = 0;
  memory.strafe = -memory.strafe;
  memory.turnSide = -memory.turnSide;
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

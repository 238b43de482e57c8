/**
 * The bot brain: one pure function from what a player can see to the input it
 * sends. The same brain drives bots inside server rooms, headless network bots
 * in load tests and the simulation runner.
 *
 * What a bot does, every tick:
 * - **Target**: the nearest living, connected enemy in line of sight (a
 *   projectile-wide corridor clear of every wall, within projectile range).
 *   It keeps its current target unless another is clearly nearer; protected
 *   (shielded) enemies count as farther away and are never shot at.
 * - **Fight**: keeps `preferredDistance` from the target, strafing sideways and
 *   switching sides every second or two; aims where the target will be when
 *   the shot arrives (lead) plus a slowly drifting aim error, and holds the
 *   trigger only with a clear shot, after a reaction time, while a match runs.
 * - **Wander** with no target: towards a waypoint: the middle of the map, a
 *   random open spot, or the nearest enemy's last position; a new one when it
 *   is reached, after a few seconds, or when the bot is stuck.
 * - **Dodge**: sidesteps the soonest enemy projectile that would hit it.
 * - **Steer**: probes ahead before moving and turns away from walls and the
 *   world's edges, preferring to keep turning the way it last turned.
 *
 * Bots move in 32 compass directions at full intent, and aim changes
 * smoothly: a recorded bot input log compresses well.
 *
 * Purity: no clock, no `Math.random`, no reads outside its arguments. The
 * caller keeps one `BotMemory` per bot and passes a seeded `Random`, normally
 * `botRandom(matchSeed, tick, botId)`; the same view, memory and random
 * sequence always give the same input. It allocates only its result and a
 * closure or two, so a call costs a few microseconds.
 */
import {
  PLAYER_RADIUS, PROJECTILE_LIFETIME_SECONDS, PROJECTILE_RADIUS, PROJECTILE_SPEED,
} from "./constants.ts";
import { circleOverlapsWall, segmentWallTime, wrapAngle } from "./geometry.ts";
import type { ArenaMap, Wall } from "./map.ts";
import type { MatchPhase, PlayerInput } from "./protocol.ts";
import { deriveSeed, hashString, randomFor, type Random } from "./rng.ts";

/** The bot's own player as it sees it. */
export interface BotBody {
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
  readonly alive: boolean;
}

/** Another player as the bot sees it (a schema Player, a `PlayerView` or a plain `PlayerState`). */
export interface SeenPlayer extends BotBody {
  readonly connected: boolean;
  readonly shielded: boolean;
}

/** A projectile as the bot sees it. */
export interface SeenProjectile {
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
  /** Id of the shooter. */
  readonly owner: string;
}

/** What both `Map`, schema's `MapSchema` and the client decoder's collections offer. */
export interface SeenCollection<T> {
  get(id: string): T | undefined;
  forEach(callback: (value: T, id: string) => void): void;
}

/** Everything the bot decides from: what any player of the room can see. */
export interface BotView {
  /** The bot's own player id (its session id in a room); its own entry in `players` is skipped. */
  readonly id: string;
  readonly self: BotBody;
  readonly players: SeenCollection<SeenPlayer>;
  readonly projectiles: SeenCollection<SeenProjectile>;
  /** Any tick counter that advances by one per input (the world's tick, or a client's own count). */
  readonly tick: number;
  readonly phase: MatchPhase;
  /** A `MatchRules` will do; only the map and the tick rate are read. */
  readonly rules: { readonly map: ArenaMap; readonly tickHz: number };
}

/**
 * What a bot remembers between ticks: a small plain object the caller keeps
 * per bot (start with `newBotMemory()`); `botInput` updates it in place.
 * Copying it copies the bot's mind.
 */
export interface BotMemory {
  /** Id of the player being fought, "" for none. */
  targetId: string;
  /** Tick at which the current target was first seen; the bot shoots after its reaction time. */
  targetSinceTick: number;
  waypointX: number;
  waypointY: number;
  /** Tick after which a new waypoint is chosen; 0 = none chosen yet. */
  waypointUntilTick: number;
  /** Strafing side around the target: 1 or -1. */
  strafe: number;
  strafeUntilTick: number;
  /** Side the bot turns to avoid walls: 1 (clockwise on screen) or -1. */
  turnSide: number;
  /** Tick until which the bot keeps turning to `turnSide`. */
  turnUntilTick: number;
  /** Current aim error, radians; drifts a little every tick. */
  aimOffset: number;
  /** Consecutive ticks the bot wanted to move and hardly did. */
  stuckTicks: number;
  lastX: number;
  lastY: number;
}

/** A fresh memory: no target, no waypoint. */
export function newBotMemory(): BotMemory {
  return {
    targetId: "", targetSinceTick: 0, waypointX: 0, waypointY: 0, waypointUntilTick: 0,
    strafe: 1, strafeUntilTick: 0, turnSide: 1, turnUntilTick: 0, aimOffset: 0, stuckTicks: 0, lastX: 0, lastY: 0,
  };
}

/** How well a bot plays. */
export interface BotSkill {
  /** Scale of the aim error, radians (the error stays within about ±1.3× this). */
  readonly aimError: number;
  /** Distance the bot tries to keep from its target, units. */
  readonly preferredDistance: number;
  /** Seconds between first seeing a target and the first shot at it. */
  readonly reactionSeconds: number;
  /** How much of the target's motion the aim leads, 0 (none) … 1 (all). */
  readonly lead: number;
  /** How hard the bot sidesteps an incoming projectile, 0 (not at all) … 1. */
  readonly dodge: number;
}

export const BOT_SKILLS = {
  easy: { aimError: 0.2, preferredDistance: 300, reactionSeconds: 0.6, lead: 0.3, dodge: 0.2 },
  normal: { aimError: 0.08, preferredDistance: 360, reactionSeconds: 0.3, lead: 0.8, dodge: 0.6 },
  hard: { aimError: 0.03, preferredDistance: 420, reactionSeconds: 0.12, lead: 1, dodge: 1 },
} as const satisfies Record<string, BotSkill>;

export type BotSkillName = keyof typeof BOT_SKILLS;

export const DEFAULT_BOT_SKILL: BotSkill = BOT_SKILLS.normal;

/** Keeps a bot's draws apart from the world's own, which use `(seed, tick, hashString(id))` for spawn points. */
const BOT_SALT = hashString("bot brain");

/**
 * The randomness for one bot's decision on one tick: the same
 * `(matchSeed, tick, botId)` always gives the same sequence, and it is
 * unrelated to the draws the world makes for that player (its spawn point).
 */
export function botRandom(matchSeed: number, tick: number, botId: string): Random {
  return randomFor(deriveSeed(matchSeed, BOT_SALT), tick, hashString(botId));
}

/** Bots do not engage beyond this: a shot fades after flying PROJECTILE_SPEED × lifetime (1080 u). */
const SIGHT_RANGE = PROJECTILE_SPEED * PROJECTILE_LIFETIME_SECONDS * 0.9; // u
/** A new target must be nearer than this fraction of the current one's distance to take over. */
const SWITCH_RATIO = 0.7;
/** Shielded enemies are treated as this many times farther away. */
const SHIELDED_DISTANCE_FACTOR = 2.5;
/** Where a shot appears, measured from the shooter's centre (as `launch` does). */
const MUZZLE = PLAYER_RADIUS + PROJECTILE_RADIUS + 1; // u
/** How far ahead the bot looks for walls before moving, and how wide. */
const PROBE_LENGTH = 56; // u
const PROBE_RADIUS = PLAYER_RADIUS + 3; // u
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

/** Move headings: 32 compass directions, so recorded inputs repeat. */
const DIRECTIONS = 32;
const DIRECTION_STEP = (Math.PI * 2) / DIRECTIONS;
const DIR_X = new Float64Array(DIRECTIONS);
const DIR_Y = new Float64Array(DIRECTIONS);
for (let i = 0; i < DIRECTIONS; i++) {
  DIR_X[i] = Math.cos(i * DIRECTION_STEP);
  DIR_Y[i] = Math.sin(i * DIRECTION_STEP);
}
/** Turns tried, in order, when the wanted heading runs into a wall (in steps of 11.25°). */
const TURNS = [2, 4, 6, 8, 11, 14];

/**
 * The input a bot sends this tick (see the file comment for what it does).
 * Updates `memory`; consumes a few numbers from `random`. A dead bot sends the
 * idle input.
 */
export function botInput(
  view: BotView, memory: BotMemory, random: Random, skill: BotSkill = DEFAULT_BOT_SKILL,
): PlayerInput {
  const self = view.self;
  if (!self.alive) {
    memory.targetId = "";
    memory.stuckTicks = 0;
    memory.waypointUntilTick = 0;
    return { moveX: 0, moveY: 0, aim: 0, fire: false };
  }
  const target = view.phase === "playing" ? chooseTarget(view, memory) : undefined;

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

  const heading = steer(view, self.x, self.y, headingOf(wantX, wantY), memory);
  trackStuck(view, memory);

  const input: PlayerInput = { moveX: DIR_X[heading], moveY: DIR_Y[heading], aim: wrapAngle(heading * DIRECTION_STEP), fire: false };
  if (target) {
    input.aim = wrapAngle(leadAngle(self, target, skill.lead, 1 / view.rules.tickHz) + memory.aimOffset);
    memory.aimOffset = memory.aimOffset * 0.9 + (random() - 0.5) * skill.aimError * 0.6;
    const reactionTicks = Math.round(skill.reactionSeconds * view.rules.tickHz);
    input.fire = !target.shielded && view.tick - memory.targetSinceTick >= reactionTicks;
  }
  return input;
}

/**
 * The target to fight: the current one while it stays visible and no other
 * is clearly nearer, else the nearest visible one. Line of sight is tested
 * only for players nearer than the best so far, which keeps the cost down.
 */
function chooseTarget(view: BotView, memory: BotMemory): SeenPlayer | undefined {
  const self = view.self;
  let best: SeenPlayer | undefined;
  let bestId = "";
  let bestScore = SIGHT_RANGE * SIGHT_RANGE;
  const current = memory.targetId === "" ? undefined : view.players.get(memory.targetId);
  if (current && memory.targetId !== view.id) {
    const score = targetScore(self, current);
    if (score < bestScore && clearLine(view.rules.map, self.x, self.y, current.x, current.y)) {
      best = current;
      bestId = memory.targetId;
      bestScore = score * SWITCH_RATIO * SWITCH_RATIO;
    }
  }
  view.players.forEach((other, id) => {
    if (id === view.id || id === memory.targetId) return;
    const score = targetScore(self, other);
    if (score >= bestScore || !clearLine(view.rules.map, self.x, self.y, other.x, other.y)) return;
    best = other;
    bestId = id;
    bestScore = score;
  });
  if (bestId !== memory.targetId) {
    memory.targetId = bestId;
    memory.targetSinceTick = view.tick;
    memory.aimOffset = 0;
  }
  return best;
}

/** Squared distance, made larger for protected enemies; Infinity for players that cannot be fought. */
function targetScore(self: BotBody, other: SeenPlayer): number {
  if (!other.alive || !other.connected) return Infinity;
  const dx = other.x - self.x;
  const dy = other.y - self.y;
  const distSq = dx * dx + dy * dy;
  return other.shielded ? distSq * SHIELDED_DISTANCE_FACTOR * SHIELDED_DISTANCE_FACTOR : distSq;
}

/** True when a projectile could fly from (x0, y0) to (x1, y1) without touching a wall. */
export function clearLine(map: ArenaMap, x0: number, y0: number, x1: number, y1: number): boolean {
  const dx = x1 - x0;
  const dy = y1 - y0;
  for (const wall of map.walls) {
    if (segmentWallTime(x0, y0, dx, dy, PROJECTILE_RADIUS, wall) <= 1) return false;
  }
  return true;
}

/**
 * The aim angle that meets a target moving at constant velocity, from where
 * the shooter will be when it fires (after this tick's move). `lead` scales
 * how much of the target's motion is taken into account.
 */
function leadAngle(self: BotBody, target: SeenPlayer, lead: number, dt: number): number {
  const fromX = self.x + self.vx * dt;
  const fromY = self.y + self.vy * dt;
  let aimX = target.x;
  let aimY = target.y;
  // Two fixed-point rounds converge well enough at these speeds.
  for (let round = 0; round < 2; round++) {
    const dx = aimX - fromX;
    const dy = aimY - fromY;
    const flight = Math.max(0, Math.sqrt(dx * dx + dy * dy) - MUZZLE) / PROJECTILE_SPEED + dt;
    aimX = target.x + target.vx * flight * lead;
    aimY = target.y + target.vy * flight * lead;
  }
  return Math.atan2(aimY - fromY, aimX - fromX);
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

const dodge = { x: 0, y: 0 };

/**
 * A unit step out of the path of the enemy projectile that would hit soonest,
 * or (0, 0). The returned object is reused between calls.
 */
function dodgeDirection(view: BotView): { x: number; y: number } {
  const self = view.self;
  let soonest = DODGE_HORIZON;
  dodge.x = 0;
  dodge.y = 0;
  view.projectiles.forEach((shot) => {
    if (shot.owner === view.id) return;
    const speedSq = shot.vx * shot.vx + shot.vy * shot.vy;
    if (speedSq === 0) return;
    const rx = self.x - shot.x;
    const ry = self.y - shot.y;
    const t = (rx * shot.vx + ry * shot.vy) / speedSq; // s until closest approach
    if (t <= 0 || t >= soonest) return;
    const missX = rx - shot.vx * t;
    const missY = ry - shot.vy * t;
    const missSq = missX * missX + missY * missY;
    if (missSq > DODGE_REACH * DODGE_REACH) return;
    soonest = t;
    // Step to the side of the line the bot is already on (either side if dead centre).
    const side = missX * shot.vy - missY * shot.vx >= 0 ? 1 : -1;
    const speed = Math.sqrt(speedSq);
    dodge.x = (shot.vy / speed) * side;
    dodge.y = (-shot.vx / speed) * side;
  });
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
function steer(view: BotView, x: number, y: number, wanted: number, memory: BotMemory): number {
  const map = view.rules.map;
  if (!pathBlocked(map, x, y, DIR_X[wanted], DIR_Y[wanted])) return wanted;
  let turn = firstClearTurn(map, x, y, wanted, memory.turnSide);
  if (turn === 0 || view.tick >= memory.turnUntilTick) {
    const other = firstClearTurn(map, x, y, wanted, -memory.turnSide);
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
function firstClearTurn(map: ArenaMap, x: number, y: number, wanted: number, side: number): number {
  for (const turn of TURNS) {
    const heading = (wanted + turn * side) & (DIRECTIONS - 1);
    if (!pathBlocked(map, x, y, DIR_X[heading], DIR_Y[heading])) return turn;
  }
  return 0;
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
  for (const wall of map.walls) {
    // Already within the probe's reach of this wall (the same square-cornered
    // grown wall segmentWallTime tests, which would report a hit at once).
    if (x > wall.x - PROBE_RADIUS && x < wall.x + wall.w + PROBE_RADIUS
      && y > wall.y - PROBE_RADIUS && y < wall.y + wall.h + PROBE_RADIUS) {
      const awayX = x - (x < wall.x ? wall.x : x > wall.x + wall.w ? wall.x + wall.w : x);
      const awayY = y - (y < wall.y ? wall.y : y > wall.y + wall.h ? wall.y + wall.h : y);
      if (awayX * ux + awayY * uy < 0) return true;
      continue;
    }
    if (segmentWallTime(x, y, dx, dy, PROBE_RADIUS, wall) <= 1) return true;
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

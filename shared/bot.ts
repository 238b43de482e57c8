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
 * smoothly: a recorded bot input log compresses well. Where to go is decided
 * in `botMovement.ts`; whom to fight and how to shoot, here.
 *
 * Purity: no clock, no `Math.random`, no reads outside its arguments. The
 * caller keeps one `BotMemory` per bot and passes a seeded `Random`, normally
 * `botRandom(matchSeed, tick, botId)`; the same view, memory and random
 * sequence always give the same input. It allocates at most its result, so
 * a call costs a few microseconds.
 */
import { chooseHeading, HEADING_X, HEADING_Y, headingAngle } from "./botMovement.ts";
import {
  PLAYER_RADIUS, PROJECTILE_LIFETIME_SECONDS, PROJECTILE_RADIUS, PROJECTILE_SPEED,
} from "./constants.ts";
import { wrapAngle } from "./geometry.ts";
import { clearLine } from "./lineOfSight.ts";
import type { PlayerInput } from "./protocol.ts";
import { deriveSeed, hashString, randomFor, type Random, type RandomStream } from "./rng.ts";
import type { WorldState } from "./worldState.ts";
import type { BotBody, BotMemory, BotSkill, BotView, SeenPlayer } from "./botView.ts";

export type { BotBody, BotMemory, BotSkill, BotView, SeenCollection, SeenPlayer, SeenProjectile } from "./botView.ts";

/** What bot `id` sees of `world` at its current tick (throws if `id` is not in it). */
export function botViewOf(world: WorldState, id: string, rules: BotView["rules"]): BotView {
  const self = world.players.get(id);
  if (!self) throw new Error(`no player ${id} in the world`);
  return { id, self, players: world.players, projectiles: world.projectiles, tick: world.tick, phase: world.phase, rules };
}

/** A fresh memory: no target, no waypoint. */
export function newBotMemory(): BotMemory {
  return {
    targetId: "", targetSinceTick: 0, waypointX: 0, waypointY: 0, waypointUntilTick: 0,
    strafe: 1, strafeUntilTick: 0, turnSide: 1, turnUntilTick: 0, aimOffset: 0, stuckTicks: 0, lastX: 0, lastY: 0,
  };
}

/** Three ready-made levels; `normal` is the default. */
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
 * Given a `stream`, it is restarted and returned instead of a new generator.
 */
export function botRandom(matchSeed: number, tick: number, botId: string, stream?: RandomStream): Random {
  return stream ? stream.restart(botSeed(matchSeed), tick, hashString(botId)) : randomFor(botSeed(matchSeed), tick, hashString(botId));
}

/** `deriveSeed(matchSeed, BOT_SALT)`, kept for the last match seed asked about (a room's or a run's bots all share one). */
let lastMatchSeed = NaN;
let lastBotSeed = 0;
function botSeed(matchSeed: number): number {
  if (matchSeed !== lastMatchSeed) {
    lastMatchSeed = matchSeed;
    lastBotSeed = deriveSeed(matchSeed, BOT_SALT);
  }
  return lastBotSeed;
}

/** Bots do not engage beyond this: a shot fades after flying PROJECTILE_SPEED × lifetime (1080 u). */
const SIGHT_RANGE = PROJECTILE_SPEED * PROJECTILE_LIFETIME_SECONDS * 0.9; // u
/** A new target must be nearer than this fraction of the current one's distance to take over. */
const SWITCH_RATIO = 0.7;
/** Shielded enemies are treated as this many times farther away. */
const SHIELDED_DISTANCE_FACTOR = 2.5;
/** Where a shot appears, measured from the shooter's centre (as `launch` does). */
const MUZZLE = PLAYER_RADIUS + PROJECTILE_RADIUS + 1; // u

/**
 * The input a bot sends this tick (see the file comment for what it does).
 * Updates `memory`; consumes a few numbers from `random`. A dead bot sends the
 * idle input. Written into `into` when given (a caller that keeps one per
 * bot), else into a new object.
 */
export function botInput(
  view: BotView, memory: BotMemory, random: Random, skill: BotSkill = DEFAULT_BOT_SKILL, into?: PlayerInput,
): PlayerInput {
  const self = view.self;
  const input = into ?? { moveX: 0, moveY: 0, aim: 0, fire: false };
  input.fire = false;
  if (!self.alive) {
    memory.targetId = "";
    memory.stuckTicks = 0;
    memory.waypointUntilTick = 0;
    input.moveX = 0;
    input.moveY = 0;
    input.aim = 0;
    return input;
  }
  const target = view.phase === "playing" ? chooseTarget(view, memory) : undefined;
  const heading = chooseHeading(view, memory, random, skill, target);
  input.moveX = HEADING_X[heading];
  input.moveY = HEADING_Y[heading];
  // With nobody to fight, the bot looks where it goes.
  input.aim = headingAngle(heading);
  if (target) {
    input.aim = wrapAngle(leadAngle(self, target, skill.lead, 1 / view.rules.tickHz, view.rules.projectileSpeed ?? PROJECTILE_SPEED) + memory.aimOffset);
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
  const search = targetSearch;
  search.start(view, memory.targetId);
  const current = memory.targetId === "" ? undefined : view.players.get(memory.targetId);
  if (current && memory.targetId !== view.id) {
    const score = targetScore(self, current);
    if (score < search.bestScore && clearLine(view.rules.map.walls, self, current)) {
      search.best = current;
      search.bestId = memory.targetId;
      search.bestScore = score * SWITCH_RATIO * SWITCH_RATIO;
    }
  }
  view.players.forEach(search.visit);
  const { best, bestId } = search;
  search.finish();
  if (bestId !== memory.targetId) {
    memory.targetId = bestId;
    memory.targetSinceTick = view.tick;
    memory.aimOffset = 0;
  }
  return best;
}

/**
 * The search for the nearest visible enemy, in one object made once: its
 * callback is made once, and the best score is a field, not a number boxed
 * anew each time a callback reassigns it in its enclosing function. Bots
 * decide one at a time, so one search serves them all.
 */
class TargetSearch {
  best: SeenPlayer | undefined;
  bestId = "";
  bestScore = 0;
  #view: BotView | undefined;
  #currentId = "";

  start(view: BotView, currentId: string): void {
    this.#view = view;
    this.#currentId = currentId;
    this.best = undefined;
    this.bestId = "";
    this.bestScore = SIGHT_RANGE * SIGHT_RANGE;
  }

  /** Lets go of the view and the player found (read `best` and `bestId` first). */
  finish(): void {
    this.#view = undefined;
    this.best = undefined;
  }

  readonly visit = (other: SeenPlayer, id: string): void => {
    const view = this.#view!;
    // The distance first: comparing ids may mean comparing their characters.
    const score = targetScore(view.self, other);
    if (score >= this.bestScore || id === view.id || id === this.#currentId) return;
    if (!clearLine(view.rules.map.walls, view.self, other)) return;
    this.best = other;
    this.bestId = id;
    this.bestScore = score;
  };
}

const targetSearch = new TargetSearch();

/** Squared distance, made larger for protected enemies; Infinity for players that cannot be fought. */
function targetScore(self: BotBody, other: SeenPlayer): number {
  if (!other.alive || !other.connected) return Infinity;
  const dx = other.x - self.x;
  const dy = other.y - self.y;
  const distSq = dx * dx + dy * dy;
  return other.shielded ? distSq * SHIELDED_DISTANCE_FACTOR * SHIELDED_DISTANCE_FACTOR : distSq;
}

/**
 * The aim angle that meets a target moving at constant velocity, from where
 * the shooter will be when it fires (after this tick's move). `lead` scales
 * how much of the target's motion is taken into account.
 */
function leadAngle(self: BotBody, target: SeenPlayer, lead: number, dt: number, projectileSpeed: number): number {
  const fromX = self.x + self.vx * dt;
  const fromY = self.y + self.vy * dt;
  let aimX = target.x;
  let aimY = target.y;
  // Two fixed-point rounds converge well enough at these speeds.
  for (let round = 0; round < 2; round++) {
    const dx = aimX - fromX;
    const dy = aimY - fromY;
    const flight = Math.max(0, Math.sqrt(dx * dx + dy * dy) - MUZZLE) / projectileSpeed + dt;
    aimX = target.x + target.vx * flight * lead;
    aimY = target.y + target.vy * flight * lead;
  }
  return Math.atan2(aimY - fromY, aimX - fromX);
}

/**
 * What the bot brain (shared/bot.ts) and its movement (shared/botMovement.ts)
 * read and keep: the view of the room a bot decides from, its memory between
 * ticks and its skill. Types only.
 */
import type { ArenaMap } from "./map.ts";
import type { MatchPhase } from "./protocol.ts";

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
  /** A `MatchRules` will do; the map, the tick rate and (when the rules change it) the projectile speed are read. */
  readonly rules: { readonly map: ArenaMap; readonly tickHz: number; readonly projectileSpeed?: number };
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

/** How well a bot plays. */
export interface BotSkill {
  /** Scale of the aim error, radians: it drifts about 0 with a standard deviation of about 0.4× this, never beyond 3×. */
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

/**
 * The world's data: players, projectiles, the match clock and what happened in
 * a step. Plain types only; the rules that change them live in `world.ts` and
 * `spawning.ts`.
 */
import { PLAYER_MAX_HP } from "./constants.ts";
import type { MovingPlayer } from "./player.ts";
import type { MatchPhase, PlayerInput } from "./protocol.ts";

/** A player as the world step sees it: plain data, published to the server's schema Player each tick. */
export interface PlayerState extends MovingPlayer {
  name: string;
  /** Index into the client's palette (not part of the rules: drawn, listed, never hashed). */
  color: number;
  /** Played by the server's bot brain (not part of the rules). */
  bot: boolean;
  aim: number;
  hp: number;
  score: number;
  deaths: number;
  shielded: boolean;
  /**
   * False while the player's connection is lost and its seat is held. Such a
   * player is frozen (no inputs arrive) and cannot be hit: shots pass through
   * it, so a bad connection never turns into a free kill for the others.
   */
  connected: boolean;
  /** Tick at which spawn protection ends. */
  shieldUntilTick: number;
  /** Tick at which a dead player respawns. */
  respawnTick: number;
  /** Inputs left before the weapon can fire again (counted per input, so prediction can follow it). */
  reloadTicks: number;
}

export interface ProjectileState {
  x: number;
  y: number;
  vx: number;
  vy: number;
  /** Session id of the shooter. */
  owner: string;
  /** Tick at which the projectile fades if it hit nothing. */
  expireTick: number;
  /**
   * Lag compensation: how far in the past (ms) the shooter saw the other
   * players when firing. Hits are judged against where targets were that long
   * ago, i.e. against what the shooter saw. 0 = the present.
   */
  lagMs: number;
}

/**
 * How the world step looks into the past for lag compensation. The server
 * answers from Colyseus' recorded state history; headless runs use the present
 * (`NO_LAG_COMPENSATION`), which keeps them deterministic.
 */
export interface LagCompensation {
  /**
   * How far in the past (ms, already capped) `shooterId` saw the world when it
   * sent `input`, the `inputIndex`-th of its inputs applied this tick.
   */
  viewLagMs(shooterId: string, input: TickInput, inputIndex: number): number;
  /** Where player `targetId` (`target`) was `lagMs` ago; `out` is filled and returned. */
  positionAt(targetId: string, target: PlayerState, lagMs: number, out: { x: number; y: number }): { x: number; y: number };
}

/** Judges every hit against the present. */
export const NO_LAG_COMPENSATION: LagCompensation = {
  viewLagMs: () => 0,
  positionAt: (_targetId, target, _lagMs, out) => {
    out.x = target.x;
    out.y = target.y;
    return out;
  },
};

/**
 * The whole game state of one room: plain objects and `Map`s, the one world
 * type the server's rooms, the headless runner, replays and tests all step.
 */
export interface WorldState {
  tick: number;
  seed: number;
  phase: MatchPhase;
  /** Tick at which the current phase ends. */
  phaseEndTick: number;
  /** Whole seconds left in the current phase, for display. */
  timeLeft: number;
  matchNumber: number;
  nextProjectileId: number;
  players: Map<string, PlayerState>;
  projectiles: Map<string, ProjectileState>;
}

/** What happened during a step, for the room to announce and the runner to count. */
export type WorldEvent =
  | { type: "hit"; shooter: string; victim: string; projectile: string }
  | { type: "kill"; killer: string; victim: string }
  | { type: "respawn"; player: string }
  | { type: "matchEnd"; matchNumber: number }
  | { type: "matchStart"; matchNumber: number };

/**
 * An input as a step applies it. On the server it carries `viewMs`, the server
 * time (ms since the room started) its sender was seeing when it sampled it:
 * the stamp Colyseus' SDK puts on every input, which lag compensation reads.
 */
export interface TickInput extends PlayerInput {
  viewMs?: number;
}

/** Inputs to apply this tick, per player id, oldest first. Players absent from it stand still. */
export type TickInputs = ReadonlyMap<string, readonly TickInput[]>;


/** A new player record with every field at its resting default: not yet spawned, connected. */
export function newPlayer(name: string, color = 0, bot = false): PlayerState {
  return {
    name, color, bot, x: 0, y: 0, vx: 0, vy: 0, aim: 0, hp: PLAYER_MAX_HP, score: 0, deaths: 0,
    alive: false, shielded: false, connected: true, shieldUntilTick: 0, respawnTick: 0, reloadTicks: 0,
  };
}

import {
  PLAYER_MAX_HP, PLAYER_RADIUS, PROJECTILE_DAMAGE, PROJECTILE_RADIUS, SPAWN_SAFE_DISTANCE,
} from "./constants.ts";
import { segmentCircleTime } from "./geometry.ts";
import type { Point } from "./map.ts";
import { stepPlayer, type MovingPlayer } from "./player.ts";
import { FACING, POSITION_X, POSITION_Y, snap } from "./precision.ts";
import type { MatchPhase, PlayerInput } from "./protocol.ts";
import { hashString, randomFor } from "./rng.ts";
import type { MatchRules } from "./rules.ts";
import { shoot, wallTimeOf } from "./weapon.ts";

/** A player as the world step sees it; the server's schema Player has these fields. */
export interface PlayerState extends MovingPlayer {
  name: string;
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
export interface LagCompensation<P extends PlayerState = PlayerState> {
  /** How far in the past (ms, already capped) `shooterId` saw the world with its `inputIndex`-th input of this tick. */
  viewLagMs(shooterId: string, inputIndex: number): number;
  /** Where `target` was `lagMs` ago; `out` is filled and returned. */
  positionAt(target: P, lagMs: number, out: { x: number; y: number }): { x: number; y: number };
}

/** Judges every hit against the present. */
export const NO_LAG_COMPENSATION: LagCompensation = {
  viewLagMs: () => 0,
  positionAt: (target, _lagMs, out) => {
    out.x = target.x;
    out.y = target.y;
    return out;
  },
};

/** The subset of `Map` both `Map` and schema's `MapSchema` provide. */
export interface EntityMap<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): unknown;
  delete(key: string): boolean;
  has(key: string): boolean;
  forEach(callback: (value: T, key: string) => void): void;
  readonly size: number;
}

/** The whole game state of one room. */
export interface WorldState<P extends PlayerState = PlayerState, J extends ProjectileState = ProjectileState> {
  tick: number;
  seed: number;
  phase: MatchPhase;
  /** Tick at which the current phase ends. */
  phaseEndTick: number;
  /** Whole seconds left in the current phase, for display. */
  timeLeft: number;
  matchNumber: number;
  nextProjectileId: number;
  players: EntityMap<P>;
  projectiles: EntityMap<J>;
}

/** Makes new projectiles of the world's own kind (schema instances on the server). */
export type ProjectileFactory<J extends ProjectileState> = (init: ProjectileState) => J;

/** What happened during a step, for the room to announce and the runner to count. */
export type WorldEvent =
  | { type: "hit"; shooter: string; victim: string; projectile: string }
  | { type: "kill"; killer: string; victim: string }
  | { type: "respawn"; player: string }
  | { type: "matchEnd"; matchNumber: number }
  | { type: "matchStart"; matchNumber: number };

/** Inputs to apply this tick, per player id, oldest first. Players absent from it stand still. */
export type TickInputs = ReadonlyMap<string, readonly PlayerInput[]>;

/**
 * Puts a (new or dead) player on a spawn point chosen by the seeded PRNG,
 * preferring points with no living enemy close by, with full health and spawn
 * protection. Deterministic in `(world.seed, world.tick, id)`.
 */
export function spawnPlayer(world: WorldState, id: string, player: PlayerState, rules: MatchRules): void {
  const point = chooseSpawnPoint(world, id, rules);
  player.x = snap(POSITION_X, point.x);
  player.y = snap(POSITION_Y, point.y);
  player.vx = 0;
  player.vy = 0;
  player.hp = PLAYER_MAX_HP;
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
    if (!enemyNear(world, id, candidate)) return candidate;
  }
  return points[start];
}

function enemyNear(world: WorldState, id: string, point: Point): boolean {
  let near = false;
  world.players.forEach((other, otherId) => {
    if (otherId === id || !other.alive || !other.connected) return;
    const dx = other.x - point.x;
    const dy = other.y - point.y;
    if (dx * dx + dy * dy < SPAWN_SAFE_DISTANCE * SPAWN_SAFE_DISTANCE) near = true;
  });
  return near;
}

/**
 * Advances the world by one fixed tick: each player's inputs (movement, aim,
 * firing), then projectiles (walls, hits, damage, deaths, scoring), respawns
 * and the match clock. Pure and deterministic: the same state, inputs and
 * rules give the same result on schema instances and plain objects alike.
 * Events are appended to `events`.
 */
export function stepWorld<P extends PlayerState, J extends ProjectileState>(
  world: WorldState<P, J>,
  inputs: TickInputs,
  rules: MatchRules,
  makeProjectile: ProjectileFactory<J>,
  events: WorldEvent[],
  lagCompensation: LagCompensation<P> = NO_LAG_COMPENSATION as LagCompensation<P>,
): void {
  const playing = world.phase === "playing";
  world.players.forEach((player, id) => {
    const queue = inputs.get(id);
    if (!queue) return;
    for (let i = 0; i < queue.length; i++) {
      applyInput(world, id, player, queue[i], rules, makeProjectile, playing, lagCompensation.viewLagMs(id, i));
    }
  });

  stepProjectiles(world, rules, playing, events, lagCompensation);

  world.players.forEach((player, id) => {
    if (player.shielded && world.tick >= player.shieldUntilTick) player.shielded = false;
    if (!player.alive && world.tick >= player.respawnTick) {
      spawnPlayer(world as WorldState, id, player, rules);
      events.push({ type: "respawn", player: id });
    }
  });

  world.tick++;
  if (world.tick >= world.phaseEndTick) advancePhase(world, rules, events);
  world.timeLeft = Math.ceil((world.phaseEndTick - world.tick) / rules.tickHz);
}

function applyInput<P extends PlayerState, J extends ProjectileState>(
  world: WorldState<P, J>, id: string, player: P, input: PlayerInput,
  rules: MatchRules, makeProjectile: ProjectileFactory<J>, playing: boolean, lagMs: number,
): void {
  stepPlayer(player, input, rules.dt, rules.map);
  if (!player.alive) return;
  player.aim = snap(FACING, input.aim);
  const { fired, flight } = shoot(player, player, input.fire, input.aim, playing, rules.fireCooldownTicks, rules.map);
  if (!fired) return;

  // Firing gives up spawn protection: a protected player cannot also attack.
  player.shielded = false;
  player.shieldUntilTick = world.tick;
  if (!flight) return; // the muzzle was inside a wall
  const projectileId = String(world.nextProjectileId++);
  world.projectiles.set(projectileId, makeProjectile({
    ...flight,
    owner: id,
    expireTick: world.tick + rules.projectileLifetimeTicks,
    lagMs,
  }));
}

function stepProjectiles<P extends PlayerState, J extends ProjectileState>(
  world: WorldState<P, J>, rules: MatchRules, playing: boolean, events: WorldEvent[],
  lagCompensation: LagCompensation<P>,
): void {
  const spent: string[] = [];
  const reach = PLAYER_RADIUS + PROJECTILE_RADIUS;
  const seen = { x: 0, y: 0 };
  world.projectiles.forEach((shot, shotId) => {
    if (world.tick >= shot.expireTick) {
      spent.push(shotId);
      return;
    }
    const dx = shot.vx * rules.dt;
    const dy = shot.vy * rules.dt;
    const wallTime = wallTimeOf(shot, dx, dy, rules.map);
    let victimId = "";
    let victimTime = wallTime;
    world.players.forEach((player, id) => {
      if (id === shot.owner || !player.alive || !player.connected) return;
      const target = shot.lagMs > 0 ? lagCompensation.positionAt(player, shot.lagMs, seen) : player;
      const t = segmentCircleTime(shot.x, shot.y, dx, dy, target.x, target.y, reach);
      if (t === Infinity) return; // missed (a wall-free path has victimTime = Infinity too)
      if (t <= victimTime && (victimId === "" || t < victimTime)) {
        victimId = id;
        victimTime = t;
      }
    });
    if (victimId !== "") {
      spent.push(shotId);
      if (playing) damage(world, shot.owner, victimId, shotId, rules, events);
      return;
    }
    if (wallTime <= 1) {
      spent.push(shotId);
      return;
    }
    shot.x = Math.fround(shot.x + dx);
    shot.y = Math.fround(shot.y + dy);
  });
  for (const shotId of spent) world.projectiles.delete(shotId);
}

function damage<P extends PlayerState, J extends ProjectileState>(
  world: WorldState<P, J>, shooterId: string, victimId: string, projectileId: string,
  rules: MatchRules, events: WorldEvent[],
): void {
  const victim = world.players.get(victimId);
  if (!victim || victim.shielded) return;
  victim.hp = Math.max(0, victim.hp - PROJECTILE_DAMAGE);
  events.push({ type: "hit", shooter: shooterId, victim: victimId, projectile: projectileId });
  if (victim.hp > 0) return;
  victim.alive = false;
  victim.vx = 0;
  victim.vy = 0;
  victim.deaths++;
  victim.respawnTick = world.tick + rules.respawnTicks;
  const shooter = world.players.get(shooterId);
  if (shooter) shooter.score++;
  events.push({ type: "kill", killer: shooterId, victim: victimId });
}

function advancePhase<P extends PlayerState, J extends ProjectileState>(
  world: WorldState<P, J>, rules: MatchRules, events: WorldEvent[],
): void {
  if (world.phase === "playing") {
    world.phase = "scoreboard";
    world.phaseEndTick = world.tick + rules.scoreboardTicks;
    events.push({ type: "matchEnd", matchNumber: world.matchNumber });
    return;
  }
  startMatch(world, rules);
  events.push({ type: "matchStart", matchNumber: world.matchNumber });
}

/** Starts the next match: scores cleared, projectiles gone, everyone respawned. */
export function startMatch<P extends PlayerState, J extends ProjectileState>(world: WorldState<P, J>, rules: MatchRules): void {
  world.matchNumber++;
  world.phase = "playing";
  world.phaseEndTick = world.tick + rules.matchTicks;
  world.timeLeft = Math.ceil(rules.matchTicks / rules.tickHz);
  const shotIds: string[] = [];
  world.projectiles.forEach((_shot, id) => shotIds.push(id));
  for (const id of shotIds) world.projectiles.delete(id);
  world.players.forEach((player, id) => {
    player.score = 0;
    player.deaths = 0;
    spawnPlayer(world as WorldState, id, player, rules);
  });
}

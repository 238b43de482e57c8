/**
 * The rules of play over time: one fixed tick of the whole world (inputs,
 * projectiles, damage, deaths, respawns, the match clock) and the start of a
 * match. The same functions step the server's rooms, the headless runner,
 * replays and tests.
 */
import { PLAYER_RADIUS, PROJECTILE_RADIUS } from "./constants.ts";
import { EntryList } from "./entryList.ts";
import { CLEAR_MARGIN, segmentCircleTime } from "./geometry.ts";
import { stepPlayer } from "./player.ts";
import { PlayerGrid } from "./playerGrid.ts";
import { FACING, snap } from "./precision.ts";
import type { PlayerInput } from "./protocol.ts";
import type { MatchRules } from "./rules.ts";
import { spawnPlayer } from "./spawning.ts";
import { shoot, wallTimeOf } from "./weapon.ts";
import {
  NO_LAG_COMPENSATION, type LagCompensation, type PlayerState, type ProjectileState, type TickInputs, type WorldEvent, type WorldState,
} from "./worldState.ts";

/** A new world at tick 0 whose first match is running, with no players yet. */
export function createWorld(seed: number, rules: MatchRules): WorldState {
  const world: WorldState = {
    tick: 0, seed: seed >>> 0, phase: "playing", phaseEndTick: 0, timeLeft: 0,
    matchNumber: 0, nextProjectileId: 1, players: new Map(), projectiles: new Map(),
  };
  startMatch(world, rules);
  return world;
}

/**
 * Advances the world by one fixed tick: each player's inputs (movement, aim,
 * firing), then projectiles (walls, hits, damage, deaths, scoring), respawns
 * and the match clock. Pure and deterministic: the same state, inputs and
 * rules give the same result. Events are appended to `events`.
 */
export function stepWorld(
  world: WorldState,
  inputs: TickInputs,
  rules: MatchRules,
  events: WorldEvent[],
  lagCompensation: LagCompensation = NO_LAG_COMPENSATION,
): void {
  const playing = world.phase === "playing";
  world.players.forEach((player, id) => {
    const queue = inputs.get(id);
    if (!queue) return;
    for (let i = 0; i < queue.length; i++) {
      applyInput(world, id, player, queue[i], rules, playing, lagCompensation.viewLagMs(id, queue[i], i));
    }
  });

  stepProjectiles(world, rules, playing, events, lagCompensation);

  world.players.forEach((player, id) => {
    if (player.shielded && world.tick >= player.shieldUntilTick) player.shielded = false;
    if (!player.alive && world.tick >= player.respawnTick) {
      spawnPlayer(world, id, player, rules);
      events.push({ type: "respawn", player: id });
    }
  });

  world.tick++;
  if (world.tick >= world.phaseEndTick) advancePhase(world, rules, events);
  world.timeLeft = Math.ceil((world.phaseEndTick - world.tick) / rules.tickHz);
}

function applyInput(
  world: WorldState, id: string, player: PlayerState, input: PlayerInput,
  rules: MatchRules, playing: boolean, lagMs: number,
): void {
  stepPlayer(player, input, rules.dt, rules.map, rules);
  if (!player.alive) return;
  player.aim = snap(FACING, rules.faults?.hiddenState ? hiddenStateAim(world, input.aim) : input.aim);
  const { fired, flight } = shoot(player, player, input.fire, input.aim, playing, rules.fireCooldownTicks, rules.map, rules.projectileSpeed);
  if (!fired) return;

  // Firing gives up spawn protection: a protected player cannot also attack.
  player.shielded = false;
  player.shieldUntilTick = world.tick;
  if (!flight) return; // the muzzle was inside a wall
  const projectileId = String(world.nextProjectileId++);
  world.projectiles.set(projectileId, {
    ...flight,
    owner: id,
    expireTick: world.tick + rules.projectileLifetimeTicks,
    lagMs,
  });
}

function stepProjectiles(
  world: WorldState, rules: MatchRules, playing: boolean, events: WorldEvent[], lagCompensation: LagCompensation,
): void {
  const spent: string[] = [];
  const grid = rules.map.crowded ? playerGrid : undefined;
  grid?.rebuild(world, rules.map.width, rules.map.height);
  if (!grid) targets.relist(world.players);
  world.projectiles.forEach((shot, shotId) => {
    if (world.tick >= shot.expireTick) {
      spent.push(shotId);
      return;
    }
    const dx = shot.vx * rules.dt;
    const dy = shot.vy * rules.dt;
    const wallTime = wallTimeOf(shot, dx, dy, rules.map);
    const victimId = grid
      ? firstPlayerNear(grid, shot, dx, dy, wallTime, lagCompensation, rules.playerMaxSpeed)
      : firstPlayerMet(targets, shot, dx, dy, wallTime, lagCompensation);
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

/**
 * The player a shot's step (dx, dy) meets first, no later than `wallTime`
 * along it; "" for none. Players are tried in the world's order (lag
 * compensation answers in that order, as recorded).
 */
function firstPlayerMet(
  players: EntryList<PlayerState>, shot: ProjectileState, dx: number, dy: number, wallTime: number, lagCompensation: LagCompensation,
): string {
  sweep.start(shot, dx, dy, wallTime, lagCompensation);
  const { ids, values } = players;
  for (let i = 0; i < values.length; i++) sweep.visit(values[i]!, ids[i]!);
  return sweep.finish();
}

/**
 * `firstPlayerMet` on a crowded map: only the players the grid files near the
 * step are tried (in the world's order still). A shot judged in the past
 * (lag compensation) meets its targets where they stood then, at most
 * `maxSpeed` × the lag from where they stand now, so the box grows by that.
 */
function firstPlayerNear(
  grid: PlayerGrid, shot: ProjectileState, dx: number, dy: number, wallTime: number, lagCompensation: LagCompensation, maxSpeed: number,
): string {
  const reach = SHOT_REACH + CLEAR_MARGIN + (shot.lagMs > 0 ? (maxSpeed * shot.lagMs) / 1000 + 1 : 0);
  const near = grid.near(Math.min(shot.x, shot.x + dx) - reach, Math.min(shot.y, shot.y + dy) - reach,
    Math.max(shot.x, shot.x + dx) + reach, Math.max(shot.y, shot.y + dy) + reach, candidates);
  sweep.start(shot, dx, dy, wallTime, lagCompensation);
  for (let i = 0; i < near.length; i++) sweep.visit(grid.players[near[i]!]!, grid.ids[near[i]!]!);
  return sweep.finish();
}

/** The step's spatial index and the list it answers in, or its list of the players, made once: steps are never nested. */
const playerGrid = new PlayerGrid();
const candidates: number[] = [];
const targets = new EntryList<PlayerState>();

/**
 * One shot's step against the players, in one object made once: its callback
 * is made once, and the numbers it keeps are fields, not boxed anew each time
 * a callback reassigns them in its enclosing function.
 */
class ShotSweep {
  victimId = "";
  #victimTime = 0;
  #shot: ProjectileState | undefined;
  #dx = 0;
  #dy = 0;
  #reachX = 0;
  #reachY = 0;
  #lagCompensation = NO_LAG_COMPENSATION;
  readonly #seen = { x: 0, y: 0 };

  start(shot: ProjectileState, dx: number, dy: number, wallTime: number, lagCompensation: LagCompensation): void {
    this.#shot = shot;
    this.#dx = dx;
    this.#dy = dy;
    // A player farther off along either axis than the step plus the reach cannot be met:
    // comparisons settle most players before the circle test (the margin keeps it exact).
    this.#reachX = SHOT_REACH + Math.abs(dx) + CLEAR_MARGIN;
    this.#reachY = SHOT_REACH + Math.abs(dy) + CLEAR_MARGIN;
    this.#lagCompensation = lagCompensation;
    this.victimId = "";
    this.#victimTime = wallTime;
  }

  /** The player met first ("" for none); the sweep lets go of the shot and the room's history. */
  finish(): string {
    this.#shot = undefined;
    this.#lagCompensation = NO_LAG_COMPENSATION;
    return this.victimId;
  }

  readonly visit = (player: PlayerState, id: string): void => {
    const shot = this.#shot!;
    if (!player.alive || !player.connected) return;
    // Comparing ids may mean comparing their characters, so where the player stands settles most
    // players first; but the history is asked about the shooter's targets only, as recorded.
    if (shot.lagMs > 0 && id === shot.owner) return;
    const target = shot.lagMs > 0 ? this.#lagCompensation.positionAt(id, player, shot.lagMs, this.#seen) : player;
    if (Math.abs(target.x - shot.x) > this.#reachX || Math.abs(target.y - shot.y) > this.#reachY || id === shot.owner) return;
    const t = segmentCircleTime(shot.x, shot.y, this.#dx, this.#dy, target.x, target.y, SHOT_REACH);
    if (t === Infinity) return; // missed (a wall-free path has victimTime = Infinity too)
    if (t <= this.#victimTime && (this.victimId === "" || t < this.#victimTime)) {
      this.victimId = id;
      this.#victimTime = t;
    }
  };
}

/** How near a shot's centre must come to a player's to hit it. */
const SHOT_REACH = PLAYER_RADIUS + PROJECTILE_RADIUS; // u

/** Steps are never nested, so one sweep serves every shot of every world. */
const sweep = new ShotSweep();

function damage(
  world: WorldState, shooterId: string, victimId: string, projectileId: string,
  rules: MatchRules, events: WorldEvent[],
): void {
  const victim = world.players.get(victimId);
  if (!victim) return;
  if (victim.shielded) {
    if (rules.faults?.shieldHeals) victim.hp += rules.projectileDamage;
    return;
  }
  victim.hp = Math.max(0, victim.hp - rules.projectileDamage);
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

function advancePhase(
  world: WorldState, rules: MatchRules, events: WorldEvent[],
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
function startMatch(world: WorldState, rules: MatchRules): void {
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
    spawnPlayer(world, id, player, rules);
  });
}

/** The world a step last saw and how often that changed: the hidden state of the `hiddenState` fault. */
let lastWorldStepped: WorldState | undefined;
let worldSwitches = 0;

/** The planted `hiddenState` fault: the facing shifts by most of a step whenever the process switched worlds an odd number of times. */
function hiddenStateAim(world: WorldState, aim: number): number {
  if (world !== lastWorldStepped) {
    lastWorldStepped = world;
    worldSwitches++;
  }
  return aim + (worldSwitches % 2) * 0.02;
}

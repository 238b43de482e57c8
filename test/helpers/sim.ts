/**
 * Fixtures for the pure simulation tests: players placed or spawned by hand,
 * worlds stepped under a script of inputs, and a seeded bot that fights so
 * that long runs cover combat, deaths, respawns and match ends.
 */
import { hashString, randomFor } from "../../shared/rng.ts";
import { spawnPlayer } from "../../shared/spawning.ts";
import { createWorld, stepWorld } from "../../shared/world.ts";
import { newPlayer, type PlayerState, type WorldEvent, type WorldState } from "../../shared/worldState.ts";
import { IDLE_INPUT, type PlayerInput } from "../../shared/protocol.ts";
import type { MatchRules } from "../../shared/rules.ts";

/** An input with every field not given at its idle value. */
export function input(fields: Partial<PlayerInput> = {}): PlayerInput {
  return { ...IDLE_INPUT, ...fields };
}

/**
 * Adds a player spawned the way the room spawns one (seeded spawn point,
 * full health, spawn protection), then applies `overrides`, e.g. a position.
 */
export function addPlayer(
  world: WorldState, id: string, rules: MatchRules, overrides: Partial<PlayerState> = {},
): PlayerState {
  const player = newPlayer(id);
  spawnPlayer(world, id, player, rules);
  Object.assign(player, overrides);
  world.players.set(id, player);
  return player;
}

/** Adds a living, unprotected player standing still at `(x, y)`: a fighter for a staged scene. */
export function placePlayer(
  world: WorldState, id: string, rules: MatchRules, x: number, y: number, overrides: Partial<PlayerState> = {},
): PlayerState {
  return addPlayer(world, id, rules, { x, y, shielded: false, shieldUntilTick: 0, ...overrides });
}

/**
 * A horizontal lane no wall crosses anywhere (test/sim/combat.test.ts checks
 * it), for staged duels. (y = 1000, say, would not do: three walls cross it.)
 */
export const DUEL_LANE_Y = 60;

/** A new world with a shooter at `(shooterX, DUEL_LANE_Y)` and, if given, a target further along the lane. */
export function duel(rules: MatchRules, shooterX: number, targetX?: number): WorldState {
  const world = createWorld(1, rules);
  placePlayer(world, "shooter", rules, shooterX, DUEL_LANE_Y);
  if (targetX !== undefined) placePlayer(world, "target", rules, targetX, DUEL_LANE_Y);
  return world;
}

/**
 * The input a player sends on a given tick, or `undefined` when it sends none
 * (then it stands still and its weapon does not reload). Scripts may read the
 * world, as a client reads the state it was sent.
 */
export type InputScript = (id: string, player: PlayerState, tick: number) => PlayerInput | undefined;

/** Gathers one tick of inputs from `script`, in the world's player order. */
export function inputsFor(world: WorldState, script: InputScript): Map<string, PlayerInput[]> {
  const inputs = new Map<string, PlayerInput[]>();
  world.players.forEach((player, id) => {
    const next = script(id, player, world.tick);
    if (next) inputs.set(id, [next]);
  });
  return inputs;
}

/** Steps `world` `ticks` times under `script`; returns every event, in order. */
export function runTicks(world: WorldState, rules: MatchRules, ticks: number, script: InputScript): WorldEvent[] {
  const events: WorldEvent[] = [];
  for (let i = 0; i < ticks; i++) stepWorld(world, inputsFor(world, script), rules, events);
  return events;
}

/** One step of `world` with these inputs (one per player id); returns its events. */
export function stepOnce(world: WorldState, rules: MatchRules, inputs: Record<string, PlayerInput> = {}): WorldEvent[] {
  const events: WorldEvent[] = [];
  const tickInputs = new Map(Object.entries(inputs).map(([id, next]) => [id, [next]]));
  stepWorld(world, tickInputs, rules, events);
  return events;
}

/** Every player holds the same input every tick. */
export function holdInput(held: PlayerInput): InputScript {
  return () => held;
}

/**
 * A seeded bot for every player: it wanders, aims at the nearest living enemy
 * with some jitter and pulls the trigger most ticks. Its choices depend only on
 * `(seed, tick, id)` and the world it reads, so two identical worlds get
 * identical inputs whatever their player order.
 */
export function fightingBots(world: WorldState, seed: number): InputScript {
  return (id, player, tick) => {
    const random = randomFor(seed, tick, hashString(id));
    const wander = random();
    const jitter = (random() - 0.5) * 0.3;
    const fire = random() < 0.6;
    const target = nearestEnemy(world, id, player);
    const aim = target ? Math.atan2(target.y - player.y, target.x - player.x) + jitter : random() * 7 - 3.5;
    // Mostly strafe around the target, sometimes charge it, sometimes wander off.
    const heading = wander < 0.15 ? aim : wander < 0.85 ? aim + Math.PI / 2 * (tick % 90 < 45 ? 1 : -1) : wander * 40;
    return { moveX: Math.cos(heading), moveY: Math.sin(heading), aim, fire };
  };
}

function nearestEnemy(world: WorldState, id: string, player: PlayerState): PlayerState | undefined {
  let nearest: PlayerState | undefined;
  let nearestDistSq = Infinity;
  world.players.forEach((other, otherId) => {
    if (otherId === id || !other.alive) return;
    const distSq = (other.x - player.x) ** 2 + (other.y - player.y) ** 2;
    if (distSq < nearestDistSq) {
      nearest = other;
      nearestDistSq = distSq;
    }
  });
  return nearest;
}

/** Kills per killer among `events`. */
export function killsByPlayer(events: readonly WorldEvent[]): Map<string, number> {
  const kills = new Map<string, number>();
  for (const event of events) {
    if (event.type === "kill") kills.set(event.killer, (kills.get(event.killer) ?? 0) + 1);
  }
  return kills;
}

/**
 * Every field of a world as JSON, players and projectiles in id order, with
 * numbers written so that -0 and NaN survive: two equal dumps are equal bit
 * for bit, not just equal after hashing.
 */
export function dumpWorld(world: WorldState): string {
  const players: [string, unknown[]][] = [];
  world.players.forEach((p, id) => players.push([id, [
    p.name, p.x, p.y, p.vx, p.vy, p.aim, p.hp, p.score, p.deaths, p.alive, p.shielded,
    p.shieldUntilTick, p.respawnTick, p.reloadTicks,
  ]]));
  const projectiles: [string, unknown[]][] = [];
  world.projectiles.forEach((j, id) => projectiles.push([id, [j.owner, j.x, j.y, j.vx, j.vy, j.expireTick]]));
  const byId = (a: [string, unknown[]], b: [string, unknown[]]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return JSON.stringify({
    tick: world.tick, seed: world.seed, phase: world.phase, phaseEndTick: world.phaseEndTick,
    timeLeft: world.timeLeft, matchNumber: world.matchNumber, nextProjectileId: world.nextProjectileId,
    players: players.sort(byId), projectiles: projectiles.sort(byId),
  }, (_key, value: unknown) => (typeof value === "number" ? exactNumber(value) : value));
}

/** A number as text that tells -0 from 0 and keeps NaN and ±Infinity. */
function exactNumber(value: number): string {
  return Object.is(value, -0) ? "-0" : String(value);
}

/**
 * The game the tick-cost benchmark replays: played once on plain objects by
 * the shared bot brain, with extra shots keeping a set number of projectiles
 * in flight, and recorded tick by tick so every server variant replays the
 * very same inputs and shots.
 */
import { botInput, botRandom, botViewOf, newBotMemory, type BotMemory } from "../../shared/bot.ts";
import { hashWorld } from "../../shared/hash.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import { mulberry32, type Random } from "../../shared/rng.ts";
import type { MatchRules } from "../../shared/rules.ts";
import { createSimulationWorld } from "../../shared/simulation.ts";
import { spawnPlayer } from "../../shared/spawning.ts";
import { launch } from "../../shared/weapon.ts";
import { stepWorld } from "../../shared/world.ts";
import { newPlayer, type ProjectileState, type WorldEvent, type WorldState } from "../../shared/worldState.ts";
import { ArenaState } from "../../server/schema/ArenaState.ts";
import { StateMirror } from "../../server/rooms/stateMirror.ts";

/** One tick of the recorded game: every player's input and the extra shots fired before the step. */
export interface RecordedTick {
  inputs: Map<string, PlayerInput[]>;
  shots: Array<{ id: string; shot: ProjectileState }>;
}

export type Roster = ReadonlyArray<{ id: string; name: string }>;

/** What every replay of the game shares: its rules, players, seed and unmeasured warm-up. */
export interface Game {
  rules: MatchRules;
  roster: Roster;
  seed: number;
  warmUpTicks: number;
}

/**
 * Plays the game once on plain objects, the shared bot brain deciding every
 * input and extra shots keeping `projectiles` in flight, and records it.
 */
export function recordGame(game: Game, ticks: number, projectiles: number) {
  const { rules, roster, seed } = game;
  const world = createSimulationWorld(seed, rules, roster);
  const recording: RecordedTick[] = [];
  const botBrain: number[] = [];
  const memories = new Map<string, BotMemory>(roster.map(({ id }) => [id, newBotMemory()]));
  const extraShots = mulberry32(seed ^ 0x5eed);
  const events: WorldEvent[] = [];
  let projectileSum = 0;
  for (let n = 0; n < ticks; n++) {
    const inputs = new Map<string, PlayerInput[]>();
    const t0 = performance.now();
    for (const { id } of roster) {
      inputs.set(id, [botInput(botViewOf(world, id, rules), memories.get(id)!, botRandom(seed, world.tick, id))]);
    }
    const t1 = performance.now();
    const tick: RecordedTick = { inputs, shots: drawExtraShots(world, projectiles, rules, extraShots) };
    recording.push(tick);
    fire(world, tick);
    stepWorld(world, inputs, rules, events);
    events.length = 0;
    if (n >= game.warmUpTicks) {
      botBrain.push(t1 - t0);
      projectileSum += world.projectiles.size;
    }
  }
  return { recording, botBrain, projectileSum, hash: hashWorld(world) };
}

/**
 * Extra shots, fired by random living players in random directions, until
 * `target` projectiles fly (ids taken from the world's counter, as firing does).
 */
function drawExtraShots(world: WorldState, target: number, rules: MatchRules, random: Random): RecordedTick["shots"] {
  const living: string[] = [];
  world.players.forEach((player, id) => { if (player.alive) living.push(id); });
  const shots: RecordedTick["shots"] = [];
  let attempts = 0;
  while (world.projectiles.size + shots.length < target && living.length > 0 && attempts++ < target * 4) {
    const owner = living[Math.floor(random() * living.length)];
    const shooter = world.players.get(owner)!;
    const flight = launch(shooter.x, shooter.y, (random() * 2 - 1) * Math.PI, rules.map);
    if (!flight) continue;
    shots.push({ id: String(world.nextProjectileId + shots.length), shot: { ...flight, owner, expireTick: world.tick + rules.projectileLifetimeTicks, lagMs: 0 } });
  }
  return shots;
}

/**
 * Arena's room image of `game`: a state mirror (`server/rooms/stateMirror.ts`)
 * with every player of the roster spawned as the room spawns them; at
 * `patchHz`, a stopped player's last write is repeated as the room does.
 */
export function arenaMirror(game: Game, patchHz?: number): StateMirror {
  const mirror = new StateMirror(new ArenaState(), game.seed, game.rules, undefined, patchHz);
  for (const { id, name } of game.roster) {
    const player = newPlayer(name, 0);
    spawnPlayer(mirror.world, id, player, game.rules);
    mirror.addPlayer(id, player);
  }
  return mirror;
}

/** Plays one recorded tick on `mirror`'s world, as the room does, and publishes it into its state. */
export function playTick(mirror: StateMirror, tick: RecordedTick, rules: MatchRules): void {
  fire(mirror.world, tick);
  stepWorld(mirror.world, tick.inputs, rules, []);
  mirror.publish(mirror.world.tick * (1000 / rules.tickHz));
}

/** Puts a recorded tick's extra shots into `world`. */
export function fire(world: WorldState, tick: RecordedTick): void {
  for (const { id, shot } of tick.shots) {
    world.projectiles.set(id, { ...shot });
    world.nextProjectileId++;
  }
}

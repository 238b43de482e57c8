/**
 * The headless simulation runner: bots play matches on a virtual clock through
 * exactly the rules a server room applies (`stepWorld` on the same world
 * shape), as fast as the CPU allows, and the run can be recorded in the one
 * replay format (`replayFormat.ts`) and re-run to the same state hash (`replayRun.ts`). Pure: no clock, no I/O, no `Math.random`; callers
 * measure wall time and write files.
 */
import { botInput, botRandom, botViewOf, DEFAULT_BOT_SKILL, newBotMemory, type BotSkill, type BotView } from "./bot.ts";
import { MATCH_SECONDS, DEFAULT_TICK_HZ, SCOREBOARD_SECONDS } from "./constants.ts";
import { hashWorld } from "./hash.ts";
import { generatedName } from "./names.ts";
import { spawnPlayer } from "./spawning.ts";
import { createWorld, stepWorld } from "./world.ts";
import { newPlayer, type PlayerState, type ProjectileState, type TickInputs, type WorldEvent, type WorldState } from "./worldState.ts";
import type { PlayerInput } from "./protocol.ts";
import { ReplayWriter, snapshotWorld, type WorldSnapshot } from "./replay.ts";
import { SIMULATION_ROOM_ID, type AppliedInput, type ReplayRules, type ReplayTick } from "./replayFormat.ts";
import { quantizeInput } from "./replayCodec.ts";
import { deriveSeed, RandomStream } from "./rng.ts";
import { makeRules, type MatchRules } from "./rules.ts";
import { EntryList } from "./entryList.ts";

/** Hooks into every step, for tests that check invariants or watch the bots. */
export interface SimulationObserver {
  /** Before a step, with the (quantised) inputs about to be applied. */
  beforeStep?(world: WorldState, inputs: TickInputs): void;
  /** After a step, with its events. */
  afterStep?(world: WorldState, events: readonly WorldEvent[]): void;
}

export interface SimulationOptions {
  /** The world's match seed; the bots' randomness is derived from it too. */
  seed: number;
  /** Number of bot players, all joining at tick 0. */
  bots: number;
  /** Stop after this many ticks… */
  ticks?: number;
  /** …or this many simulated minutes… */
  minutes?: number;
  /** …or once this many matches have ended, whichever comes first (at least one limit is required). */
  matches?: number;
  /** Tick rate and match lengths; the defaults are the game's. */
  rules?: Partial<ReplayRules>;
  skill?: BotSkill;
  /** Skills by bot, in turn (bot i plays `skills[i % skills.length]`); overrides `skill`. */
  skills?: readonly BotSkill[];
  /** Record the run (every applied input), returned as `summary.replay`. */
  record?: boolean;
  /** Recorded runs store a state hash and a snapshot of the world every this many ticks (default: 30 simulated seconds). */
  checkpointEveryTicks?: number;
  onProgress?: (progress: SimulationProgress) => void;
  /** Ticks between `onProgress` calls (default: one simulated second). */
  progressEveryTicks?: number;
  observer?: SimulationObserver;
}

export interface SimulationProgress {
  tick: number;
  /** Ticks the run will last at most (Infinity when only `matches` limits it). */
  plannedTicks: number;
  kills: number;
  matchesPlayed: number;
}

/** One player over the whole run. */
export interface PlayerResult {
  id: string;
  name: string;
  /** Over every match of the run. */
  kills: number;
  deaths: number;
  /** In the current (last) match, as the world holds it. */
  score: number;
}

/** One finished match: its kills and the standings when it ended, best first. */
export interface MatchResult {
  matchNumber: number;
  kills: number;
  standings: { id: string; name: string; score: number; deaths: number }[];
}

export interface SimulationSummary {
  seed: number;
  bots: number;
  rules: ReplayRules;
  ticks: number;
  simulatedSeconds: number;
  kills: number;
  /** Matches that ended during the run. */
  matchesPlayed: number;
  matches: MatchResult[];
  /** Most kills first. */
  players: PlayerResult[];
  /** `hashWorld` of the final state. */
  finalHash: string;
  /** The recording as replay file bytes (`replayFormat.ts`), when `record` was set. */
  replay?: Uint8Array;
}

/** The rules a run uses, with every host-settable default filled in (they go into a replay's header). */
export function simulationRules(options: Partial<ReplayRules> = {}): ReplayRules {
  const { tickHz, matchSeconds, scoreboardSeconds, ...rest } = options;
  const rules: ReplayRules = {
    tickHz: tickHz ?? DEFAULT_TICK_HZ,
    matchSeconds: matchSeconds ?? MATCH_SECONDS,
    scoreboardSeconds: scoreboardSeconds ?? SCOREBOARD_SECONDS,
  };
  if (rest.tuning && Object.keys(rest.tuning).length > 0) rules.tuning = rest.tuning;
  if (rest.map) rules.map = rest.map;
  if (rest.faults && Object.values(rest.faults).some(Boolean)) rules.faults = rest.faults;
  return rules;
}

/** A player of a simulation: its id and name. */
export interface SimulatedPlayer {
  id: string;
  name: string;
}

/** `count` bots with ids `bot1`, `bot2`, … and generated names, deterministic in `seed`. */
export function botRoster(seed: number, count: number): SimulatedPlayer[] {
  const roster: SimulatedPlayer[] = [];
  for (let i = 1; i <= count; i++) roster.push({ id: `bot${i}`, name: generatedName(deriveSeed(seed, i)) });
  return roster;
}

/** A new world with `players` joined in order at tick 0, spawned as the room spawns joiners. */
export function createSimulationWorld(seed: number, rules: MatchRules, players: readonly SimulatedPlayer[]): WorldState {
  const world = createWorld(seed, rules);
  for (const { id, name } of players) {
    const player = newPlayer(name);
    spawnPlayer(world, id, player, rules);
    world.players.set(id, player);
  }
  return world;
}

/** Runs bots through matches and returns what happened; see `SimulationOptions` for the limits. */
export function runSimulation(options: SimulationOptions): SimulationSummary {
  const rulesOptions = simulationRules(options.rules);
  const rules = makeRules(rulesOptions);
  const plannedTicks = Math.min(
    options.ticks ?? Infinity,
    options.minutes === undefined ? Infinity : Math.round(options.minutes * 60 * rules.tickHz),
  );
  const matchLimit = options.matches ?? Infinity;
  if (plannedTicks === Infinity && matchLimit === Infinity) throw new Error("runSimulation needs ticks, minutes or matches");

  const roster = botRoster(options.seed, options.bots);
  const world = createSimulationWorld(options.seed, rules, roster);
  const skillOf = (index: number) => options.skills?.[index % options.skills.length] ?? options.skill ?? DEFAULT_BOT_SKILL;
  const start = options.record ? snapshotWorld(world) : undefined;
  const writer = start && new ReplayWriter(start);
  const checkpointEvery = options.checkpointEveryTicks ?? 30 * rules.tickHz;
  const checkpoints: string[] = [];
  const snapshots: WorldSnapshot[] = [];
  const progressEvery = options.progressEveryTicks ?? rules.tickHz;

  // Each bot's view is made once and its clock moved on every tick; the world's players and projectiles
  // are listed once a tick for all the bots to walk.
  const players = new EntryList<PlayerState>();
  const projectiles = new EntryList<ProjectileState>();
  // The run's players are all there from the start, and respawn in place: listed once.
  players.relist(world.players);
  const bots = roster.map(({ id }, index) => ({
    id, memory: newBotMemory(), applied: idleInput(), wanted: idleInput(), skill: skillOf(index), random: new RandomStream(),
    view: { ...botViewOf(world, id, rules), players, projectiles } as LiveBotView,
  }));
  const inputs = new Map<string, PlayerInput[]>(bots.map((bot) => [bot.id, [bot.applied]]));
  // What the recording takes each tick: the same input objects, refilled before every step.
  const recorded: ReplayTick = {
    changes: [], rewound: [],
    inputs: new Map(bots.map((bot) => [bot.id, [{ input: bot.applied, lagMs: 0 } satisfies AppliedInput]])),
  };
  const tally = new Tally(world, roster);
  const events: WorldEvent[] = [];

  while (world.tick < plannedTicks && tally.matchesPlayed < matchLimit) {
    projectiles.relist(world.projectiles);
    for (const bot of bots) {
      bot.view.tick = world.tick;
      bot.view.phase = world.phase;
      const wanted = botInput(bot.view, bot.memory, botRandom(options.seed, world.tick, bot.id, bot.random), bot.skill, bot.wanted);
      // Quantised, so that a recording holds the input applied in a few bytes, bit for bit.
      quantizeInput(wanted, bot.applied);
    }
    writer?.addTick(recorded);
    options.observer?.beforeStep?.(world, inputs);
    events.length = 0;
    stepWorld(world, inputs, rules, events);
    tally.count(events);
    options.observer?.afterStep?.(world, events);
    if (writer && world.tick % checkpointEvery === 0) {
      checkpoints.push(hashWorld(world));
      snapshots.push(snapshotWorld(world));
    }
    if (options.onProgress && world.tick % progressEvery === 0) {
      options.onProgress({ tick: world.tick, plannedTicks, kills: tally.kills, matchesPlayed: tally.matchesPlayed });
    }
  }

  const finalHash = hashWorld(world);
  return {
    seed: options.seed,
    bots: options.bots,
    rules: rulesOptions,
    ticks: world.tick,
    simulatedSeconds: world.tick / rules.tickHz,
    kills: tally.kills,
    matchesPlayed: tally.matchesPlayed,
    matches: tally.matches,
    players: tally.players(),
    finalHash,
    replay: start && writer?.finish({
      seed: options.seed, rules: rulesOptions, roomId: SIMULATION_ROOM_ID, matchNumber: start.matchNumber, complete: true,
      start, finalHash, checkpoints: { everyTicks: checkpointEvery, hashes: checkpoints, snapshots },
    }),
  };
}

/** A bot's view whose clock the runner moves on. */
type LiveBotView = { -readonly [K in keyof BotView]: BotView[K] };

function idleInput(): PlayerInput {
  return { moveX: 0, moveY: 0, aim: 0, fire: false };
}

/** Kills, deaths and match results counted from the world's events. */
class Tally {
  kills = 0;
  matchesPlayed = 0;
  readonly matches: MatchResult[] = [];
  readonly #world: WorldState;
  readonly #roster: readonly SimulatedPlayer[];
  readonly #killsBy = new Map<string, number>();
  readonly #deathsOf = new Map<string, number>();
  #matchKills = 0;

  constructor(world: WorldState, roster: readonly SimulatedPlayer[]) {
    this.#world = world;
    this.#roster = roster;
  }

  count(events: readonly WorldEvent[]): void {
    for (const event of events) {
      if (event.type === "kill") {
        this.kills++;
        this.#matchKills++;
        this.#killsBy.set(event.killer, (this.#killsBy.get(event.killer) ?? 0) + 1);
        this.#deathsOf.set(event.victim, (this.#deathsOf.get(event.victim) ?? 0) + 1);
      } else if (event.type === "matchEnd") {
        this.matchesPlayed++;
        this.matches.push({ matchNumber: event.matchNumber, kills: this.#matchKills, standings: this.#standings() });
        this.#matchKills = 0;
      }
    }
  }

  players(): PlayerResult[] {
    return this.#roster
      .map(({ id, name }) => ({
        id, name, kills: this.#killsBy.get(id) ?? 0, deaths: this.#deathsOf.get(id) ?? 0,
        score: this.#world.players.get(id)?.score ?? 0,
      }))
      .sort((a, b) => b.kills - a.kills || a.deaths - b.deaths);
  }

  #standings(): MatchResult["standings"] {
    return [...this.#world.players]
      .map(([id, p]) => ({ id, name: p.name, score: p.score, deaths: p.deaths }))
      .sort((a, b) => b.score - a.score || a.deaths - b.deaths);
  }
}

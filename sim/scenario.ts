/**
 * Scenarios: a rule's test in about ten lines, through the very step a
 * server room runs. Place players (or let them spawn), give each a script of
 * inputs by tick or a bot, run a number of ticks or until an event, then
 * assert on the events and the world with Vitest's `expect`:
 *
 *     const s = scenario()
 *       .join("shooter", { at: [100, 60], inputs: { aim: 0, fire: true } })
 *       .join("target", { at: [500, 60] })
 *       .runUntil("hit");
 *     expect(s.player("target").hp).toBe(75);
 *
 * People's inputs reach the step as a room receives them (float32 on the
 * wire, then `sanitizeInput`); bots play with the shared bot brain, their
 * inputs quantised as the simulation runner's are. Joins, leaves, lost and
 * regained connections happen between ticks, as in a room. A scenario can be
 * recorded (the one replay format: `npm run replay`, `?replay=`) and can check
 * every invariant after every tick (`sim/invariants.ts`), which is how the
 * fuzzer runs its cases.
 */
import { BOT_SKILLS, botInput, botRandom, botViewOf, newBotMemory, type BotMemory, type BotSkill, type BotSkillName } from "../shared/bot.ts";
import { hashWorld } from "../shared/hash.ts";
import { IDLE_INPUT, sanitizeInput, type PlayerInput } from "../shared/protocol.ts";
import { quantizeInput } from "../shared/replayCodec.ts";
import { ReplayWriter, snapshotWorld, type WorldSnapshot } from "../shared/replay.ts";
import { SCENARIO_ROOM_ID, type ReplayRules, type RosterChange } from "../shared/replayFormat.ts";
import { makeRules, type MatchRules } from "../shared/rules.ts";
import { simulationRules } from "../shared/simulation.ts";
import { spawnPlayer } from "../shared/spawning.ts";
import { createWorld, stepWorld } from "../shared/world.ts";
import { newPlayer, type PlayerState, type WorldEvent, type WorldState } from "../shared/worldState.ts";
import { InvariantChecker, type Violation } from "./invariants.ts";
import { ownPlayerPrediction } from "./prediction.ts";

/** What a script may answer for a tick: an input (fields not given are idle), or nothing sent. */
export type ScriptedInput = Partial<PlayerInput> | null | undefined;

/** A script: the input a player sends on `tick`, reading the world as a client reads its state. */
export type InputScript = (tick: number, self: PlayerState, world: WorldState) => ScriptedInput;

/**
 * What a player sends: one input held every tick; a timeline `{ [tick]: input | null }`
 * (each entry holds from its tick on; `null` sends nothing); or a script.
 */
export type Inputs = Partial<PlayerInput> | Readonly<Record<number, Partial<PlayerInput> | null>> | InputScript;

/** How a player enters a scenario. */
export interface JoinOptions {
  /** Placed here: alive, unprotected, at rest. Without it the player spawns as a joiner does (seeded spawn point, protection). */
  at?: readonly [number, number];
  /** What it sends (default: nothing, so it stands still and its weapon does not reload). */
  inputs?: Inputs;
  /** Played by the bot brain instead, at this skill. */
  bot?: BotSkillName | BotSkill;
  /** Fields set after placing, e.g. `{ hp: 25 }` or `{ shielded: true, shieldUntilTick: 90 }`. */
  state?: Partial<PlayerState>;
}

/** How a scenario is set up; everything defaults to the game as it ships. */
export interface ScenarioOptions {
  /** The match seed: spawn points and the bots' choices follow it (default 1). */
  seed?: number;
  /** Tick rate, match lengths, tuning values (`TUNING`), a map, planted faults. */
  rules?: Partial<ReplayRules>;
  /** Keep a recording (`replay()`). */
  record?: boolean;
  /** Check every invariant after every tick; broken ones collect in `violations`. */
  invariants?: boolean;
}

interface Participant {
  script?: InputScript;
  bot?: { skill: BotSkill; memory: BotMemory };
}

/** A scenario under way; every method that acts returns it, so calls chain. */
export class Scenario {
  readonly world: WorldState;
  readonly rules: MatchRules;
  /** Every event so far, in order. */
  readonly events: WorldEvent[] = [];
  /** Invariants broken so far (checked only with `invariants: true`). */
  readonly violations: Violation[] = [];
  readonly #seed: number;
  readonly #replayRules: ReplayRules;
  readonly #participants = new Map<string, Participant>();
  readonly #changes: RosterChange[] = [];
  readonly #writer?: ReplayWriter;
  readonly #start?: WorldSnapshot;
  readonly #checker?: InvariantChecker;
  readonly #hashes: string[] = [];
  readonly #snapshots: WorldSnapshot[] = [];

  constructor(options: ScenarioOptions = {}) {
    this.#seed = options.seed ?? 1;
    this.#replayRules = simulationRules(options.rules);
    this.rules = makeRules(this.#replayRules);
    this.world = createWorld(this.#seed, this.rules);
    if (options.record) {
      this.#start = snapshotWorld(this.world);
      this.#writer = new ReplayWriter(this.#start);
    }
    if (options.invariants) this.#checker = new InvariantChecker(this.rules, this.world);
  }

  get tick(): number {
    return this.world.tick;
  }

  /** Seats a player before the next tick (see `JoinOptions`). */
  join(id: string, options: JoinOptions = {}): this {
    if (this.world.players.has(id)) throw new Error(`${id} has already joined`);
    const player = newPlayer(id, this.world.players.size % 16, options.bot !== undefined);
    spawnPlayer(this.world, id, player, this.rules);
    if (options.at) Object.assign(player, { x: options.at[0], y: options.at[1], shielded: false, shieldUntilTick: 0 });
    Object.assign(player, options.state);
    this.world.players.set(id, player);
    this.#changes.push({ type: "join", id, player: { ...player } });
    const skill = typeof options.bot === "string" ? BOT_SKILLS[options.bot] : options.bot;
    this.#participants.set(id, skill
      ? { bot: { skill, memory: newBotMemory() } }
      : { script: options.inputs === undefined ? undefined : scriptOf(options.inputs) });
    return this;
  }

  /** Changes what a person sends from the next tick on. */
  send(id: string, inputs: Inputs | null): this {
    this.player(id);
    this.#participants.set(id, { script: inputs === null ? undefined : scriptOf(inputs) });
    return this;
  }

  /** The player leaves the room. */
  leave(id: string): this {
    this.player(id);
    this.world.players.delete(id);
    this.#participants.delete(id);
    this.#changes.push({ type: "leave", id });
    return this;
  }

  /** The player's connection is lost: it is frozen, sends nothing and cannot be hit, its seat held. */
  drop(id: string): this {
    this.player(id).connected = false;
    this.#changes.push({ type: "disconnected", id });
    return this;
  }

  /** The player's connection is back. */
  reconnect(id: string): this {
    this.player(id).connected = true;
    this.#changes.push({ type: "reconnected", id });
    return this;
  }

  /** Runs `ticks` ticks. */
  run(ticks: number): this {
    for (let i = 0; i < ticks; i++) this.#step();
    return this;
  }

  /** Runs `seconds` of play (rounded to ticks). */
  seconds(seconds: number): this {
    return this.run(Math.round(seconds * this.rules.tickHz));
  }

  /**
   * Runs until an event of this type happens (or `until` holds after a tick),
   * at most `withinTicks` ticks (default: ten seconds); throws if it never does.
   */
  runUntil(until: WorldEvent["type"] | ((scenario: this) => boolean), withinTicks = 10 * this.rules.tickHz): this {
    const done = typeof until === "string" ? () => this.events.slice(seen).some((event) => event.type === until) : () => until(this);
    const seen = this.events.length;
    for (let i = 0; i < withinTicks; i++) {
      this.#step();
      if (done()) return this;
    }
    throw new Error(`${typeof until === "string" ? `no ${until} event` : "the condition did not hold"} within ${withinTicks} ticks (now at tick ${this.tick})`);
  }

  /** A player in the world (throws if there is none with this id). */
  player(id: string): PlayerState {
    const player = this.world.players.get(id);
    if (!player) throw new Error(`no player ${id}`);
    return player;
  }

  /** The events of one type so far. */
  eventsOf<T extends WorldEvent["type"]>(type: T): Extract<WorldEvent, { type: T }>[] {
    return this.events.filter((event): event is Extract<WorldEvent, { type: T }> => event.type === type);
  }

  /** The world's state hash (`hashWorld`). */
  hash(): string {
    return hashWorld(this.world);
  }

  /** The recording so far as replay file bytes (needs `record: true`); a state snapshot after every tick lets a re-run name its first difference. */
  replay(): Uint8Array {
    if (!this.#writer || !this.#start) throw new Error("this scenario is not recorded (record: true)");
    return this.#writer.finish({
      seed: this.#seed, rules: this.#replayRules, roomId: SCENARIO_ROOM_ID, matchNumber: this.#start.matchNumber, complete: false,
      start: this.#start, finalHash: this.hash(),
      checkpoints: { everyTicks: 1, hashes: this.#hashes, snapshots: this.#snapshots },
    });
  }

  #step(): void {
    const { world } = this;
    const inputs = new Map<string, PlayerInput[]>();
    this.#participants.forEach((participant, id) => {
      const player = world.players.get(id);
      if (!player || !player.connected) return;
      const input = participant.bot ? this.#botInput(id, participant.bot) : participant.script && wireInput(participant.script(world.tick, player, world));
      if (input) inputs.set(id, [input]);
    });
    const changes = this.#changes.splice(0);
    this.#writer?.addTick({
      changes,
      inputs: new Map([...inputs].map(([id, queue]) => [id, queue.map((input) => ({ input, lagMs: 0 }))])),
      rewound: [],
    });
    const predicted = this.#checker ? ownPlayerPrediction(world, inputs, this.rules, (id) => this.#participants.get(id)?.script !== undefined) : undefined;
    const events: WorldEvent[] = [];
    stepWorld(world, inputs, this.rules, events);
    for (const event of events) this.events.push(event);
    if (this.#checker) {
      this.violations.push(...this.#checker.check(world, events), ...(predicted?.(events) ?? []));
    }
    if (this.#writer) {
      this.#hashes.push(this.hash());
      this.#snapshots.push(snapshotWorld(world));
    }
  }

  #botInput(id: string, bot: { skill: BotSkill; memory: BotMemory }): PlayerInput {
    const view = botViewOf(this.world, id, this.rules);
    return quantizeInput(botInput(view, bot.memory, botRandom(this.#seed, this.world.tick, id), bot.skill));
  }
}

/** A new scenario (see the file comment for an example). */
export function scenario(options: ScenarioOptions = {}): Scenario {
  return new Scenario(options);
}

/** An input as a room receives it: float32 on the wire, then brought into its domain. */
function wireInput(scripted: ScriptedInput): PlayerInput | undefined {
  if (!scripted) return undefined;
  const input = { ...IDLE_INPUT, ...scripted };
  input.moveX = Math.fround(input.moveX);
  input.moveY = Math.fround(input.moveY);
  input.aim = Math.fround(input.aim);
  sanitizeInput(input);
  return input;
}

function scriptOf(inputs: Inputs): InputScript {
  if (typeof inputs === "function") return inputs;
  const keys = Object.keys(inputs);
  if (keys.length === 0 || !keys.every((key) => /^\d+$/.test(key))) {
    const held = inputs as Partial<PlayerInput>;
    return () => held;
  }
  const timeline = inputs as Readonly<Record<number, Partial<PlayerInput> | null>>;
  const from = keys.map(Number).sort((a, b) => a - b);
  return (tick) => {
    let current: Partial<PlayerInput> | null = null;
    for (const start of from) if (start <= tick) current = timeline[start];
    return current;
  };
}

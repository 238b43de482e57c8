/**
 * One fuzz case: a match seed, a map, players who join at some tick (people
 * with inputs held in segments, or bots), lose their connection, come back or
 * leave, and how many ticks to run. Plain data, so that it shrinks, prints as
 * a scenario and replays. `runFuzzCase` plays it through a scenario that
 * checks every invariant after every tick, then plays it again beside a
 * second run to check that the same case gives the same game.
 */
import { PLAYER_RADIUS } from "../../shared/constants.ts";
import { circleOverlapsWall } from "../../shared/geometry.ts";
import type { ArenaMap, Point, Wall } from "../../shared/map.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import { POSITION_X, POSITION_Y, snap } from "../../shared/precision.ts";
import type { BotSkillName } from "../../shared/bot.ts";
import type { PlantedFaults, Tuning } from "../../shared/rules.ts";
import { findDivergence, type Divergence } from "../divergence.ts";
import type { Violation } from "../invariants.ts";
import { scenario, type Scenario } from "../scenario.ts";

/** A person's inputs for a stretch of ticks: one input held, or (null) nothing sent. */
export interface InputSegment {
  ticks: number;
  input: Partial<PlayerInput> | null;
}

/** Something that happens to a player's connection at a tick (ignored where it makes no sense, e.g. a reconnection while connected). */
export interface RosterEvent {
  tick: number;
  kind: "drop" | "reconnect" | "leave";
}

/** One player of a case: a person (`bot` null) or a bot. */
export interface FuzzPlayer {
  bot: BotSkillName | null;
  joinTick: number;
  /** A person's inputs from its join on, segment after segment; nothing after the last. */
  inputs: InputSegment[];
  events: RosterEvent[];
}

/** A map as the fuzzer draws it; `fuzzMap` makes it a playable one. */
export interface FuzzMapSpec {
  width: number;
  height: number;
  walls: Wall[];
  spawnPoints: Point[];
}

/** One case. */
export interface FuzzCase {
  seed: number;
  /** null: the arena's map. */
  map: FuzzMapSpec | null;
  ticks: number;
  players: FuzzPlayer[];
}

/** What the rules are under test: tuning values and planted faults (empty: the game as shipped). */
export interface FuzzRules {
  tuning?: Partial<Tuning>;
  faults?: PlantedFaults;
}

/** How a case failed: an invariant broke, two runs differed, or the step threw. */
export type FuzzFailure =
  | { kind: "invariant"; violation: Violation }
  | { kind: "nondeterminism"; divergence: Divergence }
  | { kind: "crash"; tick: number; message: string };

/** The id of the case's i-th player. */
export function playerId(index: number): string {
  return `p${index + 1}`;
}

/**
 * A playable map from a drawn one: spawn points snapped to the position grid
 * and kept only where a player fits (inside the world, clear of every wall);
 * `undefined` when none is left (the case then plays on the arena).
 */
export function fuzzMap(spec: FuzzMapSpec): ArenaMap | undefined {
  const walls = spec.walls;
  const spawnPoints = spec.spawnPoints
    .map((point) => ({ x: snap(POSITION_X, point.x), y: snap(POSITION_Y, point.y) }))
    .filter(({ x, y }) => x >= PLAYER_RADIUS && y >= PLAYER_RADIUS && x <= spec.width - PLAYER_RADIUS && y <= spec.height - PLAYER_RADIUS
      && !walls.some((wall) => circleOverlapsWall(x, y, PLAYER_RADIUS, wall)));
  return spawnPoints.length === 0 ? undefined : { width: spec.width, height: spec.height, walls, spawnPoints };
}


/** A case under way: its scenario, stepped one tick at a time with the case's joins and connection events. */
export class FuzzRun {
  readonly scenario: Scenario;
  readonly #case: FuzzCase;
  readonly #left = new Set<number>();

  constructor(fuzzCase: FuzzCase, rules: FuzzRules = {}, { record = false, invariants = true } = {}) {
    this.#case = fuzzCase;
    const map = fuzzCase.map ? fuzzMap(fuzzCase.map) : undefined;
    this.scenario = scenario({ seed: fuzzCase.seed, rules: { ...rules, map }, invariants, record });
  }

  get done(): boolean {
    return this.scenario.tick >= this.#case.ticks;
  }

  /** Applies what happens before the next tick, then steps it. */
  step(): void {
    const s = this.scenario;
    const tick = s.tick;
    this.#case.players.forEach((player, index) => {
      const id = playerId(index);
      if (player.joinTick === tick) s.join(id, player.bot ? { bot: player.bot } : { inputs: timeline(player) });
      if (!s.world.players.has(id) || this.#left.has(index)) return;
      for (const event of player.events) {
        if (event.tick !== tick || !s.world.players.has(id)) continue;
        const connected = s.player(id).connected;
        if (event.kind === "leave") {
          s.leave(id);
          this.#left.add(index);
        } else if (event.kind === "drop" && connected) s.drop(id);
        else if (event.kind === "reconnect" && !connected) s.reconnect(id);
      }
    });
    s.run(1);
  }
}

/** A person's segments as a scenario timeline: each from the tick it starts, nothing after the last. */
export function timeline(player: FuzzPlayer): Record<number, Partial<PlayerInput> | null> {
  const entries: Record<number, Partial<PlayerInput> | null> = {};
  let tick = player.joinTick;
  for (const segment of player.inputs) {
    entries[tick] = segment.input;
    tick += segment.ticks;
  }
  entries[tick] = null;
  return entries;
}

/**
 * Plays a case: the first broken invariant (with the tick it broke in) or a
 * crash; else it plays the case again and, when the second run ends in
 * another state hash, plays it twice more side by side to name the first
 * difference. `undefined` when the case passes.
 */
export function runFuzzCase(fuzzCase: FuzzCase, rules: FuzzRules = {}): FuzzFailure | undefined {
  const run = new FuzzRun(fuzzCase, rules);
  try {
    while (!run.done) {
      run.step();
      const [violation] = run.scenario.violations;
      if (violation) return { kind: "invariant", violation };
    }
  } catch (error) {
    return { kind: "crash", tick: run.scenario.tick, message: (error as Error).message };
  }
  const again = new FuzzRun(fuzzCase, rules, { invariants: false });
  while (!again.done) again.step();
  if (again.scenario.hash() === run.scenario.hash()) return undefined;
  const divergence = findDivergence(asRun(new FuzzRun(fuzzCase, rules)), asRun(new FuzzRun(fuzzCase, rules)), fuzzCase.ticks);
  return { kind: "nondeterminism", divergence: divergence ?? { tick: fuzzCase.ticks, field: "state hash", a: run.scenario.hash(), b: again.scenario.hash() } };
}

function asRun(run: FuzzRun) {
  return { world: run.scenario.world, step: () => run.step() };
}

/** How many ticks the case runs up to the failure (all of them for a difference between runs). */
export function ticksToFailure(failure: FuzzFailure): number {
  return failure.kind === "invariant" ? failure.violation.tick : failure.kind === "crash" ? failure.tick + 1 : failure.divergence.tick;
}

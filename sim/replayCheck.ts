/**
 * Re-running a recording and saying how it went: whether it ends in the
 * recorded state, where it first differs from the recording (the exact tick
 * and field when the recording keeps snapshots, else the first checkpoint
 * whose hash differs), which invariants broke, whether a second re-run agrees
 * with the first, and where other rules would first part from it.
 * `npm run replay` prints this.
 */
import { hashWorld } from "../shared/hash.ts";
import type { Replay, ReplayRules } from "../shared/replayFormat.ts";
import { ReplayRun } from "../shared/replayRun.ts";
import type { WorldEvent, WorldState } from "../shared/worldState.ts";
import { findDivergence, firstDifference, type Divergence, type Run } from "./divergence.ts";
import { InvariantChecker, type Violation } from "./invariants.ts";
import { ownPlayerPrediction } from "./prediction.ts";

/** Where a re-run first parted from its recording. */
export interface RecordingDivergence {
  /** The first tick whose recorded hash (or snapshot) differs from the re-run's. */
  tick: number;
  /** The last checkpoint tick that still agreed (the start's tick when none did). */
  lastAgreeingTick: number;
  /** The first field that differs and its two values, when the recording keeps a snapshot of that tick. */
  field?: string;
  recorded?: unknown;
  replayed?: unknown;
}

/** What re-running a recording showed. */
export interface ReplayCheck {
  ticks: number;
  finalHash: string;
  /** True when the re-run ends in the recorded final hash. */
  matches: boolean;
  divergence?: RecordingDivergence;
  /** Invariants broken during the re-run, the first `MAX_VIOLATIONS`. */
  violations: Violation[];
  /** Set when the re-run threw (it asked lag compensation for answers the recording does not have). */
  error?: string;
}

const MAX_VIOLATIONS = 20;

/** Re-runs `replay` to its end (`afterStep` sees each tick) and compares it with what was recorded. */
export function checkReplay(replay: Replay, afterStep?: (world: WorldState, events: readonly WorldEvent[]) => void): ReplayCheck {
  const run = new ReplayRun(replay);
  const { everyTicks, hashes, snapshots } = replay.header.checkpoints;
  const checker = new InvariantChecker(run.rules, run.world);
  const violations: Violation[] = [];
  const events: WorldEvent[] = [];
  let divergence: RecordingDivergence | undefined;
  let lastAgreeingTick = run.world.tick;
  try {
    while (!run.done) {
      events.length = 0;
      const inputs = replay.ticks[run.ticksDone].inputs;
      const applied = new Map([...inputs].map(([id, queue]) => [id, queue.map((one) => one.input)]));
      const predicted = ownPlayerPrediction(run.world, applied, run.rules, (id) => run.world.players.get(id)?.bot === false);
      run.step(events);
      afterStep?.(run.world, events);
      if (violations.length < MAX_VIOLATIONS) violations.push(...checker.check(run.world, events), ...predicted(events));
      const index = run.ticksDone / everyTicks - 1;
      if (divergence || !Number.isInteger(index) || hashes[index] === undefined) continue;
      const snapshot = snapshots?.[index];
      const difference = snapshot ? firstDifference(snapshot, run.world) : undefined;
      if (difference) divergence = { tick: run.world.tick, lastAgreeingTick, field: difference.field, recorded: difference.a, replayed: difference.b };
      else if (hashes[index] !== hashWorld(run.world)) divergence = { tick: run.world.tick, lastAgreeingTick };
      else lastAgreeingTick = run.world.tick;
    }
  } catch (error) {
    const finalHash = hashWorld(run.world);
    return { ticks: run.ticksDone, finalHash, matches: false, divergence, violations: violations.slice(0, MAX_VIOLATIONS), error: (error as Error).message };
  }
  const finalHash = hashWorld(run.world);
  return { ticks: run.ticksDone, finalHash, matches: finalHash === replay.header.finalHash, divergence, violations: violations.slice(0, MAX_VIOLATIONS) };
}

/**
 * Re-runs `replay` twice side by side: a difference means the rules read
 * something outside the world and the recording (hidden state), so the same
 * inputs do not give the same game.
 */
export function rerunTwice(replay: Replay): Divergence | undefined {
  return findDivergence(replayRun(replay), replayRun(replay), replay.ticks.length);
}

/**
 * Runs the recording's inputs under its own rules and under `changed` side
 * by side: the first tick and field where the other rules part from it.
 */
export function compareRules(replay: Replay, changed: Partial<ReplayRules>): Divergence | undefined {
  const other: Replay = { ...replay, header: { ...replay.header, rules: { ...replay.header.rules, ...changed } } };
  return findDivergence(replayRun(replay), replayRun(other), replay.ticks.length);
}

/** A recording's re-run as a `Run` (a step throws when lag compensation asks for more than was recorded). */
function replayRun(replay: Replay): Run {
  const run = new ReplayRun(replay);
  const events: WorldEvent[] = [];
  return {
    world: run.world,
    step: () => {
      events.length = 0;
      if (!run.done) run.step(events);
    },
  };
}

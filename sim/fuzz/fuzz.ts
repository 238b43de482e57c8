/**
 * The fuzzer: random but valid fuzz cases (fast-check draws them, biased to
 * extreme values: NaN, infinities, huge and tiny numbers, inputs every tick
 * or none for seconds, joins, leaves, drops and reconnections at any tick,
 * bots and people mixed, maps of any size and walls) played through the real
 * step with every invariant checked every tick. A failing case is shrunk by
 * fast-check (fewer ticks, fewer players, simpler inputs, the arena's map)
 * to a minimal one, recorded as a replay and written out as a scenario.
 *
 * Seeded: the same seed draws the same cases in the same order. The search
 * runs in batches until its budget is spent, by the clock the caller passes
 * (this folder reads none); shrinking is not cut short.
 */
import fc from "fast-check";
import { deriveSeed } from "../../shared/rng.ts";
import {
  FuzzRun, runFuzzCase, ticksToFailure, type FuzzCase, type FuzzFailure, type FuzzMapSpec, type FuzzPlayer, type FuzzRules, type InputSegment,
} from "./fuzzCase.ts";
import { describeFailure, scenarioSource } from "./scenarioSource.ts";

/** How a fuzz run is set up. */
export interface FuzzOptions {
  seed: number;
  /** Milliseconds of searching, as `now` counts them; a failure found is then shrunk whatever the time. */
  budgetMs: number;
  /** The caller's clock, in milliseconds. */
  now: () => number;
  /** The rules under test (default: the game as shipped). */
  rules?: FuzzRules;
  /** The longest case, in ticks (default 300: ten seconds at 30 Hz). */
  maxTicks?: number;
  /** The most players in a case (default 6). */
  maxPlayers?: number;
  /** Cases per batch between looks at the clock (default 10). */
  batch?: number;
}

/** A failure, shrunk: the minimal case, what broke, its replay and its scenario source. */
export interface FuzzFinding {
  fuzzCase: FuzzCase;
  failure: FuzzFailure;
  /** One line: what broke, and at which tick. */
  description: string;
  /** Ticks the minimal case runs to its failure, and its players. */
  ticks: number;
  players: number;
  /** The case as first found, before shrinking. */
  foundTicks: number;
  foundPlayers: number;
  /** Smaller failing cases fast-check stepped through. */
  shrinks: number;
  /** The minimal case recorded up to its failure (`npm run replay`, `?replay=`). */
  replay: Uint8Array;
  /** The minimal case as a scenario to paste into a test. */
  scenario: string;
}

/** What a fuzz run did. */
export interface FuzzReport {
  seed: number;
  /** Cases played while searching (not counting shrinking). */
  cases: number;
  /** Milliseconds from the start to the first failing case. */
  foundAfterMs?: number;
  /** Milliseconds in all, shrinking included. */
  elapsedMs: number;
  finding?: FuzzFinding;
}

/** Failing cases shrunk before the smallest is reported… */
const FINDINGS_COMPARED = 3;
/** …found in at most this many more batches after the first. */
const BATCHES_AFTER_FIRST = 20;

/**
 * Searches for failing cases within the budget. The first one found is
 * shrunk; the search then goes on a little (`BATCHES_AFTER_FIRST` batches at
 * most) for up to `FINDINGS_COMPARED` failures, each shrunk, and the smallest
 * is reported: shrinking reaches a local minimum, and another
 * failing case often shrinks further.
 */
export function fuzz(options: FuzzOptions): FuzzReport {
  const started = options.now();
  const elapsed = () => options.now() - started;
  const rules = options.rules ?? {};
  const arbitrary = fuzzCaseArbitrary(options.maxTicks ?? 300, options.maxPlayers ?? 6);
  let cases = 0;
  let shrinking = false;
  let found: FuzzCase | undefined;
  let foundAfterMs: number | undefined;
  let best: FuzzFinding | undefined;
  let findings = 0;
  let firstBatch = -1;
  const property = fc.property(arbitrary, (fuzzCase) => {
    if (!shrinking) cases++;
    if (runFuzzCase(fuzzCase, rules) === undefined) return true;
    if (!shrinking) {
      shrinking = true;
      found = fuzzCase;
      foundAfterMs ??= elapsed();
    }
    return false;
  });
  for (let batch = 0; elapsed() < options.budgetMs; batch++) {
    if (firstBatch >= 0 && (findings >= FINDINGS_COMPARED || batch > firstBatch + BATCHES_AFTER_FIRST)) break;
    shrinking = false;
    const details = fc.check(property, { seed: deriveSeed(options.seed, batch) | 0, numRuns: options.batch ?? 10 });
    if (!details.failed || !details.counterexample || !found) continue;
    findings++;
    if (firstBatch < 0) firstBatch = batch;
    const candidate = finding(reshrink(property, details.counterexample[0], rules), found, rules, details.numShrinks);
    if (!best || size(candidate) < size(best)) best = candidate;
  }
  return { seed: options.seed, cases, foundAfterMs, elapsedMs: elapsed(), finding: best };
}

/**
 * Alternates fast-check's shrinking with `polish` until neither makes the
 * case smaller (a removed player lets fast-check shrink what is left further).
 */
function reshrink(property: fc.IProperty<[FuzzCase]>, shrunk: FuzzCase, rules: FuzzRules): FuzzCase {
  let current = shrunk;
  for (let round = 0; round < 4; round++) {
    const polished = polish(current, rules);
    const again = fc.check(property, { examples: [[polished]], numRuns: 0 });
    const next = again.failed && again.counterexample ? again.counterexample[0] : polished;
    if (JSON.stringify(next) === JSON.stringify(current)) return next;
    current = next;
  }
  return current;
}

/** How big a finding is, for keeping the smallest: a player counts as much as a second of ticks. */
function size(finding: FuzzFinding): number {
  return finding.ticks + PLAYER_WEIGHT * finding.players;
}

const PLAYER_WEIGHT = 30; // ticks

/** Match seeds `polish` tries: each puts the players on other spawn points. */
const SEEDS_TRIED = 64;

/**
 * What fast-check's shrinking leaves out: it removes players from the front
 * of the list only, so each player is tried without, in turn; small match
 * seeds are tried (other spawn points may fail sooner, or with fewer
 * players); and the case is cut at the tick its invariant broke.
 */
function polish(fuzzCase: FuzzCase, rules: FuzzRules): FuzzCase {
  let best = cutAtFailure(withoutSpareplayers(fuzzCase, rules), rules);
  for (let seed = 0; seed < SEEDS_TRIED; seed++) {
    const candidate = withoutSpareplayers({ ...best, seed }, rules);
    if (caseSize(candidate, rules) < caseSize(best, rules)) best = candidate;
  }
  return cutAtFailure(best, rules);
}

/** The case run only to the tick its invariant broke (another seed that fails later is no smaller). */
function cutAtFailure(fuzzCase: FuzzCase, rules: FuzzRules): FuzzCase {
  const failure = runFuzzCase(fuzzCase, rules);
  return failure?.kind === "invariant" ? { ...fuzzCase, ticks: ticksToFailure(failure) } : fuzzCase;
}

/** The case without each player it still fails without, tried last to first. */
function withoutSpareplayers(fuzzCase: FuzzCase, rules: FuzzRules): FuzzCase {
  let best = fuzzCase;
  for (let i = best.players.length - 1; i >= 0 && best.players.length > 1; i--) {
    const fewer = { ...best, players: best.players.filter((_, j) => j !== i) };
    if (runFuzzCase(fewer, rules)) best = fewer;
  }
  return best;
}

/** A failing case's size as `size` counts it; Infinity when it passes. */
function caseSize(fuzzCase: FuzzCase, rules: FuzzRules): number {
  const failure = runFuzzCase(fuzzCase, rules);
  return failure ? ticksToFailure(failure) + PLAYER_WEIGHT * fuzzCase.players.length : Infinity;
}

function finding(shrunk: FuzzCase, found: FuzzCase, rules: FuzzRules, shrinks: number): FuzzFinding {
  const minimal = polish(shrunk, rules);
  const failure = runFuzzCase(minimal, rules);
  if (!failure) throw new Error("the shrunk case no longer fails: the rules read state outside the world");
  const ticks = failure.kind === "nondeterminism" ? minimal.ticks : ticksToFailure(failure);
  const recorded = new FuzzRun(minimal, rules, { record: true });
  try {
    while (recorded.scenario.tick < ticks) recorded.step();
  } catch {
    // A crash: the recording ends at the tick that threw.
  }
  const foundFailure = runFuzzCase(found, rules);
  return {
    fuzzCase: minimal, failure, description: describeFailure(failure), ticks, players: minimal.players.length,
    foundTicks: foundFailure ? ticksToFailure(foundFailure) : found.ticks, foundPlayers: found.players.length, shrinks,
    replay: recorded.scenario.replay(), scenario: scenarioSource(minimal, rules, failure),
  };
}

/** fast-check's arbitrary for fuzz cases of at most `maxTicks` ticks and `maxPlayers` players. */
export function fuzzCaseArbitrary(maxTicks: number, maxPlayers: number): fc.Arbitrary<FuzzCase> {
  const axis = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(1, -1, 0) },
    { weight: 3, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) },
    { weight: 1, arbitrary: fc.double() },
  );
  const aim = fc.oneof({ weight: 4, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) }, { weight: 1, arbitrary: fc.double() });
  const input = fc.record({ moveX: axis, moveY: axis, aim, fire: fc.boolean() }, { requiredKeys: [] });
  const segment: fc.Arbitrary<InputSegment> = fc.record({
    ticks: fc.integer({ min: 1, max: 60 }),
    input: fc.option(input, { nil: null, freq: 6 }),
  });
  const player: fc.Arbitrary<FuzzPlayer> = fc.record({
    bot: fc.option(fc.constantFrom("easy" as const, "normal" as const, "hard" as const), { nil: null, freq: 2 }),
    joinTick: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: maxTicks - 1 }) }),
    inputs: fc.array(segment, { maxLength: 8 }),
    events: fc.array(fc.record({ tick: fc.integer({ min: 0, max: maxTicks }), kind: fc.constantFrom("drop" as const, "reconnect" as const, "leave" as const) }), { maxLength: 3 }),
  });
  return fc.record({
    seed: fc.nat(),
    map: fc.option(mapSpecArbitrary(), { nil: null, freq: 3 }),
    ticks: fc.integer({ min: 1, max: maxTicks }),
    players: fc.array(player, { minLength: 1, maxLength: maxPlayers }),
  });
}

/**
 * Fuzz maps are laid on a grid of this step, wider than a player: every gap
 * between two walls or a wall and the world's edge is then none or wide
 * enough to pass. A narrower pocket is a map a player can be squeezed into a
 * wall in (test/sim/fuzz.test.ts shows one), which maps must not have.
 */
const MAP_GRID = 40; // u

/** Maps from a corridor to the arena's size, with a few walls anywhere and spawn points anywhere on them. */
function mapSpecArbitrary(): fc.Arbitrary<FuzzMapSpec> {
  const cells = (min: number, max: number) => fc.integer({ min, max }).map((n) => n * MAP_GRID);
  return fc.record({ width: cells(3, 40), height: cells(3, 30) }).chain(({ width, height }) => fc.record({
    width: fc.constant(width),
    height: fc.constant(height),
    walls: fc.array(fc.record({
      x: cells(0, width / MAP_GRID - 1), y: cells(0, height / MAP_GRID - 1), w: cells(1, 8), h: cells(1, 8),
    }), { maxLength: 5 }),
    spawnPoints: fc.array(fc.record({ x: fc.integer({ min: 0, max: width }), y: fc.integer({ min: 0, max: height }) }), { minLength: 1, maxLength: 6 }),
  }));
}

/**
 * A fuzz case written out as a scenario to paste into a test: the same
 * joins, inputs and connection events at the same ticks, run to the tick of
 * the failure, then an assertion that fails until the bug is fixed.
 */
import { fuzzMap, playerId, timeline, ticksToFailure, type FuzzCase, type FuzzFailure, type FuzzRules } from "./fuzzCase.ts";

/** The case as TypeScript source: a Vitest `it(…)` using `scenario` from sim/scenario.ts. */
export function scenarioSource(fuzzCase: FuzzCase, rules: FuzzRules, failure: FuzzFailure): string {
  const map = fuzzCase.map ? fuzzMap(fuzzCase.map) : undefined;
  const options = compact({ seed: fuzzCase.seed, rules: compact({ ...rules, map }), invariants: true });
  const lines = [`const s = scenario(${literal(options)});`];
  const endTick = failure.kind === "nondeterminism" ? fuzzCase.ticks : ticksToFailure(failure);
  let tick = 0;
  const left = new Set<number>();
  for (let at = 0; at < endTick; at++) {
    const calls: string[] = [];
    fuzzCase.players.forEach((player, index) => {
      const id = JSON.stringify(playerId(index));
      if (player.joinTick === at) calls.push(`.join(${id}, ${literal(player.bot ? { bot: player.bot } : { inputs: timeline(player) })})`);
      if (player.joinTick > at || left.has(index)) return;
      for (const event of player.events) {
        if (event.tick !== at) continue;
        calls.push(`.${event.kind}(${id})`);
        if (event.kind === "leave") left.add(index);
      }
    });
    if (calls.length === 0) continue;
    if (at > tick) lines.push(`s.run(${at - tick});`);
    tick = at;
    lines.push(`s${calls.join("")};`);
  }
  if (endTick > tick) lines.push(`s.run(${endTick - tick});`);
  if (failure.kind === "nondeterminism") {
    lines.push(`// Run twice, the same case differs (${failure.divergence.field}, tick ${failure.divergence.tick}): compare s.hash() across two runs.`);
  }
  lines.push("expect(s.violations).toEqual([]);");
  return [`it(${JSON.stringify(`fuzz case: ${describeFailure(failure)}`)}, () => {`, ...lines.map((line) => `  ${line}`), "});"].join("\n");
}

/** A failure in one line. */
export function describeFailure(failure: FuzzFailure): string {
  if (failure.kind === "invariant") return `tick ${failure.violation.tick}: ${failure.violation.what}`;
  if (failure.kind === "crash") return `tick ${failure.tick}: the step threw ${failure.message}`;
  const { tick, field, a, b } = failure.divergence;
  return `two runs of the same case differ at tick ${tick}: ${field} is ${String(a)} in one, ${String(b)} in the other`;
}

/** Drops undefined fields and empty objects, so the printed options say only what matters. */
function compact<T extends object>(value: T): Partial<T> {
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || (typeof field === "object" && field !== null && Object.keys(field).length === 0)) continue;
    kept[key] = field;
  }
  return kept as Partial<T>;
}

/** A value as a TypeScript literal: bare keys where they are identifiers or ticks; NaN, the infinities and −0 as themselves. */
function literal(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  const entries = Object.entries(value).filter(([, field]) => field !== undefined);
  if (entries.length === 0) return "{}";
  return `{ ${entries.map(([key, field]) => `${/^([A-Za-z_$][\w$]*|\d+)$/.test(key) ? key : JSON.stringify(key)}: ${literal(field)}`).join(", ")} }`;
}

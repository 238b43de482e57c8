/**
 * A balance run's figures from its matches: each measure's mean with a 95 %
 * confidence interval over matches, the distributions the report draws, and,
 * for two rule sets played on the same seeds, each measure's change with its
 * interval (matches paired by seed) and a plain sentence.
 */
import type { BotSkillName } from "../../shared/bot.ts";
import { BALANCE_SKILLS, type MatchStats } from "./match.ts";

/** A mean and its 95 % confidence interval (normal approximation over matches). */
export interface Estimate {
  mean: number;
  /** Half the interval's width: the mean is `mean ± margin`. */
  margin: number;
}

/** One measure a balance run reports: how it is named, and its value in one match. */
interface Measure {
  key: string;
  /** As a sentence names it: "time to kill". */
  label: string;
  unit: string;
  /** The value in one match; NaN when the match has none (no kills, no shots). */
  of: (match: MatchStats) => number;
  /** Changes are told in percentage points (a rate), not in per cent of the value. */
  points?: boolean;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The measures, in the report's order. */
export const MEASURES: readonly Measure[] = [
  { key: "killsPerMatch", label: "kills per match", unit: "kills", of: (m) => m.kills },
  { key: "timeToKill", label: "time to kill", unit: "s", of: (m) => (m.timesToKill.length > 0 ? mean(m.timesToKill) : NaN) },
  { key: "spawnKillsPerMatch", label: "spawn kills per match", unit: "kills", of: (m) => m.spawnKills },
  { key: "shotsPerKill", label: "shots per kill", unit: "shots", of: (m) => (m.kills > 0 ? m.shots / m.kills : NaN) },
  { key: "accuracy", label: "accuracy", unit: "%", of: (m) => (m.shots > 0 ? (100 * m.hits) / m.shots : NaN), points: true },
  ...BALANCE_SKILLS.map((skill): Measure => ({
    key: `winRate.${skill}`, label: `${skill} bots' win rate`, unit: "%", of: (m) => (m.winnerSkill === skill ? 100 : 0), points: true,
  })),
];

/** The mean of `values` (NaNs left out) with its 95 % interval. */
export function estimate(values: readonly number[]): Estimate {
  const kept = values.filter((value) => !Number.isNaN(value));
  if (kept.length === 0) return { mean: NaN, margin: NaN };
  const average = mean(kept);
  const variance = kept.length > 1 ? kept.reduce((sum, value) => sum + (value - average) ** 2, 0) / (kept.length - 1) : 0;
  return { mean: average, margin: (1.96 * Math.sqrt(variance)) / Math.sqrt(kept.length) };
}

/** Counts of values in bins of `width` from `from` (the last bin also holds everything beyond). */
export interface Histogram {
  from: number;
  width: number;
  counts: number[];
}

/** A balance run's figures. */
export interface BalanceSummary {
  matches: number;
  measures: Record<string, Estimate>;
  /** Bots of each skill per match (the share a skill would win if skill did not matter). */
  botsBySkill: Record<BotSkillName, number>;
  killsHistogram: Histogram;
  timeToKillHistogram: Histogram;
  /** Deaths per heat map cell over every match, row by row. */
  deathCells: number[];
  heatColumns: number;
}

/** The figures of a run's matches. */
export function summarize(matches: readonly MatchStats[]): BalanceSummary {
  const measures: Record<string, Estimate> = {};
  for (const measure of MEASURES) measures[measure.key] = estimate(matches.map(measure.of));
  const deathCells = new Array<number>(matches[0]?.deathCells.length ?? 0).fill(0);
  for (const match of matches) match.deathCells.forEach((count, cell) => (deathCells[cell] += count));
  return {
    matches: matches.length,
    measures,
    botsBySkill: matches[0]?.botsBySkill ?? { easy: 0, normal: 0, hard: 0 },
    killsHistogram: histogram(matches.map((match) => match.kills)),
    timeToKillHistogram: histogram(matches.flatMap((match) => match.timesToKill)),
    deathCells,
    heatColumns: matches[0]?.heatColumns ?? 0,
  };
}

/** About this many bins from the least value to the 98th percentile; the rest share the last bin. */
const BINS = 24;

function histogram(values: readonly number[]): Histogram {
  if (values.length === 0) return { from: 0, width: 1, counts: [] };
  const sorted = [...values].sort((a, b) => a - b);
  const top = sorted[Math.floor(0.98 * (sorted.length - 1))];
  const width = roundStep((top - sorted[0]) / BINS);
  const from = Math.floor(sorted[0] / width) * width;
  const counts = new Array<number>(Math.floor((top - from) / width) + 1).fill(0);
  for (const value of sorted) counts[Math.min(counts.length - 1, Math.floor((value - from) / width))]++;
  return { from, width, counts };
}

/** A bin width of 1, 2 or 5 times a power of ten, at least `step`. */
function roundStep(step: number): number {
  if (!(step > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(step));
  return [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= step)!;
}

/** One measure's change from rule set A to B. */
export interface Change {
  key: string;
  a: Estimate;
  b: Estimate;
  /** B − A: in per cent of A, or in percentage points for a rate; with its 95 % interval. */
  change: Estimate;
  unit: "%" | "points";
  /** "time to kill rose 18 % ± 4 %", or "… did not change measurably (+1 % ± 3 %)". */
  sentence: string;
}

/**
 * Each measure's change from `a` to `b`, two runs of the same seeds: the
 * matches are paired by seed, so the interval is that of the mean of the
 * per-match differences (narrower than comparing two independent means).
 */
export function compareRuns(a: readonly MatchStats[], b: readonly MatchStats[]): Change[] {
  const bySeed = new Map(b.map((match) => [match.seed, match]));
  const pairs = a.flatMap((match) => (bySeed.has(match.seed) ? [[match, bySeed.get(match.seed)!] as const] : []));
  return MEASURES.map((measure) => {
    const before = estimate(pairs.map(([one]) => measure.of(one)));
    const after = estimate(pairs.map(([, other]) => measure.of(other)));
    const difference = estimate(pairs.map(([one, other]) => measure.of(other) - measure.of(one)));
    const scale = measure.points ? 1 : 100 / Math.abs(before.mean);
    const change = { mean: difference.mean * scale, margin: difference.margin * scale };
    const unit = measure.points ? "points" : "%";
    return { key: measure.key, a: before, b: after, change, unit, sentence: sentence(measure.label, change, unit) };
  });
}

/** A change in words, with its interval; "did not change measurably" when the interval spans zero. */
export function sentence(label: string, change: Estimate, unit: "%" | "points"): string {
  const amount = (value: number) => `${value.toFixed(Math.abs(value) < 10 ? 1 : 0)}${unit === "%" ? " %" : " points"}`;
  if (!Number.isFinite(change.mean)) return `${label}: not measured in both runs`;
  if (Math.abs(change.mean) <= change.margin) {
    return `${label} did not change measurably (${change.mean >= 0 ? "+" : "−"}${amount(Math.abs(change.mean))} ± ${amount(change.margin)})`;
  }
  return `${label} ${change.mean > 0 ? "rose" : "fell"} ${amount(Math.abs(change.mean))} ± ${amount(change.margin)}`;
}

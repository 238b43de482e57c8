/**
 * A balance run's matches played in parallel worker threads (tinypool), with
 * a progress bar: each match is one task on its own seed, so a run of one
 * rule set and a run of another on the same seeds can be compared match by
 * match.
 */
import { Tinypool } from "tinypool";
import type { BalanceMatchOptions, MatchStats } from "../../sim/balance/match.ts";
import { deriveSeed } from "../../shared/rng.ts";
import { progress } from "./report.ts";

/** What every match of a run is played with, besides its seed. */
export type RunSettings = Omit<BalanceMatchOptions, "seed">;

/** The seed of the run's `index`-th match. */
export function matchSeed(runSeed: number, index: number): number {
  return deriveSeed(runSeed, index);
}

/**
 * Plays `matches` matches under each of `ruleSets` (the same seeds for each)
 * on `workers` threads; returns every rule set's matches in seed order.
 */
export async function playMatches(
  runSeed: number, matches: number, ruleSets: readonly RunSettings[], workers: number,
): Promise<MatchStats[][]> {
  const pool = new Tinypool({
    filename: new URL("./balanceWorker.ts", import.meta.url).href,
    minThreads: workers, maxThreads: workers, isolateWorkers: false,
  });
  const total = matches * ruleSets.length;
  const show = progress();
  const started = performance.now();
  let done = 0;
  try {
    return await Promise.all(ruleSets.map((settings) => Promise.all(Array.from({ length: matches }, async (_, index) => {
      const stats = (await pool.run({ ...settings, seed: matchSeed(runSeed, index) })) as MatchStats;
      done++;
      show(progressLine(done, total, (performance.now() - started) / 1000));
      return stats;
    }))));
  } finally {
    if (process.stderr.isTTY) process.stderr.write("\n");
    await pool.destroy();
  }
}

function progressLine(done: number, total: number, seconds: number): string {
  const width = 30;
  const filled = Math.round((width * done) / total);
  const left = done > 0 ? (seconds * (total - done)) / done : 0;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} matches  ${seconds.toFixed(1)} s  ~${left.toFixed(0)} s left`;
}

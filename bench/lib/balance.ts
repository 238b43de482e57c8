/**
 * A balance run (`npm run sim -- --matches N [--workers N] [--set rule=value] [--compare]`):
 * N independent matches of bots of mixed skills, in worker threads, under the
 * rules set (or, with `--compare`, under the rules as shipped and the rules
 * set, on the same seeds), summed up in a report: JSON and an HTML page with
 * pictures under test-output/balance/, whose path it prints. The wall time
 * and the figures also go to bench/results/sim-balance.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { ARENA_MAP } from "../../shared/map.ts";
import type { Tuning } from "../../shared/rules.ts";
import { BALANCE_SKILLS } from "../../sim/balance/match.ts";
import { renderReport } from "../../sim/balance/report.ts";
import { compareRuns, summarize, type Change } from "../../sim/balance/summary.ts";
import { playMatches, type RunSettings } from "./balanceRun.ts";
import { columnTable, writeResult } from "./report.ts";
import { describeTuning } from "./ruleFlags.ts";

const REPORT_DIR = new URL("../../test-output/balance/", import.meta.url).pathname;

/** What a balance run plays. */
export interface BalanceOptions {
  seed: number;
  matches: number;
  bots: number;
  matchSeconds: number;
  workers: number;
  tuning: Partial<Tuning>;
  compare: boolean;
}

/** Plays the run, prints its figures and writes the report; returns the report's path. */
export async function runBalance(options: BalanceOptions): Promise<string> {
  const settings: RunSettings = { bots: options.bots, matchSeconds: options.matchSeconds, tuning: options.tuning };
  const ruleSets = options.compare ? [{ ...settings, tuning: {} }, settings] : [settings];
  const names = ruleSets.map((set) => describeTuning(set.tuning ?? {}));
  console.log(`Balance run: ${options.matches} matches of ${options.bots} bots (${BALANCE_SKILLS.join(", ")} in turn), `
    + `${options.matchSeconds} s each, ${names.join(" against ")}, ${options.workers} worker threads, seed ${options.seed}`);
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const cpuBefore = process.cpuUsage();
  const runs = await playMatches(options.seed, options.matches, ruleSets, options.workers);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const summaries = runs.map(summarize);
  const changes = options.compare ? compareRuns(runs[0], runs[1]) : undefined;

  printFigures(names, summaries.map((summary) => summary.measures), changes);
  const played = options.matches * ruleSets.length;
  const simulated = played * options.matchSeconds;
  console.log(`\n${played} matches in ${seconds.toFixed(1)} s (${(simulated / seconds).toFixed(0)}× real time on ${options.workers} threads); `
    + `${cpuSeconds.toFixed(1)} CPU seconds, ${((1000 * cpuSeconds) / played).toFixed(0)} ms a match`);

  const name = `balance-${options.seed}-${options.matches}x${options.bots}${options.compare ? "-compare" : ""}`;
  mkdirSync(REPORT_DIR, { recursive: true });
  const html = renderReport({
    title: `Balance: ${names.join(" against ")}`,
    facts: [
      `${options.matches} matches of ${options.bots} bots, ${options.matchSeconds} s each, seeds from ${options.seed}${options.compare ? ", the same seeds for both rule sets" : ""}`,
      `bots play ${BALANCE_SKILLS.join(", ")} in turn; intervals are 95 % over matches${options.compare ? " (changes: over the per-match differences)" : ""}`,
      `${played} matches in ${seconds.toFixed(1)} s on ${options.workers} worker threads`,
    ],
    map: ARENA_MAP,
    sides: names.map((rules, i) => ({ rules, summary: summaries[i] })),
    changes,
  });
  const htmlPath = resolve(REPORT_DIR, `${name}.html`);
  writeFileSync(htmlPath, html);
  const figures = { options, seconds, matchesPlayed: played, ruleSets: names, summaries, changes };
  writeFileSync(resolve(REPORT_DIR, `${name}.json`), JSON.stringify(figures, null, 1) + "\n");
  writeResult("sim-balance", {
    matches: played, bots: options.bots, matchSeconds: options.matchSeconds, workers: options.workers, seconds, cpuSeconds,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    realTime: simulated / seconds, ruleSets: names, measures: summaries.map((summary) => summary.measures),
  });
  console.log(`report: ${htmlPath} (and ${name}.json beside it)`);
  return htmlPath;
}

function printFigures(names: readonly string[], measures: ReadonlyArray<Record<string, { mean: number; margin: number }>>, changes?: readonly Change[]): void {
  const keys = Object.keys(measures[0]);
  const show = (value: { mean: number; margin: number }) => (Number.isNaN(value.mean) ? "–" : `${value.mean.toFixed(2)} ± ${value.margin.toFixed(2)}`);
  console.log(`\n${columnTable(["measure", ...names], keys.map((key) => [key, ...measures.map((set) => show(set[key]))]))}`);
  if (changes) {
    console.log("\nWhat changed:");
    for (const change of changes) console.log(`  ${change.sentence}`);
  }
}

/**
 * The fuzzer (`npm run fuzz -- [--seconds S] [--seed N] [--plant FAULT] [--set rule=value]`):
 * random but valid cases through the real step, every invariant checked every
 * tick (sim/fuzz/fuzz.ts). Searches for `--seconds` (20); on a failure it
 * shrinks the case to a minimal one, writes its replay to
 * test-output/replays/fuzz-<seed>.replay (`npm run replay -- fuzz-<seed>.replay`,
 * or in the browser `?replay=`), prints it as a scenario to paste into a test
 * and exits 1. Exits 0 when the budget is spent without a failure.
 *
 *   --seed N           the cases drawn (default: from the clock, printed so that the run can be repeated)
 *   --max-ticks N      the longest case (300)
 *   --max-players N    the most players in a case (6)
 *   --plant FAULT      wallCheckOff | shieldHeals | hiddenState: a bug planted on purpose, to watch the fuzzer find it
 *   --set rule=value   fuzz other rules (shared/rules.ts, TUNING)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fuzz } from "../sim/fuzz/fuzz.ts";
import { table, toolFlags, usageError } from "./lib/report.ts";
import { describeTuning, toolRuleFlags } from "./lib/ruleFlags.ts";

const REPLAY_DIR = new URL("../test-output/replays/", import.meta.url).pathname;

const ruleFlags = toolRuleFlags("fuzz", process.argv.slice(2));
const { flags, positional } = toolFlags("fuzz", ruleFlags.rest, { seconds: 20, seed: -1, "max-ticks": 300, "max-players": 6 });
if (positional.length > 0) usageError("fuzz", `unexpected argument ${JSON.stringify(positional[0])}`);
if (!(flags.seconds > 0)) usageError("fuzz", "--seconds must be more than 0");
if (!Number.isInteger(flags["max-ticks"]) || flags["max-ticks"] < 1) usageError("fuzz", "--max-ticks must be a whole number of ticks");
if (!Number.isInteger(flags["max-players"]) || flags["max-players"] < 1) usageError("fuzz", "--max-players must be a whole number of players");
const seed = flags.seed >= 0 ? flags.seed : Date.now() % 1_000_000;
const planted = Object.keys(ruleFlags.faults);

console.log(`Fuzzing for ${flags.seconds} s, seed ${seed} (npm run fuzz -- --seed ${seed} draws the same cases), ${describeTuning(ruleFlags.tuning)}`
  + `${planted.length > 0 ? `, planted: ${planted.join(", ")}` : ""}`);
const report = fuzz({
  seed, budgetMs: flags.seconds * 1000, now: () => performance.now(),
  rules: { tuning: ruleFlags.tuning, faults: ruleFlags.faults },
  maxTicks: flags["max-ticks"], maxPlayers: flags["max-players"],
});
const finding = report.finding;
if (!finding) {
  console.log(`\nOK: ${report.cases} cases, every invariant held at every tick and every case played the same twice (${(report.elapsedMs / 1000).toFixed(1)} s)`);
  process.exit(0);
}

const path = resolve(REPLAY_DIR, `fuzz-${seed}.replay`);
mkdirSync(REPLAY_DIR, { recursive: true });
writeFileSync(path, finding.replay);
console.log(`\nFAILURE: ${finding.description}\n`);
console.log(table([
  ["found after", `${report.cases} cases, ${((report.foundAfterMs ?? 0) / 1000).toFixed(2)} s`],
  ["as found", `${finding.foundTicks} ticks, ${plural(finding.foundPlayers, "player")}`],
  ["shrunk to", `${finding.ticks} ticks, ${plural(finding.players, "player")} (${finding.shrinks} smaller failing cases on the way)`],
  ["replay", `${path} (npm run replay -- fuzz-${seed}.replay; in the browser, ?replay= with the file served)`],
  ["time in all", `${(report.elapsedMs / 1000).toFixed(2)} s`],
]));
console.log(`\nAs a scenario (sim/scenario.ts) to paste into a test:\n\n${finding.scenario}\n`);
process.exit(1);

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * Headless simulation (`npm run sim -- --bots 16 --minutes 10 --seed 42`):
 * bots play matches through the shared rules, the very code a server room
 * steps, on a virtual clock as fast as the CPU allows. Prints a progress line,
 * then a summary with the final state hash and the speed as a multiple of real
 * time.
 *
 * A balance run (`npm run sim -- --matches 1000 --workers 2`): with
 * `--matches` and no `--record`, or with `--workers`, `--set` or `--compare`,
 * it plays that many independent matches in worker threads and writes a
 * report (bench/lib/balance.ts), naming its path.
 *
 *   --bots N            bot players (16)
 *   --minutes M         simulated minutes (10; unlimited when only --matches is given)
 *   --matches N         stop once N matches have ended (0 = no limit); a balance run's matches
 *   --workers N         a balance run's worker threads (the machine's cores)
 *   --set rule=value    a balance run under changed rules (repeatable; shared/rules.ts, TUNING)
 *   --compare           a balance run of the rules as shipped against the rules set, on the same seeds
 *   --seed S            match seed (42)
 *   --skill NAME        easy | normal | hard (normal; a balance run mixes all three)
 *   --tick-hz, --match-seconds, --scoreboard-seconds   the host-settable rules
 *   --record FILE       write a replay (`npm run replay -- FILE`); a bare file
 *                       name goes into test-output/replays/ (git-ignored)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { BOT_SKILLS, type BotSkillName } from "../shared/bot.ts";
import { DEFAULT_TICK_HZ, MATCH_SECONDS, SCOREBOARD_SECONDS } from "../shared/constants.ts";
import { runSimulation, type SimulationSummary } from "../shared/simulation.ts";
import { availableParallelism } from "node:os";
import { runBalance } from "./lib/balance.ts";
import { progress, table, toolFlags, usageError } from "./lib/report.ts";
import { toolRuleFlags } from "./lib/ruleFlags.ts";

const REPLAY_DIR = new URL("../test-output/replays/", import.meta.url).pathname;

const ruleFlags = toolRuleFlags("sim", process.argv.slice(2));
const argv = ruleFlags.rest;
const { flags, positional } = toolFlags("sim", argv, {
  bots: 16, minutes: 10, matches: 0, seed: 42, skill: "normal", record: "", workers: 0,
  "tick-hz": DEFAULT_TICK_HZ, "match-seconds": MATCH_SECONDS, "scoreboard-seconds": SCOREBOARD_SECONDS,
});
if (positional.length > 0) usageError("sim", `unexpected argument ${JSON.stringify(positional[0])}`);
if (!Number.isInteger(flags.bots) || flags.bots < 1 || flags.bots > 64) usageError("sim", "--bots must be a whole number from 1 to 64");
if (!(flags.skill in BOT_SKILLS)) usageError("sim", `--skill must be one of ${Object.keys(BOT_SKILLS).join(", ")}`);
const minutes = flags.matches > 0 && !argv.includes("--minutes") ? undefined : flags.minutes;
const balance = (flags.matches > 0 && flags.record === "") || flags.workers > 0 || ruleFlags.compare || Object.keys(ruleFlags.tuning).length > 0;
if (balance) {
  if (!(flags.matches > 0)) usageError("sim", "a balance run (--workers, --set, --compare) needs --matches N");
  if (flags.record !== "") usageError("sim", "a balance run records no replay: leave out --record");
  if (!Number.isInteger(flags.workers) || flags.workers < 0) usageError("sim", "--workers must be a whole number");
  await runBalance({
    seed: flags.seed, matches: flags.matches, bots: flags.bots, matchSeconds: flags["match-seconds"],
    workers: flags.workers || availableParallelism(), tuning: ruleFlags.tuning, compare: ruleFlags.compare,
  });
  process.exit(0);
}

const show = progress();
const started = performance.now();
const summary = runSimulation({
  seed: flags.seed,
  bots: flags.bots,
  minutes,
  matches: flags.matches > 0 ? flags.matches : undefined,
  rules: { tickHz: flags["tick-hz"], matchSeconds: flags["match-seconds"], scoreboardSeconds: flags["scoreboard-seconds"] },
  skill: BOT_SKILLS[flags.skill as BotSkillName],
  record: flags.record !== "",
  progressEveryTicks: flags["tick-hz"] * 5,
  onProgress: ({ tick, plannedTicks, kills, matchesPlayed }) => {
    const simulated = tick / flags["tick-hz"];
    const of = Number.isFinite(plannedTicks) ? `/${(plannedTicks / flags["tick-hz"] / 60).toFixed(1)}` : "";
    const speed = (simulated * 1000) / (performance.now() - started);
    show(`simulated ${(simulated / 60).toFixed(1)}${of} min  matches ${matchesPlayed}  kills ${kills}  ${speed.toFixed(0)}× real time`);
  },
});
const wallSeconds = (performance.now() - started) / 1000;
process.stderr.write(process.stderr.isTTY ? "\n" : "");

console.log(`\nSimulation: ${summary.bots} bots, seed ${summary.seed}, ${flags.skill} skill`);
console.log(table(summaryRows(summary, wallSeconds)));
if (summary.matches.length > 0) {
  console.log("\nMatches");
  console.log(table(summary.matches.map((match) => {
    const [first, second] = match.standings;
    return [`match ${match.matchNumber}`, `${match.kills} kills; won by ${first.name} (${first.score})${second ? `, then ${second.name} (${second.score})` : ""}`];
  })));
}
console.log("\nMost kills over the run");
console.log(table(summary.players.slice(0, 5).map((player) => [player.name, `${player.kills} kills, ${player.deaths} deaths`])));
if (summary.replay) {
  const path = flags.record.includes("/") ? resolve(flags.record) : resolve(REPLAY_DIR, flags.record);
  const bytes = summary.replay;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  const perPlayerTick = bytes.length / (summary.ticks * summary.bots);
  console.log(`\nreplay: ${path} (${(bytes.length / 1024).toFixed(1)} kB, ${perPlayerTick.toFixed(2)} bytes per player-tick)`);
}

function summaryRows(result: SimulationSummary, seconds: number): [string, string | number][] {
  const simulatedMinutes = result.simulatedSeconds / 60;
  const inProgress = result.ticks > 0 && result.matches.length === 0 ? " (first still running)" : "";
  return [
    ["simulated", `${simulatedMinutes.toFixed(2)} min (${result.ticks} ticks at ${result.rules.tickHz} Hz)`],
    ["matches ended", `${result.matchesPlayed}${inProgress}`],
    ["kills", `${result.kills} (${(result.kills / Math.max(simulatedMinutes, 1e-9)).toFixed(1)} per simulated minute)`],
    ["top scores (current match)", topScores(result)],
    ["final state hash", result.finalHash],
    ["wall time", `${seconds.toFixed(2)} s`],
    ["speed", `${(result.simulatedSeconds / seconds).toFixed(0)}× real time`],
  ];
}

function topScores(result: SimulationSummary): string {
  return [...result.players]
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map((player) => `${player.name} ${player.score}`)
    .join(", ");
}

/**
 * Replays a recording (`npm run replay -- FILE [--step N] [--set rule=value]`): a simulation's,
 * a server room's match, a scenario's or a fuzz case's, through the shared
 * `stepWorld`, and checks it against what was recorded. Prints OK and exits 0,
 * or MISMATCH and exits 1, naming where it first differs from the recording:
 * the tick, the field and both values when the recording keeps snapshots
 * (scenarios and fuzz cases keep one per tick), else the first checkpoint
 * whose hash differs. It also re-runs the recording a second time (the same
 * inputs must give the same game), checks every invariant on the way (a fuzz
 * case's broken one shows again here, and the exit status is 1), and with `--set` names the first tick
 * and field where those rules part from the recorded ones.
 *
 * With `--step N` it prints the state every N ticks. A bare FILE that does
 * not exist is looked for in test-output/replays/, where `npm run sim --
 * --record` and `npm run fuzz` put theirs.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { WorldState } from "../shared/worldState.ts";
import { decodeReplay } from "../shared/replayDecoder.ts";
import type { Replay } from "../shared/replayFormat.ts";
import { describeRecording } from "../shared/replayRun.ts";
import { describeDivergence } from "../sim/divergence.ts";
import { checkReplay, compareRules, rerunTwice, type ReplayCheck } from "../sim/replayCheck.ts";
import { table, toolFlags, usageError } from "./lib/report.ts";
import { describeTuning, toolRuleFlags } from "./lib/ruleFlags.ts";

const REPLAY_DIR = new URL("../test-output/replays/", import.meta.url).pathname;

const ruleFlags = toolRuleFlags("replay", process.argv.slice(2));
const { flags, positional } = toolFlags("replay", ruleFlags.rest, { step: 0 });
if (positional.length !== 1) usageError("replay", "usage: npm run replay -- FILE [--step N] [--set rule=value]");
if (!Number.isInteger(flags.step) || flags.step < 0) usageError("replay", "--step must be a whole number of ticks");

const path = [resolve(positional[0]), resolve(REPLAY_DIR, positional[0])].find((candidate) => existsSync(candidate));
if (!path) usageError("replay", `no such file: ${positional[0]}`);
let replay: Replay;
try {
  replay = decodeReplay(readFileSync(path));
} catch (error) {
  usageError("replay", `${path}: ${(error as Error).message}`);
}
const { header } = replay;
const players = new Set([...header.start.players.map(([id]) => id), ...replay.ticks.flatMap((t) => t.changes.map((c) => c.id))]);

console.log(`Replay ${path}`);
console.log(table([
  ["recorded by", describeRecording(replay)],
  ["seed", header.seed],
  ["players", `${players.size} over the recording (people and bots)`],
  ["ticks", `${header.ticks} from tick ${header.start.tick} (${(header.ticks / header.rules.tickHz / 60).toFixed(2)} min at ${header.rules.tickHz} Hz)`],
  ["match / scoreboard", `${header.rules.matchSeconds} s / ${header.rules.scoreboardSeconds} s`],
  ["rules", `${describeTuning(header.rules.tuning ?? {})}${header.rules.map ? ", its own map" : ""}${header.rules.faults ? `, planted: ${Object.keys(header.rules.faults).join(", ")}` : ""}`],
]));

const started = performance.now();
const check = checkReplay(replay, flags.step > 0 ? printEvery(flags.step) : undefined);
const seconds = (performance.now() - started) / 1000;
const twice = rerunTwice(replay);

console.log(`\nfinal state hash ${check.finalHash}, recorded ${header.finalHash}: ${check.matches ? "OK" : "MISMATCH"}`);
for (const line of explain(check)) console.log(line);
console.log(twice ? `a second re-run differs (the rules read state outside the world): ${describeDivergence(twice, "the first", "the second")}` : "a second re-run agrees with the first at every tick");
if (check.violations.length > 0) {
  console.log(`\ninvariants broken during the re-run (the first ${check.violations.length}):`);
  for (const { tick, what } of check.violations) console.log(`  tick ${tick}: ${what}`);
} else console.log("every invariant held at every tick");
if (Object.keys(ruleFlags.tuning).length > 0) {
  const parted = compareRules(replay, { tuning: { ...header.rules.tuning, ...ruleFlags.tuning } });
  console.log(`\nwith ${describeTuning(ruleFlags.tuning)}: ${parted ? `first difference at ${describeDivergence(parted, "the recorded rules", "these")}` : "the same game to the end"}`);
}
console.log(`replayed in ${seconds.toFixed(2)} s (${(header.ticks / header.rules.tickHz / seconds).toFixed(0)}× real time)`);
process.exit(check.matches && !twice && check.violations.length === 0 ? 0 : 1);

function explain(result: ReplayCheck): string[] {
  const lines: string[] = [];
  if (result.error) lines.push(`the re-run stopped at tick ${header.start.tick + result.ticks}: ${result.error}`);
  const divergence = result.divergence;
  if (!divergence) return lines;
  const every = header.checkpoints.everyTicks;
  if (divergence.field !== undefined) {
    const where = every === 1 ? "first difference from the recording" : `first checkpoint that differs (every ${every} ticks; tick ${divergence.lastAgreeingTick} agreed)`;
    lines.push(`${where}: ${describeDivergence({ tick: divergence.tick, field: divergence.field, a: divergence.recorded, b: divergence.replayed }, "the recording", "the re-run")}`);
  } else {
    lines.push(`first checkpoint that differs: tick ${divergence.tick}, after tick ${divergence.lastAgreeingTick} agreed `
      + `(checkpoints every ${header.checkpoints.everyTicks} ticks; this recording keeps hashes only, so the field cannot be named)`);
  }
  return lines;
}

function printEvery(step: number): (world: WorldState) => void {
  return (world) => {
    if (world.tick % step !== 0) return;
    console.log(`\ntick ${world.tick}  ${world.phase}  match ${world.matchNumber}  ${world.timeLeft} s left  ${world.projectiles.size} projectiles`);
    console.log(table([...world.players].map(([id, player]) => [
      `${id} ${player.name}`,
      `(${player.x.toFixed(1).padStart(6)}, ${player.y.toFixed(1).padStart(6)})  hp ${String(player.hp).padStart(3)}  `
        + `score ${String(player.score).padStart(2)}${player.alive ? "" : "  dead"}`,
    ])));
  };
}

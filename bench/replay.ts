/**
 * Replays a recorded simulation or a server room's match (`npm run replay -- FILE [--step N]`) through
 * the shared `stepWorld` and checks that it ends in the recorded state hash:
 * prints OK and exits 0, or MISMATCH (with the first diverging checkpoint) and
 * exits 1. With `--step N` it prints the state every N ticks: tick, phase and
 * each player's position, hp and score. A bare FILE that does not exist is
 * looked for in test-output/replays/, where `npm run sim -- --record` puts it.
 * A server's recordings (REPLAY_DIR) start from the world as it stood at the
 * match's start and end with the hash the server logged; a simulation's start
 * at its tick 0.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { WorldState } from "../shared/worldState.ts";
import { decodeReplay } from "../shared/replay.ts";
import { describeRecording, rerunReplay } from "../shared/replayRun.ts";
import { table, toolFlags, usageError } from "./lib/report.ts";

const REPLAY_DIR = new URL("../test-output/replays/", import.meta.url).pathname;

const { flags, positional } = toolFlags("replay", process.argv.slice(2), { step: 0 });
if (positional.length !== 1) usageError("replay", "usage: npm run replay -- FILE [--step N]");
if (!Number.isInteger(flags.step) || flags.step < 0) usageError("replay", "--step must be a whole number of ticks");

const path = [resolve(positional[0]), resolve(REPLAY_DIR, positional[0])].find((candidate) => existsSync(candidate));
if (!path) usageError("replay", `no such file: ${positional[0]}`);
const replayed = (() => {
  try {
    const replay = decodeReplay(readFileSync(path));
    const { header } = replay;
    const players = new Set([...header.start.players.map(([id]) => id), ...replay.ticks.flatMap((t) => t.changes.map((c) => c.id))]);
    const afterStep = flags.step > 0 ? printEvery(flags.step) : undefined;
    return {
      header,
      rows: [
        ["recorded by", describeRecording(replay)],
        ["seed", header.seed],
        ["players", `${players.size} over the recording (people and bots)`],
        ["ticks", `${header.ticks} from tick ${header.start.tick} (${(header.ticks / header.rules.tickHz / 60).toFixed(2)} min at ${header.rules.tickHz} Hz)`],
        ["match / scoreboard", `${header.rules.matchSeconds} s / ${header.rules.scoreboardSeconds} s`],
      ] as Array<[string, string | number]>,
      run: () => rerunReplay(replay, afterStep),
    };
  } catch (error) {
    return usageError("replay", `${path}: ${(error as Error).message}`);
  }
})();
const { header } = replayed;

console.log(`Replay ${path}`);
console.log(table(replayed.rows));

const started = performance.now();
let outcome: ReturnType<typeof replayed.run>;
try {
  outcome = replayed.run();
} catch (error) {
  // A replay that asks lag compensation for more answers than were recorded has already diverged.
  console.log(`\nMISMATCH: ${(error as Error).message}`);
  process.exit(1);
}
const seconds = (performance.now() - started) / 1000;

console.log(`\nfinal state hash ${outcome.finalHash}, recorded ${header.finalHash}: ${outcome.matches ? "OK" : "MISMATCH"}`);
if (outcome.firstMismatchTick !== undefined) {
  console.log(`first diverging checkpoint: tick ${outcome.firstMismatchTick} (checkpoints every ${header.checkpoints.everyTicks} ticks)`);
}
console.log(`replayed in ${seconds.toFixed(2)} s (${(header.ticks / header.rules.tickHz / seconds).toFixed(0)}× real time)`);
process.exit(outcome.matches ? 0 : 1);

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

/**
 * Replays a recorded simulation or a server room's match (`npm run replay -- FILE [--step N]`) through
 * the shared `stepWorld` and checks that it ends in the recorded state hash:
 * prints OK and exits 0, or MISMATCH (with the first diverging checkpoint) and
 * exits 1. With `--step N` it prints the state every N ticks: tick, phase and
 * each player's position, hp and score. A bare FILE that does not exist is
 * looked for in test-output/replays/, where `npm run sim -- --record` puts it.
 * A server's recordings (REPLAY_DIR, version 2 files) start from the world as
 * it stood at the match's start and end with the hash the server logged.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { WorldState } from "../shared/worldState.ts";
import { decodeReplay, readReplayHeaderLine } from "../shared/replay.ts";
import { decodeRoomReplay, replayRoom, ROOM_REPLAY_VERSION } from "../shared/roomReplay.ts";
import { replaySimulation } from "../shared/simulation.ts";
import { table, toolFlags, usageError } from "./lib/report.ts";

const REPLAY_DIR = new URL("../test-output/replays/", import.meta.url).pathname;

const { flags, positional } = toolFlags("replay", process.argv.slice(2), { step: 0 });
if (positional.length !== 1) usageError("replay", "usage: npm run replay -- FILE [--step N]");
if (!Number.isInteger(flags.step) || flags.step < 0) usageError("replay", "--step must be a whole number of ticks");

const path = [resolve(positional[0]), resolve(REPLAY_DIR, positional[0])].find((candidate) => existsSync(candidate));
if (!path) usageError("replay", `no such file: ${positional[0]}`);
const replayed = (() => {
  try {
    const bytes = readFileSync(path);
    const { header } = readReplayHeaderLine(bytes);
    const afterStep = flags.step > 0 ? printEvery(flags.step) : undefined;
    if ((header as { version?: number }).version === ROOM_REPLAY_VERSION) {
      const replay = decodeRoomReplay(bytes);
      const { header: room } = replay;
      const players = new Set([...room.start.players.map(([id]) => id), ...replay.ticks.flatMap((t) => t.changes.map((c) => c.id))]);
      return {
        header: room,
        rows: [
          ["recorded by", `room ${room.roomId}, match ${room.matchNumber}${room.complete ? "" : " (the room closed before its end)"}`],
          ["seed", room.seed],
          ["players", `${players.size} over the match (people and bots)`],
          ["ticks", `${room.ticks} from tick ${room.start.tick} (${(room.ticks / room.rules.tickHz / 60).toFixed(2)} min at ${room.rules.tickHz} Hz)`],
        ] as Array<[string, string | number]>,
        run: () => replayRoom(replay, afterStep),
      };
    }
    const replay = decodeReplay(bytes);
    const { header: sim } = replay;
    return {
      header: sim,
      rows: [
        ["seed", sim.seed],
        ["players", sim.players.length],
        ["ticks", `${sim.ticks} (${(sim.ticks / sim.rules.tickHz / 60).toFixed(2)} simulated min at ${sim.rules.tickHz} Hz)`],
        ["match / scoreboard", `${sim.rules.matchSeconds} s / ${sim.rules.scoreboardSeconds} s`],
      ] as Array<[string, string | number]>,
      run: () => replaySimulation(replay, afterStep ? { afterStep } : undefined),
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
  // A room replay that asks lag compensation for more answers than were recorded has already diverged.
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

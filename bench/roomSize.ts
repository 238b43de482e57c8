/**
 * `npm run bench -- --room-size 16,32,64,100`: what a client of a large room
 * costs as the room grows, against a client of the 16-player arena, in one
 * run. Every room is filled with network bots (the shared bot brain, one input
 * a tick, a desktop's 1600 × 1200 view) and its server measured in a process
 * of its own: the room's tick (the server's histogram), server CPU, bytes and
 * memory per client, with interest management and with `LARGE_INTEREST=off`.
 * Prints a table and the goals; writes bench/results/room-size.json and the
 * chart bench/results/room-size.svg. See bench/lib/roomSize.ts.
 *
 *   --room-size LIST  players in each large room measured (16,32,64,100)
 *   --seconds S       measured seconds per room (10)
 *   --warmup S        seconds of play before measuring (5; V8 is still optimising the server's hot code then,
 *                     which counts as the server's CPU: a longer warm-up lowers the figures, most for small rooms)
 *   --transport T     websocket (the default) or datagrams (every bot's unreliable frames on a DataChannel)
 *   --seed S          the bots' randomness and the match seed (1)
 */
import "../testkit/sdkOverWs.ts";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { DEFAULT_TICK_HZ } from "../shared/constants.ts";
import { LARGE_MAX_PLAYERS } from "../shared/largeMode.ts";
import { pinClientsLeavingCpu0 } from "../testkit/serverProcess.ts";
import { renderChart } from "./lib/chart.ts";
import { columnTable, progress, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { runRoomSizes } from "./lib/roomSize.ts";
import { roomSizeChart } from "./lib/roomSizeChart.ts";
import { goalText, ROOM_SIZE_HEADER, roomSizeGoals, roomSizeRows } from "./lib/roomSizeFigures.ts";

const TOOL = "bench --room-size";
const ARENA_PLAYERS = 16;
const { flags, positional } = toolFlags(TOOL, process.argv.slice(2), { "room-size": "16,32,64,100", seconds: 10, warmup: 5, transport: "websocket", seed: 1 });
if (positional.length > 0) usageError(TOOL, `unexpected argument ${JSON.stringify(positional[0])}`);
const sizes = flags["room-size"].split(",").map(Number);
if (sizes.some((size) => !Number.isInteger(size) || size < 2 || size > LARGE_MAX_PLAYERS)) usageError(TOOL, `--room-size takes whole numbers from 2 to ${LARGE_MAX_PLAYERS}, comma-separated`);
const transport = flags.transport;
if (transport !== "websocket" && transport !== "datagrams") usageError(TOOL, "--transport takes websocket or datagrams");
if (!(flags.seconds > 0) || !(flags.warmup >= 0)) usageError(TOOL, "--seconds must be above 0 and --warmup at least 0");

const say = (line: string) => process.stderr.write(`${line}\n`);
const loadBefore = loadavg()[0];
const serverCpus = pinClientsLeavingCpu0();
const pinning = serverCpus !== undefined
  ? "servers pinned to CPU 0 and the bots to CPU 1 with taskset"
  : "not pinned (taskset missing or fewer than 2 cores): servers and bots share the cores";
say(`${TOOL}: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), ${pinning}; load average ${loadBefore.toFixed(2)}`);

const results = await runRoomSizes({
  sizes, arenaPlayers: ARENA_PLAYERS, tickHz: DEFAULT_TICK_HZ, warmUpSeconds: flags.warmup, seconds: flags.seconds, seed: flags.seed,
  serverCpus, transport, onProgress: progress(),
});
process.stderr.write("\n");
const loadAfter = loadavg()[0];
const runs = [results.arena, ...results.large];
const goals = roomSizeGoals(results.arena, results.large);

console.log(`\nPlayers in one room: network bots, ${DEFAULT_TICK_HZ} Hz, ${flags.seconds} s measured per room after ${flags.warmup} s of play, ${flags.transport}`);
console.log(columnTable(ROOM_SIZE_HEADER, roomSizeRows(runs)));
console.log("   tick: the server's own histogram of a room's whole tick (the fixed step with its state writes and views, then the patches encoded and");
console.log("   handed to the sockets), estimated within its buckets (…, 2.5, 4, 5, 10, 25, 50 ms); server CPU per tick (the whole process) counts the rest.");
const saturatedBots = runs.filter((run) => run.clientCoreShare >= 0.85);
if (saturatedBots.length > 0) {
  console.log(`   the bots' core was saturated in: ${saturatedBots.map((run) => `${run.players}${run.interest ? "" : " (interest off)"}`).join(", ")}: their figures may be floors`);
}
console.log("\nGoals, the largest room with interest management against the 16-player arena of this run:");
for (const goal of goals) console.log(`   ${goalText(goal)}`);
console.log(`\n${cpus().length} cores, ${pinning}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after.`);

const resultPath = writeResult("room-size", {
  tickHz: DEFAULT_TICK_HZ, seconds: flags.seconds, warmUpSeconds: flags.warmup, transport: flags.transport, seed: flags.seed, pinning,
  loadAverage: { before: loadBefore, after: loadAfter }, arena: results.arena, large: results.large, goals,
});
const chartPath = join(dirname(resultPath), "room-size.svg");
writeFileSync(chartPath, renderChart(roomSizeChart({
  ...results, date: new Date().toISOString().slice(0, 10), cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown CPU", pinning,
  tickHz: DEFAULT_TICK_HZ, seconds: flags.seconds,
})));
console.log(`chart: ${chartPath}`);
console.log(`results: ${resultPath}`);
process.exit(0);

/**
 * `npm run loadtest -- --clients 500 --rooms 32 --seconds 60`: headless bots
 * (the shared bot brain over `@colyseus/sdk`, real WebSockets) play in
 * `--rooms` rooms of a real Arena server, started here as its own process
 * (pinned to CPU 0, the bots to CPU 1, when `taskset` and two cores exist)
 * or already running at `--url`. A live progress line while joining and
 * measuring, then a table; results go to bench/results/loadtest.json.
 *
 *   --clients N    players to connect (500)
 *   --rooms N      rooms to spread them over, evenly (32)
 *   --seconds S    measured window after everyone has joined (60)
 *   --url URL      a running server (its /metrics must be reachable); none: start one
 *   --tick-hz N    the server's tick rate, and the bots' input rate (30)
 *   --seed N       bots' randomness and the started server's match seed (1)
 *
 * `--soak` makes it a soak: 160 clients in 10 rooms for 600 s unless given,
 * the server's resident memory and heap sampled through the window (and once
 * idle, before anyone joins), reported as a curve, as growth after the
 * warm-up and as MB per connected client. A started server then plays matches
 * of the game's own length, as players meet it, so that match ends (recordings
 * sealed, results stored, in a database of its own) fall in the window; a
 * plain load test plays one hour-long match.
 *   --sample-seconds S   between memory samples (10)
 *   --warmup-seconds S   the start of the window that counts as warm-up (a fifth of it, at most 60)
 *   --one-room-seconds S before the window, one room fills and plays this long
 *                        alone, then the server's memory is read (60; 0: all
 *                        rooms join at once): the memory each later client
 *                        adds, apart from what a warm server holds anyway
 */
import "../testkit/sdkOverWs.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEFAULT_TICK_HZ, MATCH_SECONDS } from "../shared/constants.ts";
import { renderChart } from "./lib/chart.ts";
import { runLoadTest, type LoadTestProgress } from "./lib/loadTest.ts";
import { soakChart } from "./lib/soakChart.ts";
import { columnTable, progress, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { pinClientsLeavingCpu0 } from "../testkit/serverProcess.ts";

const argv = process.argv.slice(2);
const soak = argv.includes("--soak");
const { flags, positional } = toolFlags("loadtest", argv.filter((arg) => arg !== "--soak"), {
  clients: soak ? 160 : 500, rooms: soak ? 10 : 32, seconds: soak ? 600 : 60, url: "", "tick-hz": DEFAULT_TICK_HZ, seed: 1,
  "sample-seconds": 10, "warmup-seconds": -1, "one-room-seconds": 60,
});
const warmUpSeconds = flags["warmup-seconds"] >= 0 ? flags["warmup-seconds"] : Math.min(60, flags.seconds / 5);
if (positional.length > 0) usageError("loadtest", `unexpected argument ${JSON.stringify(positional[0])}`);
if (!Number.isInteger(flags.clients) || flags.clients < 1) usageError("loadtest", "--clients must be a whole number ≥ 1");
if (!Number.isInteger(flags.rooms) || flags.rooms < 1 || flags.rooms > flags.clients) usageError("loadtest", "--rooms must be from 1 to --clients");
if (!(flags.seconds > 0)) usageError("loadtest", "--seconds must be above 0");
if (!(flags["one-room-seconds"] >= 0)) usageError("loadtest", "--one-room-seconds must be 0 or more");

// With a server of our own: it on CPU 0, the bots (this process) on CPU 1.
const serverCpus = flags.url ? undefined : pinClientsLeavingCpu0();
const pinning = flags.url ? `server at ${flags.url}` : serverCpus !== undefined
  ? "server pinned to CPU 0, bots to CPU 1 with taskset"
  : "not pinned (taskset missing or fewer than 2 cores): server and bots share the cores";
const loadBefore = loadavg()[0];
process.stderr.write(`loadtest: ${flags.clients} clients in ${flags.rooms} rooms, ${flags.seconds} s measured; ${cpus().length} cores, ${pinning}; load average ${loadBefore.toFixed(2)}\n`);

const show = progress();
const percent = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)} %` : "?");
const line = (p: LoadTestProgress) => [
  p.phase === "joining" ? "joining" : `measuring, ${p.secondsLeft} s left`,
  `CCU ${p.connected}/${p.clients}`,
  `echo p99 ${Number.isFinite(p.echoP99Ms) ? `${p.echoP99Ms.toFixed(0)} ms` : "–"}`,
  `bots' core ${percent(p.clientCoreShare)}`, `server core ${percent(p.serverCoreShare)}`,
  `errors ${p.errors}`,
].join("  ");
// A soak's server plays whole matches and stores them, in a folder of its own, removed after.
const records = soak && flags.url === "" ? mkdtempSync(join(tmpdir(), "arena-soak-")) : undefined;
const report = await runLoadTest({
  clients: flags.clients, rooms: flags.rooms, seconds: flags.seconds, url: flags.url || undefined,
  tickHz: flags["tick-hz"], seed: flags.seed, serverCpus, onProgress: (p) => show(line(p)),
  soak: soak ? { sampleSeconds: flags["sample-seconds"], warmUpSeconds, oneRoomSeconds: flags["one-room-seconds"] } : undefined,
  env: records === undefined ? undefined : { MATCH_SECONDS: String(MATCH_SECONDS), DATABASE_URL: `sqlite:${join(records, "arena.sqlite")}`, RESULTS_SPOOL_DIR: join(records, "pending") },
}).finally(() => records && rmSync(records, { recursive: true, force: true }));
process.stderr.write("\n");

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
console.log(`\nLoad test: ${report.clients} bots in ${report.rooms} rooms, ${report.seconds} s measured, ${flags["tick-hz"]} Hz`);
console.log(columnTable(
  ["CCU", "rooms", "tick p50", "tick p99", "echo p50", "echo p99", "in/client/s", "out/client/s", "patches/client/s", "join failures", "disconnects", "drops"],
  [[
    String(report.ccu), String(report.serverRooms), `${report.tickP50Ms} ms`, `${report.tickP99Ms} ms`,
    `${report.echoP50Ms} ms`, `${report.echoP99Ms} ms`, kB(report.receivedBytesPerClientSecond), kB(report.sentBytesPerClientSecond),
    String(report.statesPerClientSecond), String(report.errors.joinFailures), String(report.errors.disconnects), String(report.errors.drops),
  ]],
));
console.log(`   tick times from the server's arena_tick_duration_seconds histogram (${report.ticks} ticks; interpolated within buckets)`);
console.log(`   echo: ${report.echoSamples} inputs, from sending to the patch acknowledging them, measured by every bot`);
console.log("   disconnects: connections that ended without the bot leaving; drops: connections lost and resumed by the SDK");
console.log(`   CPU: bots ${percent(report.clientCoreShare)} of a core (event loop p99 ${report.clientLoopDelayP99Ms} ms late), server ${percent(report.serverCoreShare)} of a core; bottleneck: ${report.bottleneck}`);
if (report.errors.firstJoinError) console.log(`   first join error: ${report.errors.firstJoinError}`);
if (report.soak) {
  const memory = report.soak;
  if (records) console.log(`\nMatches of ${MATCH_SECONDS} s, each recorded and stored at its end`);
  console.log(`\nSoak: the server's memory (MB = 10^6 bytes)${memory.idle ? `; idle before anyone joined: ${memory.idle.residentMegabytes} MB resident, ${memory.idle.heapUsedMegabytes} MB heap` : ""}`);
  console.log(columnTable(["seconds", "resident", "heap used", "CCU", "MB per CCU"], memory.samples.map((sample) => [
    String(sample.atSeconds), `${sample.residentMegabytes} MB`, `${sample.heapUsedMegabytes} MB`, String(sample.ccu),
    sample.ccu > 0 ? (sample.residentMegabytes / sample.ccu).toFixed(2) : "–",
  ])));
  console.log(`   after the ${memory.warmUpSeconds} s warm-up ${memory.residentAfterWarmUpMegabytes} MB, at the end ${memory.residentAtEndMegabytes} MB: growth ${(memory.growthAfterWarmUp * 100).toFixed(1)} % (goal < 10 %)`);
  console.log(`   ${memory.megabytesPerCcu} MB per connected client${memory.megabytesPerCcuAboveIdle !== undefined ? `, ${(memory.megabytesPerCcuAboveIdle * 1000).toFixed(0)} kB above the idle server` : ""}`);
  if (memory.oneRoom && memory.megabytesPerAddedCcuAtEnd !== undefined) {
    const kBEach = (mb: number | undefined) => (mb === undefined ? "–" : `${(mb * 1000).toFixed(0)} kB`);
    console.log(`   one room of ${memory.oneRoom.ccu} alone, after ${memory.oneRoom.playedSeconds} s of play: ${memory.oneRoom.residentMegabytes} MB resident, ${memory.oneRoom.heapUsedMegabytes} MB heap`);
    console.log(`   each client joined after it added ${kBEach(memory.megabytesPerAddedCcuAfterWarmUp)} after the warm-up, ${kBEach(memory.megabytesPerAddedCcuAtEnd)} at the end`);
  }
}
console.log(`${cpus().length} cores, ${pinning}; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after.`);
const resultPath = writeResult(soak ? "soak" : "loadtest", {
  ...report, tickHz: flags["tick-hz"], seed: flags.seed, pinning, loadAverage: loadBefore, ...(records ? { matchSeconds: MATCH_SECONDS } : {}),
});
if (report.soak) {
  const chartPath = join(dirname(resultPath), "soak.svg");
  writeFileSync(chartPath, renderChart(soakChart({
    date: new Date().toISOString().slice(0, 10), cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown CPU",
    clients: report.clients, rooms: report.rooms, seconds: report.seconds, soak: report.soak,
  })));
  console.log(`chart: ${chartPath}`);
}
console.log(`results: ${resultPath}`);
process.exit(0);

/**
 * `npm run profile [-- --seconds 10 --players 16]`: where the Arena server's
 * CPU time goes under bench load. One room of network bots (the same load as
 * `npm run bench` part 1) plays against a server process started with Node's
 * `--cpu-prof`; when it exits, the profile's self time within the measured
 * window is summed by area
 * (world step, schema encode, input channel, sockets, …) and by function.
 * The raw profile stays in test-output/profiles/ for Chrome DevTools.
 *
 * Beside the samples, what the process really spent over the same window:
 * its user and system time, whole and per thread (/proc). The sampler sees
 * only the main thread's JavaScript, its GC pauses and native code it calls;
 * the kernel's share of every `writev`, `read` and `epoll_wait` (system
 * time), V8's helper threads (concurrent GC and compilation) and what falls
 * between samples are only in the process's figures.
 * Writes bench/results/<name>.json (`--name`, "profile" by default).
 *
 *   --seconds S   measured seconds (10)
 *   --warmup S    seconds of play before measuring (3)
 *   --players N   bots per room (16)
 *   --rooms N     rooms (1)
 *   --server KIND arena (default), floor or seeds: the baselines of
 *                 `npm run bench`, profiled the same way (with --perf), so
 *                 that their areas can be set side by side with Arena's
 *   --top N       functions listed by self time (25)
 *   --name NAME   the results file's name, e.g. profile-before (profile)
 *   --large       the bots play in one large-mode room (`--players` up to 100)
 *   --datagrams   the bots' unreliable frames ride a DataChannel each
 *   --perf        sample with Linux `perf` instead (CPU time of every thread,
 *                 kernel included; see bench/lib/perfProfile.ts); the server
 *                 then runs without V8's profiler and its sampling thread
 */
import "../testkit/sdkOverWs.ts";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { DEFAULT_TICK_HZ } from "../shared/constants.ts";
import { LARGE_ROOM_NAME } from "../shared/largeMode.ts";
import { DEFAULT_FLOOR_FRAME_BYTES } from "./baseline/floorServer.ts";
import { runLoad } from "./lib/load.ts";
import { readProfile, summariseProfile } from "./lib/cpuProfile.ts";
import { hasPerf, PERF_NODE_OPTIONS, recordPerf, summarisePerf } from "./lib/perfProfile.ts";
import { columnTable, progress, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { canPin } from "../testkit/serverProcess.ts";

const argv = process.argv.slice(2);
const withPerf = argv.includes("--perf");
const large = argv.includes("--large");
const datagrams = argv.includes("--datagrams");
const { flags, positional } = toolFlags("profile", argv.filter((arg) => arg !== "--perf" && arg !== "--large" && arg !== "--datagrams"), { seconds: 10, warmup: 3, players: 16, rooms: 1, top: 25, name: "profile", server: "arena" });
if (positional.length > 0) usageError("profile", `unexpected argument ${JSON.stringify(positional[0])}`);
const kinds = ["arena", "floor", "seeds"] as const;
const kind = kinds.find((k) => k === flags.server);
if (!kind) usageError("profile", `--server must be one of ${kinds.join(", ")}`);
if (kind !== "arena" && !withPerf) usageError("profile", "--server floor and seeds need --perf (V8's profiler is given to Arena's server only)");
if (!/^profile[\w-]*$/.test(flags.name)) usageError("profile", "--name must start with \"profile\" (letters, digits, - and _)");
if (withPerf && !hasPerf) usageError("profile", "--perf needs Linux perf installed");

/** About the size of Arena's input frame, which `npm run bench` measures (7 to 8 bytes): what the floor's bots send. */
const ARENA_INPUT_BYTES = 8;

const dir = new URL("../test-output/profiles/", import.meta.url).pathname;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const perfFile = join(dir, "server.perf.data");
let perfRun: { code: number | null; output: string } | undefined;

const run = await runLoad({
  kind, rooms: flags.rooms, playersPerRoom: flags.players,
  // The floor as in `npm run bench`: about Arena's median patch out, Arena's input size in.
  floor: kind === "floor" ? { frameBytes: DEFAULT_FLOOR_FRAME_BYTES, inputBytes: ARENA_INPUT_BYTES } : undefined, tickHz: DEFAULT_TICK_HZ,
  warmUpSeconds: flags.warmup, seconds: flags.seconds, seed: 1, serverCpus: canPin ? "0" : undefined,
  room: large ? { roomName: LARGE_ROOM_NAME } : undefined,
  transport: datagrams ? "datagrams" : "websocket",
  env: {
    NODE_OPTIONS: withPerf ? PERF_NODE_OPTIONS : `--cpu-prof --cpu-prof-interval=200 --cpu-prof-dir=${dir}`,
    ...(large ? { LARGE_MIN_PLAYERS: "0", LARGE_MAX_PLAYERS: String(flags.players), MAX_PLAYERS: "16" } : {}),
  },
  duringWindow: withPerf ? async (pid, seconds) => (perfRun = await recordPerf(pid, seconds, perfFile)) : undefined,
  onProgress: progress(),
});
process.stderr.write("\n");

const ms = (micros: number) => `${(micros / 1000).toFixed(0)} ms`;
const processMicros = run.serverProcessMicros.user + run.serverProcessMicros.system;
const perClientSecond = (micros: number) => Math.round(micros / run.clients / run.seconds);
console.log(`\n${run.clients} players, ${run.seconds} s measured: received ${(run.receivedBytesPerClientSecond / 1000).toFixed(1)} kB/client/s`);
console.log(`The server process over the measured window (/proc, 10 ms ticks): ${ms(run.serverProcessMicros.user)} user + ${ms(run.serverProcessMicros.system)} system = ${ms(processMicros)}, ${perClientSecond(processMicros)} µs per client per second`);
console.log(columnTable(["thread", "user", "system", "of the process"], run.serverThreads.filter((t) => t.userMicros + t.systemMicros > 0).map((t) => [
  t.name, ms(t.userMicros), ms(t.systemMicros), `${(((t.userMicros + t.systemMicros) / Math.max(1, processMicros)) * 100).toFixed(0)} %`,
])));
const common = {
  server: kind, rooms: flags.rooms, warmUpSeconds: flags.warmup,
  players: run.clients, seconds: run.seconds, tickHz: DEFAULT_TICK_HZ, loadAverage: loadavg()[0],
  receivedBytesPerClientSecond: run.receivedBytesPerClientSecond,
  processMicros: run.serverProcessMicros, processMicrosPerClientSecond: perClientSecond(processMicros),
  threads: run.serverThreads,
};

if (withPerf) {
  if (perfRun?.code !== 0) throw new Error(`perf record failed (is kernel.perf_event_paranoid above 2?):\n${perfRun?.output}`);
  const perf = summarisePerf(perfFile);
  console.log(`perf's samples over the same window (CPU time, every thread, kernel included): ${perf.samples}`);
  console.log(columnTable(["area", "of the samples", "per client per s"], perf.areas.map((area) => [
    area.name, `${(area.share * 100).toFixed(1)} %`, `${perClientSecond(area.share * processMicros)} µs`,
  ])));
  console.log(columnTable(["leaf function (where the CPU was)", "of the samples"], perf.leaves.slice(0, flags.top).map((leaf) => [
    leaf.name.slice(0, 100), `${(leaf.share * 100).toFixed(1)} %`,
  ])));
  console.log(`perf data: ${perfFile}`);
  console.log(`results: ${writeResult(flags.name, { ...common, perf })}`);
  process.exit(0);
}

const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
if (!file) throw new Error(`the server wrote no profile into ${dir}`);
const summary = summariseProfile(readProfile(join(dir, file)), run.windowMicros);
const share = (micros: number) => `${((micros / summary.busyMicros) * 100).toFixed(1)} %`;
console.log(`The profile's samples over the same window: ${ms(summary.busyMicros)} busy (${((summary.busyMicros / Math.max(1, processMicros)) * 100).toFixed(0)} % of the process's CPU time), ${ms(summary.idleMicros)} idle`);
console.log(columnTable(["area", "self time", "of busy", "per client per s"], summary.areas.map((area) => [
  area.name, ms(area.selfMicros), share(area.selfMicros), `${perClientSecond(area.selfMicros)} µs`,
])));
console.log(columnTable(["function", "where", "self time", "of busy"], summary.functions.slice(0, flags.top).map((fn) => [
  fn.name, fn.where, ms(fn.selfMicros), share(fn.selfMicros),
])));
console.log(`profile: ${join(dir, file)}`);
console.log(`results: ${writeResult(flags.name, {
  ...common,
  samples: { busyMicros: summary.busyMicros, idleMicros: summary.idleMicros, areas: summary.areas, functions: summary.functions.slice(0, flags.top) },
})}`);
process.exit(0);

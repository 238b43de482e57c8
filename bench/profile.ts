/**
 * `npm run profile [-- --seconds 10 --players 16]`: where the Arena server's
 * CPU time goes under bench load. One room of network bots (the same load as
 * `npm run bench` part 1) plays against a server process started with Node's
 * `--cpu-prof`; when it exits, the profile's self time within the measured
 * window is summed by area
 * (world step, schema encode, input channel, sockets, …) and by function.
 * The raw profile stays in test-output/profiles/ for Chrome DevTools.
 *
 *   --seconds S   measured seconds (10)
 *   --warmup S    seconds of play before measuring (3)
 *   --players N   bots in the room (16)
 *   --top N       functions listed by self time (25)
 */
import "./lib/sdk-over-ws.ts";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_TICK_HZ } from "../shared/constants.ts";
import { runLoad } from "./lib/load.ts";
import { readProfile, summariseProfile } from "./lib/cpuProfile.ts";
import { columnTable, progress, toolFlags, usageError } from "./lib/report.ts";
import { canPin } from "./lib/serverProcess.ts";

const { flags, positional } = toolFlags("profile", process.argv.slice(2), { seconds: 10, warmup: 3, players: 16, top: 25 });
if (positional.length > 0) usageError("profile", `unexpected argument ${JSON.stringify(positional[0])}`);

const dir = new URL("../test-output/profiles/", import.meta.url).pathname;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const run = await runLoad({
  kind: "arena", rooms: 1, playersPerRoom: flags.players, tickHz: DEFAULT_TICK_HZ,
  warmUpSeconds: flags.warmup, seconds: flags.seconds, seed: 1, serverCpus: canPin ? "0" : undefined,
  env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-interval=200 --cpu-prof-dir=${dir}` },
  onProgress: progress(),
});
process.stderr.write("\n");

const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
if (!file) throw new Error(`the server wrote no profile into ${dir}`);
const summary = summariseProfile(readProfile(join(dir, file)), run.windowMicros);
const ms = (micros: number) => `${(micros / 1000).toFixed(0)} ms`;
const share = (micros: number) => `${((micros / summary.busyMicros) * 100).toFixed(1)} %`;

console.log(`\n${run.clients} players, ${run.seconds} s measured: received ${(run.receivedBytesPerClientSecond / 1000).toFixed(1)} kB/client/s, server user time ${run.serverUserMicrosPerClientSecond} µs/client/s`);
console.log(`Profile of the whole server process over the measured window: ${ms(summary.busyMicros)} busy, ${ms(summary.idleMicros)} idle`);
console.log(columnTable(["area", "self time", "of busy"], summary.areas.map((area) => [area.name, ms(area.selfMicros), share(area.selfMicros)])));
console.log(columnTable(["function", "where", "self time", "of busy"], summary.functions.slice(0, flags.top).map((fn) => [
  fn.name, fn.where, ms(fn.selfMicros), share(fn.selfMicros),
])));
console.log(`profile: ${join(dir, file)}`);
process.exit(0);

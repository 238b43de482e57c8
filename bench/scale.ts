/**
 * `npm run bench -- --scale [--procs 3]`: the same bot load on 1, 2, … up to
 * `--procs` Arena processes sharing one Redis. Prints progress, then a table
 * (CCU, server CPU per client, tick p99, how the projected capacity scales);
 * writes bench/results/scale.json. See bench/lib/scale.ts for what is measured.
 *
 *   --procs N       largest number of processes (3)
 *   --rooms N       rooms of 16 bots, spread by Colyseus over the processes (6)
 *   --seconds S     measured seconds per run (10)
 *   --warmup S      seconds of play before measuring (3)
 *   --redis URL     the Redis every process shares (REDIS_URL, else redis://127.0.0.1:6379/10)
 *   --database URL  the PostgreSQL every process shares (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 *   --seed S        the bots' randomness (1)
 */
import "../testkit/sdkOverWs.ts";
import { cpus, loadavg } from "node:os";
import { DEFAULT_TICK_HZ } from "../shared/constants.ts";
import { columnTable, progress, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { runScale, type ScaleResult } from "./lib/scale.ts";

const PLAYERS = 16;
const argv = process.argv.slice(2).filter((arg) => arg !== "--scale");
const { flags, positional } = toolFlags("bench --scale", argv, {
  procs: 3, rooms: 6, seconds: 10, warmup: 3, redis: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/10", seed: 1,
  database: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
});
if (positional.length > 0) usageError("bench --scale", `unexpected argument ${JSON.stringify(positional[0])}`);
if (!Number.isInteger(flags.procs) || flags.procs < 1 || flags.procs > 16) usageError("bench --scale", "--procs must be an integer from 1 to 16");
if (!Number.isInteger(flags.rooms) || flags.rooms < 1 || flags.rooms > 32) usageError("bench --scale", "--rooms must be an integer from 1 to 32");

const show = progress();
const loadBefore = loadavg()[0];
const runs: ScaleResult[] = [];
for (let processes = 1; processes <= flags.procs; processes++) {
  runs.push(await runScale({
    processes, rooms: flags.rooms, playersPerRoom: PLAYERS, tickHz: DEFAULT_TICK_HZ,
    warmUpSeconds: flags.warmup, seconds: flags.seconds, seed: flags.seed, redisUrl: flags.redis, databaseUrl: flags.database, onProgress: show,
  }));
}
show("");

const base = runs[0]!;
process.stdout.write(`\nScale-out: ${base.clients} bots in ${flags.rooms} rooms of ${PLAYERS}, ${DEFAULT_TICK_HZ} Hz, ${flags.seconds} s measured per run, `
  + `${cpus().length} cores (load average ${loadBefore.toFixed(2)} before)\n\n`);
process.stdout.write(`${columnTable(
  ["processes", "CCU", "rooms per process", "core share per process", "server CPU per client", "tick p99", "mean tick", "states per client", "bots' core share", "projected CCU", "scaling"],
  runs.map((run) => [
    String(run.processes), String(run.clients), run.roomsPerProcess.join("/"), run.coreShares.map((share) => share.toFixed(2)).join("/"),
    `${(run.serverCpuMicrosPerClientSecond / 1000).toFixed(2)} ms/s`, `≤ ${run.tickP99Ms} ms`, `${run.meanTickMicros} µs`,
    `${run.statesPerClientSecond}/s`, run.clientCoreShare.toFixed(2), String(run.projectedClients),
    `${(run.projectedClients / base.projectedClients).toFixed(2)}×`,
  ]),
)}\n\n`);
process.stdout.write("projected CCU: how many clients the deployment would hold before its busiest process filled a core, one core per process.\n"
  + `The machine bounds it: ${cpus().length} cores serve every server process and the bots together.\n`);
process.stdout.write(`wrote ${writeResult("scale", { loadAverageBefore: loadBefore, flags, runs })}\n`);
process.exit(0);

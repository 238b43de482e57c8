/**
 * `npm run hostile [-- --seconds 60]`: honest players under attack. A real
 * server process with the default limits, datagrams on; 8 honest players
 * (Arena's client net layer with the shared bot brain, from 127.0.0.1; every
 * other one on a DataChannel by default) play in one room, first alone (the
 * baseline), then while 8 hostile clients cycle through the attacks of
 * bench/lib/attacks.ts and bench/lib/datagramAttacks.ts, each attack from a
 * loopback address of its own. Prints a table (attacks tried, answered as documented, offenders
 * disconnected; the honest players' input→echo latency without and with the
 * attack; the server's memory before and after) and writes
 * bench/results/hostile.json. The server runs alone on CPU 0; the honest
 * players and (at the lowest priority, standing for other machines) the
 * attackers share CPU 1.
 *
 *   --seconds S            length of the attack (60)
 *   --baseline-seconds S   honest play measured before it (20)
 *   --honest N             honest players (8)
 *   --hostile N            hostile clients attacking at once (8)
 *   --transport T          the honest players' channel: mixed (every other one on datagrams), datagrams or websocket
 */
import "../testkit/sdkOverWs.ts";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { createInterface } from "node:readline";
import { makeRules } from "../shared/rules.ts";
import type { AttackTarget } from "./lib/attacks.ts";
import type { AttackReport } from "./lib/attackWorker.ts";
import { EchoLatencyProbe } from "./lib/echoLatency.ts";
import { columnTable, percentile, progress, table, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { canPin, startServerProcess } from "../testkit/serverProcess.ts";
import { TRANSPORT_MIXES, datagramsFor, type TransportMix } from "../testkit/datagrams.ts";

const WORKER = new URL("./lib/attackWorker.ts", import.meta.url).pathname;
const { flags, positional } = toolFlags("hostile", process.argv.slice(2), { seconds: 60, "baseline-seconds": 20, honest: 8, hostile: 8, transport: "mixed" });
const transport = flags.transport as TransportMix;
if (!TRANSPORT_MIXES.includes(transport)) usageError("hostile", `--transport takes ${TRANSPORT_MIXES.join(", ")}`);
if (positional.length > 0) usageError("hostile", `unexpected argument ${JSON.stringify(positional[0])}`);
if (flags.honest < 1 || flags.honest + flags.hostile > 16) usageError("hostile", "--honest (≥ 1) and --hostile together fit in one room: 16 seats");

const TICK_HZ = 30;
const WARMUP_MS = 3000;
const show = progress();
const say = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The documented defaults, stated here so the attacks know the limits they run into.
const target: Omit<AttackTarget, "url"> = { authSecret: randomBytes(32).toString("hex"), joinsPerMinutePerIp: 120, maxConnectionsPerIp: 64 };
// The server alone on CPU 0; the honest players (this process) and the attackers on CPU 1.
const pinned = canPin && cpus().length >= 2;
if (pinned) spawnSync("taskset", ["-pc", "1", String(process.pid)], { stdio: "ignore" });
const server = await startServerProcess({
  AUTH_SECRET: target.authSecret, MIN_PLAYERS: "0", MAX_PLAYERS: "16", TICK_HZ: String(TICK_HZ),
  JOINS_PER_MINUTE_PER_IP: String(target.joinsPerMinutePerIp), MAX_CONNECTIONS_PER_IP: String(target.maxConnectionsPerIp),
}, 15_000, pinned ? "0" : undefined);
// The port the server announced in its log ("datagrams on"): the datagram attacks need it.
const udpPort = server.logs.map((record) => record.udpPort).find((port): port is number => typeof port === "number");
const attackTarget: AttackTarget = { ...target, url: server.url, udpPort };
let stopping = false;
void server.exited.then((code) => {
  if (stopping) return;
  say(`the server died (exit code ${code}); its last log lines:`);
  for (const line of server.logs.slice(-5)) say(`  ${JSON.stringify(line).slice(0, 2000)}`);
  process.exit(1);
});

/** The server's memory in MB: resident (what the OS sees) and the JavaScript heap in use (what a leak would grow). */
async function memory(): Promise<{ rss: number; heapUsed: number }> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const megabytes = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]) / 1024 / 1024;
  return { rss: megabytes("process_resident_memory_bytes"), heapUsed: megabytes("nodejs_heap_size_used_bytes") };
}

const rules = makeRules({ tickHz: TICK_HZ, matchSeconds: 3600 });
const honest: EchoLatencyProbe[] = [];
try {
  for (let i = 0; i < flags.honest; i++) honest.push(await EchoLatencyProbe.join(server.url, `Honest ${i + 1}`, rules, i + 1, datagramsFor(transport, i)));
  say(`${flags.honest} honest players in (${transport}); warming up`);
  await sleep(WARMUP_MS);

  const measure = async (seconds: number, during: (elapsed: number) => string): Promise<number[]> => {
    for (const probe of honest) { probe.samples.length = 0; probe.measuring = true; }
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      await sleep(250);
      show(during((performance.now() - started) / 1000));
    }
    for (const probe of honest) probe.measuring = false;
    process.stderr.write(process.stderr.isTTY ? "\n" : "");
    return honest.flatMap((probe) => probe.samples);
  };

  const baseline = await measure(flags["baseline-seconds"], (s) => `baseline ${s.toFixed(0)}/${flags["baseline-seconds"]} s`);
  const before = await memory();

  let latest: AttackReport = { done: false, tally: {} };
  // At the lowest priority: the attackers stand for other machines, and must not take CPU from the
  // honest players on the core they share here.
  const worker = spawn("nice", ["-n", "19", process.execPath, WORKER, JSON.stringify({ target: attackTarget, workers: flags.hostile, seconds: flags.seconds })], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  createInterface({ input: worker.stdout! }).on("line", (line) => { latest = JSON.parse(line) as AttackReport; });
  const workerDone = new Promise<number | null>((resolve) => worker.once("exit", resolve));
  const underAttack = await measure(flags.seconds, (s) => {
    const tried = Object.values(latest.tally).reduce((sum, counts) => sum + counts.tried, 0);
    return `under attack ${s.toFixed(0)}/${flags.seconds} s  attacks ${tried}`;
  });
  say("waiting for the last attacks to end");
  const workerExit = await workerDone;
  if (workerExit !== 0 || !latest.done) throw new Error(`the attack worker exited with ${workerExit}`);
  const tally = new Map(Object.entries(latest.tally));
  await sleep(2000);
  const after = await memory();
  const alive = (await fetch(`${server.url}/healthz`)).ok;
  const errorLines = server.logs.filter((record) => record.level === "error");
  const serverErrors = errorLines.length;
  for (const line of errorLines.slice(0, 5)) say(`server error: ${JSON.stringify(line).slice(0, 400)}`);

  const latency = (samples: number[]) => ({ p50Ms: round(percentile(samples, 0.5)), p99Ms: round(percentile(samples, 0.99)), samples: samples.length });
  const calm = latency(baseline);
  const during = latency(underAttack);
  const attacks = [...tally].map(([name, counts]) => ({ name, ...counts }));
  const totals = attacks.reduce((sum, row) => ({ tried: sum.tried + row.tried, documented: sum.documented + row.documented, disconnected: sum.disconnected + row.disconnected }), { tried: 0, documented: 0, disconnected: 0 });

  console.log(`\nHostile load: ${flags.honest} honest players (${transport}), ${flags.hostile} hostile clients for ${flags.seconds} s (baseline ${flags["baseline-seconds"]} s)\n`);
  console.log(columnTable(["attack", "tried", "as documented", "offender cut off", "errors", "last deviation"],
    attacks.map((row) => [row.name, String(row.tried), String(row.documented), String(row.disconnected), String(row.errors), row.documented === row.tried ? "" : row.last])));
  console.log("");
  console.log(table([
    ["attacks tried / as documented / cut off", `${totals.tried} / ${totals.documented} / ${totals.disconnected}`],
    ["honest input→echo p50, no attack → attack", `${calm.p50Ms} ms → ${during.p50Ms} ms (${ratio(during.p50Ms, calm.p50Ms)})`],
    ["honest input→echo p99, no attack → attack", `${calm.p99Ms} ms → ${during.p99Ms} ms (${ratio(during.p99Ms, calm.p99Ms)})`],
    ["goal", "within 20 % of the baseline"],
    ["server RSS before → after", `${before.rss.toFixed(1)} MB → ${after.rss.toFixed(1)} MB`],
    ["server JS heap in use before → after", `${before.heapUsed.toFixed(1)} MB → ${after.heapUsed.toFixed(1)} MB`],
    ["server alive / errors logged", `${alive ? "yes" : "NO"} / ${serverErrors}`],
  ]));
  const path = writeResult("hostile", {
    seconds: flags.seconds, baselineSeconds: flags["baseline-seconds"], honest: flags.honest, hostile: flags.hostile, transport, udpPort: udpPort ?? null,
    limits: { joinsPerMinutePerIp: target.joinsPerMinutePerIp, maxConnectionsPerIp: target.maxConnectionsPerIp },
    attacks, totals, latency: { baseline: calm, underAttack: during },
    rssMegabytes: { before: round(before.rss), after: round(after.rss) },
    heapUsedMegabytes: { before: round(before.heapUsed), after: round(after.heapUsed) }, serverAlive: alive, serverErrors,
    pinning: pinned ? "server on CPU 0; honest players and attackers on CPU 1" : "none",
  });
  console.log(`\nwrote ${path}`);
} finally {
  stopping = true;
  await Promise.all(honest.map((probe) => probe.close()));
  await server.stop();
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function ratio(after: number, before: number): string {
  const change = (after / before - 1) * 100;
  return `${change >= 0 ? "+" : ""}${change.toFixed(0)} %`;
}

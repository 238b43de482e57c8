/**
 * One scale-out run: `processes` Arena server processes on one Redis (each
 * with its own port as its public address, as `npm run cluster` starts them),
 * and `rooms × playersPerRoom` network bots in this process that matchmake
 * through the processes in turn (quick play), so Colyseus spreads the rooms
 * over the processes. After a warm-up, a measured window counts each server
 * process's CPU time (/proc), its tick-time histogram (`/metrics`), and the
 * states the bots received.
 */
import { randomBytes } from "node:crypto";
import { makeRules } from "../../shared/rules.ts";
import { countdown, type LoadOptions } from "./load.ts";
import { connectBot, everyTick, leaveAll, type NetBot } from "../../testkit/netBots.ts";
import { ownCpuMicros, processCpuMicros } from "./processCpu.ts";
import { freePort, startServerProcess, type ServerProcess } from "../../testkit/serverProcess.ts";

/** The same load as a single-server run (`LoadOptions`), on `processes` processes sharing the Redis at `redisUrl`. */
export interface ScaleOptions extends Pick<LoadOptions, "rooms" | "playersPerRoom" | "tickHz" | "warmUpSeconds" | "seconds" | "seed" | "onProgress"> {
  processes: number;
  redisUrl: string;
  /** The PostgreSQL every process keeps player records in (a cluster needs one). */
  databaseUrl: string;
}

export interface ScaleResult {
  processes: number;
  /** Connected bots (CCU). */
  clients: number;
  /** Rooms each process ended up hosting, busiest first. */
  roomsPerProcess: number[];
  /** Share of one core each server process used over the window, busiest first. */
  coreShares: number[];
  /** All server processes' CPU time per connected client per second, µs. */
  serverCpuMicrosPerClientSecond: number;
  /** Slowest process's 99th-percentile tick, as the upper bound of its histogram bucket, ms. */
  tickP99Ms: number;
  /** Mean tick over every process, µs. */
  meanTickMicros: number;
  /** States received per bot per second (the tick rate when nothing is starved). */
  statesPerClientSecond: number;
  /** Share of one core the bots (this process) used. */
  clientCoreShare: number;
  /**
   * Clients the deployment would hold before its busiest process filled a core,
   * with one core per process: CCU divided by the busiest process's share.
   */
  projectedClients: number;
}

export async function runScale(options: ScaleOptions): Promise<ScaleResult> {
  const rules = makeRules({ tickHz: options.tickHz, matchSeconds: 3600 });
  const show = options.onProgress ?? (() => {});
  const label = `${options.processes} process${options.processes === 1 ? "" : "es"}`;
  const servers: ServerProcess[] = [];
  const bots: NetBot[] = [];
  let stopPlaying = () => {};
  // Tokens signed by one process must pass in the others.
  const authSecret = randomBytes(32).toString("base64url");
  try {
    for (let i = 0; i < options.processes; i++) {
      const port = await freePort();
      servers.push(await startServerProcess({
        PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, REDIS_URL: options.redisUrl, DATABASE_URL: options.databaseUrl, AUTH_SECRET: authSecret,
        TICK_HZ: String(options.tickHz), MATCH_SECONDS: "3600", MAX_PLAYERS: String(options.playersPerRoom), MIN_PLAYERS: "0",
      }));
    }
    stopPlaying = everyTick(options.tickHz, (tick) => {
      for (const bot of bots) bot.play(tick);
    });
    const total = options.rooms * options.playersPerRoom;
    for (let i = 0; i < total; i++) {
      const url = servers[i % servers.length]!.url;
      bots.push(await connectBot("arena", { url, name: `Scale ${i + 1}`, rules, seed: options.seed }));
      show(`${label}: ${bots.length}/${total} players joined`);
    }
    await countdown(options.warmUpSeconds, (left) => show(`${label}: warming up, ${left} s`));

    const before = await snapshot(servers, bots);
    await countdown(options.seconds, (left) => show(`${label}: measuring, ${left} s left`));
    const after = await snapshot(servers, bots);

    const seconds = (after.at - before.at) / 1000;
    const coreShares = servers.map((_server, i) => (after.cpu[i]! - before.cpu[i]!) / 1e6 / seconds);
    const cpuMicros = servers.reduce((sum, _server, i) => sum + after.cpu[i]! - before.cpu[i]!, 0);
    const ticks = after.metrics.map((metrics, i) => subtract(metrics, before.metrics[i]!));
    const tickCount = ticks.reduce((sum, tick) => sum + tick.count, 0);
    const busiest = Math.max(...coreShares);
    return {
      processes: options.processes,
      clients: bots.length,
      roomsPerProcess: after.metrics.map((metrics) => metrics.rooms).sort((a, b) => b - a),
      coreShares: coreShares.map(round3).sort((a, b) => b - a),
      serverCpuMicrosPerClientSecond: Math.round(cpuMicros / bots.length / seconds),
      tickP99Ms: Math.max(...ticks.map((tick) => bucketQuantile(tick.buckets, tick.count, 0.99))) * 1000,
      meanTickMicros: Math.round(ticks.reduce((sum, tick) => sum + tick.sum, 0) / Math.max(1, tickCount) * 1e6),
      statesPerClientSecond: round1(bots.reduce((sum, _bot, i) => sum + after.states[i]! - before.states[i]!, 0) / bots.length / seconds),
      clientCoreShare: round3((after.ownCpu - before.ownCpu) / 1e6 / seconds),
      projectedClients: Math.round(bots.length / busiest),
    };
  } finally {
    stopPlaying();
    // Bots that have not left by the deadline end with the servers.
    await leaveAll(bots);
    await Promise.allSettled(servers.map((server) => server.stop()));
  }
}

/** A server's tick histogram (cumulative buckets by upper bound, s) and its room count, from `/metrics`. */
interface TickMetrics {
  buckets: Map<number, number>;
  count: number;
  sum: number;
  rooms: number;
}

async function snapshot(servers: readonly ServerProcess[], bots: readonly NetBot[]) {
  const metrics = await Promise.all(servers.map((server) => scrapeTicks(server.url)));
  return {
    at: performance.now(),
    cpu: servers.map((server) => processCpuMicros(server.child.pid!)),
    states: bots.map((bot) => bot.traffic().statesReceived),
    ownCpu: ownCpuMicros(),
    metrics,
  };
}

async function scrapeTicks(url: string): Promise<TickMetrics> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const result: TickMetrics = { buckets: new Map(), count: 0, sum: 0, rooms: 0 };
  for (const line of text.split("\n")) {
    const bucket = /^arena_tick_duration_seconds_bucket\{le="([^"]+)"\} (\S+)$/.exec(line);
    if (bucket) result.buckets.set(bucket[1] === "+Inf" ? Infinity : Number(bucket[1]), Number(bucket[2]));
    else if (line.startsWith("arena_tick_duration_seconds_count ")) result.count = Number(line.split(" ")[1]);
    else if (line.startsWith("arena_tick_duration_seconds_sum ")) result.sum = Number(line.split(" ")[1]);
    else if (line.startsWith("arena_rooms ")) result.rooms = Number(line.split(" ")[1]);
  }
  return result;
}

/** The histogram over the window: `after − before`, bucket by bucket. */
function subtract(after: TickMetrics, before: TickMetrics): TickMetrics {
  const buckets = new Map<number, number>();
  for (const [bound, count] of after.buckets) buckets.set(bound, count - (before.buckets.get(bound) ?? 0));
  return { buckets, count: after.count - before.count, sum: after.sum - before.sum, rooms: after.rooms };
}

/** The upper bound (s) of the first cumulative bucket holding the `q` quantile. */
function bucketQuantile(buckets: Map<number, number>, count: number, q: number): number {
  for (const [bound, cumulative] of [...buckets].sort(([a], [b]) => a - b)) {
    if (cumulative >= q * count) return bound;
  }
  return Infinity;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

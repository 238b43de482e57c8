/**
 * One load run: a server of one kind in its own process (pinned to a core
 * when `taskset` exists), `rooms × playersPerRoom` network bots in this
 * process playing with the shared bot brain, a warm-up, then a measured
 * window in which the bots' traffic, the server's CPU time (from /proc) and
 * this process's own CPU time are counted.
 */
import { makeRules } from "../../shared/rules.ts";
import { EchoLatencyProbe } from "./echoLatency.ts";
import { connectBot, everyTick, leaveAll, LEAVE_DEADLINE_MS, type NetBot, type RoomChoice, type ServerKind, type Traffic } from "../../testkit/netBots.ts";
import { cpuTimes, ownCpuMicros, processCpuMicros, processCpuSplit, stealShare, threadCpuBetween, threadCpuSplit } from "./processCpu.ts";
import { percentile } from "./report.ts";
import { scrapeMetrics, tickQuantile } from "./serverMetrics.ts";
import { startProcess, startServerProcess, type ServerProcess } from "../../testkit/serverProcess.ts";
import { datagramsFor, type TransportMix } from "../../testkit/datagrams.ts";

const BASELINE_MAIN = new URL("../baseline/main.ts", import.meta.url).pathname;

export interface LoadOptions {
  kind: ServerKind;
  rooms: number;
  playersPerRoom: number;
  tickHz: number;
  warmUpSeconds: number;
  seconds: number;
  seed: number;
  /** CPU list for the server process (`taskset -c`), e.g. "0". */
  serverCpus?: string;
  /** Arena only: make the last player of the first room an `ArenaSession` that measures input → echo latency. */
  latencyProbe?: boolean;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** Started when the measured window begins and awaited when it ends (a profiler attached to the server, say). */
  duringWindow?: (serverPid: number, seconds: number) => Promise<unknown>;
  /** The floor only: its frame size (Arena's median patch) and its bots' input frame size (Arena's input), bytes. */
  floor?: { frameBytes: number; inputBytes: number };
  /** Arena only: the channel of every client's unreliable frames, a DataChannel each or the WebSocket alone (the default). */
  transport?: TransportMix;
  /** Arena only: the room type the bots join (the arena by default; the server's seats for it come from `env`) and the view they ask for. */
  room?: RoomChoice;
  onProgress?: (line: string) => void;
}

export interface LoadResult {
  kind: ServerKind;
  /** The channel the clients were given for their unreliable frames. */
  transport: TransportMix;
  /** Share of the bots whose state arrived on a DataChannel at the end of the measured window (0 on the WebSocket alone). */
  datagramShare: number;
  rooms: number;
  /** Connected players (bots, plus the latency probe). */
  clients: number;
  /** Length of the measured window, seconds. */
  seconds: number;
  /** Per bot per second, averaged over the bots: payload bytes received and sent (WebSocket messages and datagrams). */
  receivedBytesPerClientSecond: number;
  sentBytesPerClientSecond: number;
  /** Per bot per second at the socket: payloads plus WebSocket framing. */
  socketReadPerClientSecond: number;
  socketWrittenPerClientSecond: number;
  /** Messages received per bot per second: states and any other message (chat, kills, hits). */
  messagesPerClientSecond: number;
  /** State messages (patches or full states) received per bot per second: the tick rate when all is well. */
  statesPerClientSecond: number;
  /** Server process CPU time per connected client per second of the window, µs. */
  serverCpuMicrosPerClientSecond: number;
  /** Share of one core the server process used (1 = a whole core). */
  serverCoreShare: number;
  /** The same, user time only (/proc/<pid>/stat, 10 ms resolution): less disturbed by the hypervisor's steal, which lands in system time. */
  serverUserMicrosPerClientSecond: number;
  /** Of the server's CPU time, the share spent in the kernel (system time: sockets, the loopback TCP stack). */
  serverSystemShare: number;
  /** The server process's user and system time over the window, µs (/proc/<pid>/stat, 10 ms resolution). */
  serverProcessMicros: { user: number; system: number };
  /** The same per thread (by name: "node" is the main thread), largest first. */
  serverThreads: Array<{ name: string; userMicros: number; systemMicros: number }>;
  /** Share of the server's core (every core when not pinned) that the hypervisor stole during the window (noise). */
  stealShare: number;
  /** Share of one core this process (every client) used. */
  clientCoreShare: number;
  /** Projectiles in flight as the bots saw them, on average over the window. */
  meanProjectiles: number;
  /** The median size of a state message (payload bytes: a patch with its timing prefix, a full JSON state, the floor's frame). */
  medianStateBytes: number;
  /** Payload bytes a bot sends per input (sent bytes per state received): what the floor's bots send. */
  inputBytes: number;
  /**
   * Arena only, when the server has `GET /metrics`: its own counters over the
   * same window, as a cross-check. Patch bytes per client per second (counted
   * by the server per recipient, timing prefix included, framing not) and its
   * mean tick time (the room's whole fixed step, µs), its median and 99th
   * percentile (estimated within the histogram's buckets, µs), and the
   * server's resident memory and V8 heap in use, empty (before any bot
   * joined) and at the end of the window (bytes).
   */
  serverMetrics?: {
    patchBytesPerClientSecond: number; meanTickMicros: number; tickP50Micros: number; tickP99Micros: number;
    /** The whole tick's (step, patch encode and send) median and 99th percentile, µs (NaN from a server without that histogram). */
    wholeTickP50Micros: number; wholeTickP99Micros: number;
    memory: { empty: ServerMemory; loaded: ServerMemory };
  };
  /** The measured window on the monotonic clock (µs, as `process.hrtime` and V8's CPU profiles count), to cut a server profile to it. */
  windowMicros: { from: number; to: number };
  /** With `latencyProbe`: input → own-echo latency, ms. */
  latency?: { p50Ms: number; p99Ms: number; maxMs: number; samples: number };
}

/** A server's memory at one scrape of `/metrics`, bytes. */
export interface ServerMemory {
  residentBytes: number;
  heapUsedBytes: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const rules = makeRules({ tickHz: options.tickHz, matchSeconds: 3600 });
  const show = options.onProgress ?? (() => {});
  const transport = options.kind === "arena" ? options.transport ?? "websocket" : "websocket";
  const label = transport === "websocket" ? options.kind : `${options.kind} (${transport})`;
  const server = await startServer(options);
  const empty = options.kind === "arena" ? await scrapeMetrics(server.url) : undefined;
  const bots: NetBot[] = [];
  let probe: EchoLatencyProbe | undefined;
  let stopPlaying: (() => void) | undefined;
  try {
    const total = options.rooms * options.playersPerRoom;
    const botCount = total - (options.latencyProbe ? 1 : 0);
    // Everyone who has joined plays from the start, as people would.
    stopPlaying = everyTick(options.tickHz, (tick) => {
      for (const bot of bots) bot.play(tick);
    });
    for (let i = 0; i < botCount; i++) {
      // Sequential joins fill one room before the next one opens (quick play, or the seat limit).
      bots.push(await connectBot(options.kind, {
        url: server.url, name: `Bench ${i + 1}`, rules, seed: options.seed, floorInputBytes: options.floor?.inputBytes,
        datagrams: datagramsFor(transport, i), room: options.room,
      }));
      if (options.latencyProbe && i === options.playersPerRoom - 2) {
        probe = await EchoLatencyProbe.join(server.url, "Latency probe", rules, options.seed, datagramsFor(transport, i + 1));
      }
      show(`${label}: ${bots.length + (probe ? 1 : 0)}/${total} players joined`);
    }
    await channelsOpen(bots.filter((_bot, i) => datagramsFor(transport, i) !== "websocket"), (open) => show(`${label}: ${open} DataChannels open`));
    await countdown(options.warmUpSeconds, (left) => show(`${label}: warming up, ${left} s`));

    const pid = server.child.pid!;
    const metricsBefore = options.kind === "arena" ? await scrapeMetrics(server.url) : undefined;
    const serverCore = options.serverCpus === undefined ? undefined : Number(options.serverCpus.split(",")[0]);
    const before = snapshot(bots, pid, serverCore);
    if (probe) probe.measuring = true;
    let projectileSum = 0;
    let projectileSamples = 0;
    const during = options.duringWindow?.(pid, options.seconds);
    const sampler = setInterval(() => {
      projectileSum += bots[0]?.projectileCount() ?? 0;
      projectileSamples++;
    }, 100);
    await countdown(options.seconds, (left) => show(`${label}: measuring, ${left} s left`));
    clearInterval(sampler);
    await during;
    if (probe) probe.measuring = false;
    const after = snapshot(bots, pid, serverCore);
    const metricsAfter = metricsBefore ? await scrapeMetrics(server.url) : undefined;

    const seconds = (after.at - before.at) / 1000;
    const perBotSecond = (pick: (t: Traffic) => number, rounding = Math.round) =>
      rounding(bots.reduce((sum, _bot, i) => sum + pick(after.traffic[i]) - pick(before.traffic[i]), 0) / bots.length / seconds);
    const clients = bots.length + (probe ? 1 : 0);
    const serverCpu = after.serverCpu - before.serverCpu;
    const latency = probe && probe.samples.length > 0 ? {
      p50Ms: round1(percentile(probe.samples, 0.5)),
      p99Ms: round1(percentile(probe.samples, 0.99)),
      maxMs: round1(Math.max(...probe.samples)),
      samples: probe.samples.length,
    } : undefined;
    return {
      kind: options.kind,
      transport,
      datagramShare: round3(bots.filter((bot) => bot.transport() === "datagram").length / bots.length),
      rooms: options.rooms,
      clients,
      seconds: round1(seconds),
      receivedBytesPerClientSecond: perBotSecond((t) => t.receivedBytes),
      sentBytesPerClientSecond: perBotSecond((t) => t.sentBytes),
      socketReadPerClientSecond: perBotSecond((t) => t.socketRead),
      socketWrittenPerClientSecond: perBotSecond((t) => t.socketWritten),
      messagesPerClientSecond: perBotSecond((t) => t.framesReceived, round1),
      statesPerClientSecond: perBotSecond((t) => t.statesReceived, round1),
      serverCpuMicrosPerClientSecond: Math.round(serverCpu / clients / seconds),
      serverCoreShare: round3(serverCpu / 1e6 / seconds),
      serverUserMicrosPerClientSecond: Math.round((after.serverSplit.userMicros - before.serverSplit.userMicros) / clients / seconds),
      serverSystemShare: systemShare(before.serverSplit, after.serverSplit),
      serverProcessMicros: {
        user: Math.round(after.serverSplit.userMicros - before.serverSplit.userMicros),
        system: Math.round(after.serverSplit.systemMicros - before.serverSplit.systemMicros),
      },
      serverThreads: threadCpuBetween(before.threads, after.threads),
      stealShare: stealShare(before.cpuTimes, after.cpuTimes),
      clientCoreShare: round3((after.ownCpu - before.ownCpu) / 1e6 / seconds),
      meanProjectiles: projectileSamples > 0 ? Math.round(projectileSum / projectileSamples) : 0,
      medianStateBytes: Math.round(percentile(bots.slice(0, 4).flatMap((bot) => bot.stateSizes()), 0.5) || 0),
      inputBytes: Math.round(perBotSecond((t) => t.sentBytes, (x) => x) / Math.max(1, options.tickHz)),
      serverMetrics: empty && metricsBefore && metricsAfter ? {
        patchBytesPerClientSecond: Math.round((metricsAfter.patchBytes - metricsBefore.patchBytes) / clients / seconds),
        meanTickMicros: round1(((metricsAfter.tickSeconds - metricsBefore.tickSeconds) / Math.max(1, metricsAfter.ticks - metricsBefore.ticks)) * 1e6),
        tickP50Micros: round1(tickQuantile(metricsBefore, metricsAfter, 0.5) * 1e6),
        tickP99Micros: round1(tickQuantile(metricsBefore, metricsAfter, 0.99) * 1e6),
        wholeTickP50Micros: round1(tickQuantile(metricsBefore, metricsAfter, 0.5, true) * 1e6),
        wholeTickP99Micros: round1(tickQuantile(metricsBefore, metricsAfter, 0.99, true) * 1e6),
        memory: { empty: memoryOf(empty), loaded: memoryOf(metricsAfter) },
      } : undefined,
      windowMicros: { from: before.monotonicMicros, to: after.monotonicMicros },
      latency,
    };
  } finally {
    stopPlaying?.();
    await probe?.close();
    const stayed = await leaveAll(bots);
    if (stayed > 0) show(`${options.kind}: ${stayed} of ${bots.length} bots had not left ${LEAVE_DEADLINE_MS / 1000} s after the run; stopping the server without them`);
    await server.stop();
  }
}

/** Starts the server process of a load run: no server-side bots, one long match, `playersPerRoom` seats a room. */
export function startServer(
  options: Pick<LoadOptions, "kind" | "tickHz" | "playersPerRoom" | "seed" | "serverCpus" | "env" | "floor">,
): Promise<ServerProcess> {
  const env = {
    TICK_HZ: String(options.tickHz), MATCH_SECONDS: "3600", MAX_PLAYERS: String(options.playersPerRoom),
    SEED: String(options.seed), ...(options.floor ? { FLOOR_FRAME_BYTES: String(options.floor.frameBytes) } : {}), ...options.env,
  };
  if (options.kind === "arena") {
    // No server-side bots: every player is a network client. A long match: no scoreboard in the window.
    // Player records in memory: a measurement writes nothing to the machine's database.
    return startServerProcess({ MIN_PLAYERS: "0", DATABASE_URL: "sqlite::memory:", ...env }, 15_000, options.serverCpus);
  }
  return startProcess({ script: BASELINE_MAIN, args: [options.kind], env, cpus: options.serverCpus });
}

function snapshot(bots: readonly NetBot[], pid: number, serverCore: number | undefined) {
  return {
    at: performance.now(), monotonicMicros: Number(process.hrtime.bigint() / 1000n), traffic: bots.map((bot) => bot.traffic()), serverCpu: processCpuMicros(pid), serverSplit: processCpuSplit(pid),
    threads: threadCpuSplit(pid),
    ownCpu: ownCpuMicros(), cpuTimes: cpuTimes(serverCore),
  };
}

const memoryOf = ({ residentBytes, heapUsedBytes }: ServerMemory): ServerMemory => ({ residentBytes, heapUsedBytes });

function systemShare(before: ReturnType<typeof processCpuSplit>, after: ReturnType<typeof processCpuSplit>): number {
  const user = after.userMicros - before.userMicros;
  const system = after.systemMicros - before.systemMicros;
  return user + system > 0 ? round3(system / (user + system)) : 0;
}

/** How long the DataChannels of a run's bots may take to open, all of them (each gets 3 s, then tries again). */
const CHANNELS_DEADLINE_MS = 60_000;

/** Waits until every one of `bots` has its state arriving on its DataChannel; throws at the deadline. */
async function channelsOpen(bots: readonly NetBot[], show: (open: number) => void): Promise<void> {
  const deadline = performance.now() + CHANNELS_DEADLINE_MS;
  for (;;) {
    const open = bots.filter((bot) => bot.transport() === "datagram").length;
    if (open === bots.length) return;
    if (performance.now() > deadline) throw new Error(`${bots.length - open} of ${bots.length} DataChannels did not open within ${CHANNELS_DEADLINE_MS / 1000} s`);
    show(open);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits `seconds`, calling `show` with the whole seconds left about once a second. */
export async function countdown(seconds: number, show: (left: number) => void): Promise<void> {
  const endsAt = performance.now() + seconds * 1000;
  for (;;) {
    const left = endsAt - performance.now();
    if (left <= 0) return;
    show(Math.ceil(left / 1000));
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 1000)));
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

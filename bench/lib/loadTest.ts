/**
 * The network load test as a library: `clients` headless players (the shared
 * bot brain, `testkit/netBots.ts`) spread over `rooms` rooms of a real
 * Arena server, over real WebSockets, then a measured window. The server is a
 * process started here (`bench/lib/load.ts`), or one already running at `url`.
 * Server-side figures (tick time percentiles, CPU, CCU) come from its
 * `GET /metrics`; bandwidth and input → echo latency are measured by the bots.
 *
 * The bots decode every patch they receive, so on a small machine they can
 * run out of CPU before the server does: the report says which side was the
 * bottleneck, from the CPU share each side used.
 */
import { createHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { makeRules } from "../../shared/rules.ts";
import { startServer } from "./load.ts";
import { connectBot, everyTick, leaveAll, LEAVE_DEADLINE_MS, type JoinTarget, type NetBot, type Traffic } from "../../testkit/netBots.ts";
import { ownCpuMicros } from "./processCpu.ts";
import { scrapeMetrics, tickQuantile } from "./serverMetrics.ts";
import { LiveMeter, type LoadTestProgress } from "./liveMeter.ts";
import { idleMemory, sampleMemory, settledMemory, soakReport, type OneRoomMemory, type SoakReport } from "./soak.ts";
import type { ServerProcess } from "../../testkit/serverProcess.ts";

export type { LoadTestProgress } from "./liveMeter.ts";

export interface LoadTestOptions {
  clients: number;
  rooms: number;
  /** Length of the measured window, after every client has joined. */
  seconds: number;
  /** A running server (`http://host:port`); without it a server process is started. */
  url?: string;
  tickHz: number;
  /** Bots' randomness and the started server's match seed. */
  seed: number;
  /** CPU list for the started server (`taskset -c`). */
  serverCpus?: string;
  /** Extra environment for the started server (NODE_OPTIONS, PATCH_HZ…). */
  env?: Record<string, string>;
  /** Joins in flight at once (8). */
  joinConcurrency?: number;
  /**
   * A soak: the server's memory is sampled every `sampleSeconds` through the
   * window (and once idle, before anyone joins, when the server is started
   * here); the first `warmUpSeconds` of the window are warm-up, growth is
   * measured after them. With `oneRoomSeconds` (a server started here, more
   * than one room), one room fills and plays that long, and the server's
   * memory is read, before the other rooms join: what each later client adds.
   */
  soak?: { sampleSeconds: number; warmUpSeconds: number; oneRoomSeconds?: number };
  /** Called about once a second. */
  onProgress?: (progress: LoadTestProgress) => void;
}

export interface LoadTestReport {
  clients: number;
  rooms: number;
  /** Connected clients at the end of the window, as the server counts them (arena_connected_clients). */
  ccu: number;
  /** Rooms the server ran at the end of the window (arena_rooms). */
  serverRooms: number;
  seconds: number;
  /** Server tick time over the window, from its histogram, ms. */
  tickP50Ms: number;
  tickP99Ms: number;
  ticks: number;
  /** Input → own-echo latency over the window, every bot's inputs, ms. */
  echoP50Ms: number;
  echoP99Ms: number;
  echoSamples: number;
  /** WebSocket payload bytes per client per second, averaged over the clients. */
  receivedBytesPerClientSecond: number;
  sentBytesPerClientSecond: number;
  /** State patches received per client per second: the patch rate when all is well. */
  statesPerClientSecond: number;
  /**
   * Joins refused; bots whose connection ended without their leaving; and
   * connections dropped and resumed by the SDK's reconnection (the bot kept
   * playing, but the drop is a fault all the same).
   */
  errors: { joinFailures: number; disconnects: number; drops: number; firstJoinError?: string };
  /** Shares of one core over the window. */
  clientCoreShare: number;
  /** How late the bots' event loop ran, p99 over the window, ms: above a tick, the bots could not keep up. */
  clientLoopDelayP99Ms: number;
  serverCoreShare: number;
  /** Which side ran out of CPU, in words. */
  bottleneck: string;
  /** With `soak`: the server's memory over the window. */
  soak?: SoakReport;
}

const SATURATED = 0.85;

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestReport> {
  if (!(options.clients >= 1 && options.rooms >= 1 && options.rooms <= options.clients)) {
    throw new Error("a load test needs at least one client and one room, and no more rooms than clients");
  }
  const seatsPerRoom = Math.ceil(options.clients / options.rooms);
  const serverOptions = {
    kind: "arena", tickHz: options.tickHz, playersPerRoom: seatsPerRoom, seed: options.seed, serverCpus: options.serverCpus, env: options.env,
  } as const;
  // The first start after the code or the Node options changed fills Node's compile cache, and holds
  // about 10 MB more while idle than every later start: a soak's idle figure is taken from a later one.
  if (options.soak && !options.url) await (await startServer(serverOptions)).stop();
  const server: ServerProcess | undefined = options.url ? undefined : await startServer(serverOptions);
  const url = options.url ?? server!.url;
  const idle = server && options.soak ? await idleMemory(url) : undefined;
  const rules = makeRules({ tickHz: options.tickHz });
  const bots: NetBot[] = [];
  const errors = { joinFailures: 0, disconnects: 0, drops: 0, firstJoinError: undefined as string | undefined };
  const stopPlaying = everyTick(options.tickHz, (tick) => {
    for (const bot of bots) bot.play(tick);
  });
  const meter = new LiveMeter(url, bots, options, errors);
  try {
    meter.start("joining");
    const join = async (index: number, target: JoinTarget) => {
      try {
        bots.push(await connectBot("arena", { url, name: `Load ${index + 1}`, rules, seed: options.seed, target }));
      } catch (error) {
        errors.joinFailures++;
        errors.firstJoinError ??= error instanceof Error ? error.message : String(error);
      }
    };
    const concurrency = options.joinConcurrency ?? 8;
    // A soak's first room may fill and play on its own first (see `soak.oneRoomSeconds`).
    const oneRoomSeconds = server && options.rooms > 1 ? options.soak?.oneRoomSeconds ?? 0 : 0;
    let oneRoom: OneRoomMemory | undefined;
    if (oneRoomSeconds > 0) {
      await join(0, { create: true });
      const first = bots[0]?.roomId;
      if (first === undefined) throw new Error(`no room could be created: ${errors.firstJoinError}`);
      await inBatches(seatsPerRoom - 1, concurrency, (i) => join(1 + i, { roomId: first }));
      await new Promise((resolve) => setTimeout(resolve, oneRoomSeconds * 1000));
      oneRoom = await settledMemory(url, oneRoomSeconds);
    }
    const joined = bots.length;
    const seated = oneRoomSeconds > 0 ? seatsPerRoom : 0;
    const roomsLeft = oneRoomSeconds > 0 ? options.rooms - 1 : options.rooms;
    // One creator per room first, then everyone else spread evenly over the (new) rooms.
    await inBatches(roomsLeft, concurrency, (i) => join(seated + i, { create: true }));
    const roomIds = [...new Set(bots.slice(joined).map((bot) => bot.roomId))];
    if (roomIds.length === 0) throw new Error(`no room could be created: ${errors.firstJoinError}`);
    const rest = seated + roomsLeft;
    await inBatches(options.clients - rest, concurrency, (i) => join(rest + i, { roomId: roomIds[i % roomIds.length] }));

    for (const bot of bots) bot.takeEchoLatencies();
    const before = await measurePoint(url, bots);
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    meter.start("measuring", options.seconds);
    const memory = options.soak ? sampleMemory(url, options.soak.sampleSeconds) : undefined;
    // Every echo of the window, in µs, in a histogram rather than a list: a list grows by clients ×
    // tick rate a second (2.9 million samples in a 10-minute soak of 160 clients), and sorting it for
    // the percentiles stalled this process for seconds after the window, long enough for the server's
    // heartbeat to drop every bot, whose reconnection then kept it from ever leaving.
    const echoes = createHistogram();
    meter.onEchoes = (samples) => {
      for (const ms of samples) echoes.record(Math.max(1, Math.round(ms * 1000)));
    };
    await meter.finished;
    const samples = await memory?.stop();
    loopDelay.disable();
    const clientLoopDelayP99Ms = loopDelay.percentile(99) / 1e6;
    const after = await measurePoint(url, bots);
    const seconds = (after.at - before.at) / 1000;

    const perClientSecond = (pick: (t: Traffic) => number) =>
      bots.reduce((sum, _bot, i) => sum + pick(after.traffic[i]) - pick(before.traffic[i]), 0) / bots.length / seconds;
    const clientCoreShare = (after.ownCpu - before.ownCpu) / 1e6 / seconds;
    const serverCoreShare = (after.metrics.cpuSeconds - before.metrics.cpuSeconds) / seconds;
    const statesPerClientSecond = perClientSecond((t) => t.statesReceived);
    errors.disconnects = bots.filter((bot) => bot.lostWithCode() !== undefined).length;
    errors.drops = bots.reduce((sum, bot) => sum + bot.drops(), 0);
    const echoMs = (q: number) => (echoes.count > 0 ? round(echoes.percentile(q * 100) / 1000, 1) : Number.NaN);
    return {
      clients: options.clients,
      rooms: options.rooms,
      ccu: after.metrics.connectedClients,
      serverRooms: after.metrics.rooms,
      seconds: round(seconds, 1),
      tickP50Ms: round(tickQuantile(before.metrics, after.metrics, 0.5) * 1000, 3),
      tickP99Ms: round(tickQuantile(before.metrics, after.metrics, 0.99) * 1000, 3),
      ticks: after.metrics.ticks - before.metrics.ticks,
      echoP50Ms: echoMs(0.5),
      echoP99Ms: echoMs(0.99),
      echoSamples: echoes.count,
      receivedBytesPerClientSecond: Math.round(perClientSecond((t) => t.receivedBytes)),
      sentBytesPerClientSecond: Math.round(perClientSecond((t) => t.sentBytes)),
      statesPerClientSecond: round(statesPerClientSecond, 1),
      errors,
      clientCoreShare: round(clientCoreShare, 3),
      clientLoopDelayP99Ms: round(clientLoopDelayP99Ms, 1),
      serverCoreShare: round(serverCoreShare, 3),
      bottleneck: bottleneck({ clientCoreShare, clientLoopDelayP99Ms, serverCoreShare, statesPerClientSecond }, options.tickHz),
      soak: samples && options.soak ? soakReport(samples, options.soak.warmUpSeconds, idle, oneRoom) : undefined,
    };
  } finally {
    meter.stop();
    stopPlaying();
    const stayed = await leaveAll(bots);
    if (stayed > 0) {
      process.stderr.write(`loadtest: ${stayed} of ${bots.length} bots had not left ${LEAVE_DEADLINE_MS / 1000} s after the run; `
        + `${server ? "stopping the server without them" : "leaving them to the server at " + url}\n`);
    }
    await server?.stop();
  }
}

/**
 * Which side ran out of CPU, in words: a share of 0.85 of a core or more
 * counts as saturated, and so do bots whose event loop ran more than a tick
 * late (their core is shared with the machine's other work).
 */
export function bottleneck(
  run: { clientCoreShare: number; clientLoopDelayP99Ms: number; serverCoreShare: number; statesPerClientSecond: number },
  tickHz: number,
): string {
  const clients = run.clientCoreShare >= SATURATED || run.clientLoopDelayP99Ms > 1000 / tickHz;
  const server = run.serverCoreShare >= SATURATED;
  if (clients && server) return "both: the bots' core and the server's core are saturated";
  if (clients) {
    return `the bots (${Math.round(run.clientCoreShare * 100)} % of their core, event loop up to ${Math.round(run.clientLoopDelayP99Ms)} ms late): `
      + "this is the highest load they could drive, not the server's limit, and their latency figures include their own delay";
  }
  if (server) return "the server: its core is saturated";
  if (run.statesPerClientSecond < tickHz * 0.95) {
    return `neither core is saturated, but clients got ${round(run.statesPerClientSecond, 1)} patches/s of ${tickHz}`;
  }
  return "neither: both sides had CPU to spare";
}

async function measurePoint(url: string, bots: readonly NetBot[]) {
  const metrics = await scrapeMetrics(url);
  if (!metrics) throw new Error(`${url}/metrics did not answer with Arena's metrics`);
  return { at: performance.now(), metrics, traffic: bots.map((bot) => bot.traffic()), ownCpu: ownCpuMicros() };
}

/** Runs `count` jobs, at most `concurrency` at a time. */
async function inBatches(count: number, concurrency: number, job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

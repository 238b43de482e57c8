/**
 * The load test's heartbeat (`bench/lib/loadTest.ts`): once a second it
 * collects the bots' echo samples, reads the server's CPU from its /metrics
 * and reports progress; in the measured window it also says when the window
 * is over.
 */
import type { NetBot } from "../../testkit/netBots.ts";
import { ownCpuMicros } from "./processCpu.ts";
import { percentile } from "./report.ts";
import { scrapeMetrics, type MetricsScrape } from "./serverMetrics.ts";

/** What the load test reports about once a second, for its progress line. */
export interface LoadTestProgress {
  phase: "joining" | "measuring";
  /** Clients with a live connection. */
  connected: number;
  clients: number;
  /** Seconds left in the measured window (0 while joining). */
  secondsLeft: number;
  /** Input → echo p99 over the last second, ms (NaN before any sample). */
  echoP99Ms: number;
  /** Share of a core the bots' process used over the last second. */
  clientCoreShare: number;
  /** Share of a core the server used over the last second (from its /metrics). */
  serverCoreShare: number;
  /** Joins refused, bots whose connection ended, and connections dropped and resumed, so far. */
  errors: number;
}

/** Once a second: collects the bots' echo samples, reads the server's CPU, and reports progress; ends the window. */
export class LiveMeter {
  onEchoes: (samples: number[]) => void = () => {};
  finished: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by every start and stop, so a beat still awaiting a scrape knows it is stale. */
  private run = 0;
  private readonly url: string;
  private readonly bots: readonly NetBot[];
  private readonly options: MeterOptions;
  private readonly errors: { joinFailures: number };

  constructor(url: string, bots: readonly NetBot[], options: MeterOptions, errors: { joinFailures: number }) {
    this.url = url;
    this.bots = bots;
    this.options = options;
    this.errors = errors;
  }

  start(phase: LoadTestProgress["phase"], seconds = 0): void {
    this.stop();
    const run = this.run;
    const endsAt = performance.now() + seconds * 1000;
    let last = { at: performance.now(), ownCpu: ownCpuMicros(), serverCpu: Number.NaN };
    let done: () => void = () => {};
    this.finished = new Promise<void>((resolve) => (done = resolve));
    const beat = async () => {
      const now = performance.now();
      const ownCpu = ownCpuMicros();
      const echoes = this.bots.flatMap((bot) => bot.takeEchoLatencies());
      this.onEchoes(echoes);
      const metrics: MetricsScrape | undefined = await scrapeMetrics(this.url);
      if (run !== this.run) return;
      const serverCpu = metrics?.cpuSeconds ?? Number.NaN;
      const elapsed = (now - last.at) / 1000;
      const connected = this.bots.filter((bot) => bot.lostWithCode() === undefined).length;
      this.options.onProgress?.({
        phase, connected, clients: this.options.clients,
        secondsLeft: phase === "measuring" ? Math.max(0, Math.ceil((endsAt - now) / 1000)) : 0,
        echoP99Ms: percentile(echoes, 0.99),
        clientCoreShare: elapsed > 0 ? (ownCpu - last.ownCpu) / 1e6 / elapsed : 0,
        serverCoreShare: elapsed > 0 ? (serverCpu - last.serverCpu) / elapsed : Number.NaN,
        errors: this.errors.joinFailures + (this.bots.length - connected) + this.bots.reduce((sum, bot) => sum + bot.drops(), 0),
      });
      last = { at: now, ownCpu, serverCpu };
      if (phase === "measuring" && now >= endsAt) return done();
      this.timer = setTimeout(beat, Math.min(1000, Math.max(0, endsAt - performance.now()) || 1000));
    };
    this.timer = setTimeout(beat, phase === "measuring" ? Math.min(1000, seconds * 1000) : 1000);
  }

  stop(): void {
    this.run++;
    clearTimeout(this.timer);
  }
}

/** What the meter needs of the load test's options. */
export interface MeterOptions {
  clients: number;
  /** Called about once a second. */
  onProgress?: (progress: LoadTestProgress) => void;
}

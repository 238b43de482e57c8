/**
 * Whether the room registry can be used, and what happens when that changes:
 * one warning when Redis goes, one info line when this process's part of the
 * registry is written back after it returns, the `arena_registry_up` gauge
 * and the `arena_registry_outages_total` counter.
 */
import type { Redis } from "ioredis";
import { Counter, Gauge, type Registry } from "prom-client";
import type { Log } from "../log.ts";
import type { RegistryFaults } from "./guarded.ts";
import type { Reregistration } from "./heal.ts";

/** What the rest of the server asks of the registry's state. */
export interface RegistryStatus {
  /** True while the registry answers and holds this process's part of it. */
  readonly up: boolean;
  /** Outages seen since start. */
  readonly outages: number;
  /** Milliseconds since the registry last came (back) up; Infinity if it never went away. */
  upForMs(): number;
  /** Checks Redis now (a call just failed, say); resolves with `up`. */
  confirm(): Promise<boolean>;
}

/** The embedded matchmaker's registry lives in this process: it never goes away. */
export const EMBEDDED_REGISTRY: RegistryStatus = { up: true, outages: 0, upForMs: () => Infinity, confirm: async () => true };

/** The one warning a process logs when the registry goes away. */
export const REGISTRY_LOST_LOG = "the room registry (Redis) is unavailable: rooms play on; matchmaking, the lobby and /watch answer 503 until it returns";
/** The one info line it logs when its part of the registry is written back. */
export const REGISTRY_BACK_LOG = "the room registry (Redis) is back: this process's rooms are registered again";

/** How often Redis is probed (ms). A closed connection is noticed at once; a paused Redis within a probe and its timeout. */
export const PROBE_INTERVAL_MS = 1000;
/** A probe unanswered for this long counts as Redis away (ms). */
export const PROBE_TIMEOUT_MS = 1000;
/** Every this many probes while up, the process checks its part of the registry is all there. */
const CHECKS_EVERY_PROBES = 5;

/** What the monitor watches and how it rebuilds. */
export interface MonitoredRegistry {
  /** Connections that answer commands (probed with PING). */
  readonly commands: readonly Redis[];
  /** The subscriber connection (must be connected; it takes no PING in subscriber mode on every server). */
  readonly listener: Redis;
  /** Writes this process's part of the registry again. */
  reregister(): Promise<Reregistration>;
  /** Whether this process's part is all there. */
  intact(): Promise<boolean>;
}

/** Watches the Redis behind the registry (`start()`), and rebuilds this process's part when it returns. */
export class RegistryMonitor implements RegistryStatus, RegistryFaults {
  up = true;
  outages = 0;
  private readonly log: Log;
  private readonly registry: MonitoredRegistry;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<boolean> | undefined;
  private probes = 0;
  private changedAt = -Infinity;
  /** Connections to Redis that closed so far: one closing during a re-registration voids it. */
  private closes = 0;

  constructor(log: Log, registry: MonitoredRegistry) {
    this.log = log;
    this.registry = registry;
  }

  /** Starts watching (once this process has registered itself). */
  start(): void {
    for (const connection of [...this.registry.commands, this.registry.listener]) {
      connection.on("close", () => {
        this.closes++;
        this.lost("the connection to Redis closed");
      });
      connection.on("ready", () => void this.confirm());
    }
    this.timer = setInterval(() => void this.confirm(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops watching (before the connections are closed on shutdown, which is no outage). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  upForMs(): number {
    return this.up ? performance.now() - this.changedAt : 0;
  }

  failed(operation: string, error: unknown): void {
    this.log.debug("registry call failed", { operation, error: error instanceof Error ? error.message : String(error) });
    if (this.up) void this.confirm();
  }

  confirm(): Promise<boolean> {
    this.probing ??= this.probe().finally(() => { this.probing = undefined; });
    return this.probing;
  }

  private async probe(): Promise<boolean> {
    // Before start() the process has not registered itself: it is still waiting for its connections,
    // and a write that fails then (one left from an earlier server in the same process, say) is no outage.
    if (this.stopped || this.timer === undefined) return this.up;
    const problem = await this.redisProblem();
    if (problem !== undefined) {
      this.lost(problem);
      return false;
    }
    if (!this.up) {
      const closes = this.closes;
      try {
        const written = await this.registry.reregister();
        // Redis went away again meanwhile (restarted once more, say): what was written may be gone.
        if (this.closes === closes) this.back(written);
      } catch (error) {
        this.log.debug("re-registration failed; trying again", { error: error instanceof Error ? error.message : String(error) });
      }
      return this.up;
    }
    if (++this.probes % CHECKS_EVERY_PROBES === 0) await this.repairGaps();
    return true;
  }

  /** Undefined when every connection is ready and the command ones answer PING in time. */
  private async redisProblem(): Promise<string | undefined> {
    const connections = [...this.registry.commands, this.registry.listener];
    if (connections.some((connection) => connection.status !== "ready")) return "a connection to Redis is down";
    let timer: NodeJS.Timeout | undefined;
    // The verdict waits one turn of the event loop past the deadline: after a stall of this process
    // (GC, a busy machine) the timer fires before the already-arrived answer is read, and must not win.
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => setImmediate(() => resolve("Redis did not answer in time")), PROBE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([Promise.all(this.registry.commands.map((redis) => redis.ping())).then(() => undefined), late]);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private async repairGaps(): Promise<void> {
    try {
      if (await this.registry.intact()) return;
      const written = await this.registry.reregister();
      this.log.info("wrote missing room registry entries again", { ...written });
    } catch {
      // The next probe tells whether Redis went away.
    }
  }

  private lost(reason: string): void {
    if (!this.up || this.stopped) return;
    this.up = false;
    this.outages++;
    this.changedAt = performance.now();
    this.log.warn(REGISTRY_LOST_LOG, { reason });
  }

  private back(written: Reregistration): void {
    const outageSeconds = Math.round((performance.now() - this.changedAt) / 100) / 10;
    this.up = true;
    this.changedAt = performance.now();
    this.log.info(REGISTRY_BACK_LOG, { ...written, outageSeconds });
  }
}

/** `arena_registry_up` and `arena_registry_outages_total`, read from `status` at scrape time. */
export function registerRegistryMetrics(registry: Registry, status: RegistryStatus): void {
  new Gauge({
    name: "arena_registry_up",
    help: "1 while the room registry (Redis, with several processes) answers and holds this process's rooms; 0 during an outage. Always 1 without Redis.",
    registers: [registry],
    collect() { this.set(status.up ? 1 : 0); },
  });
  let counted = 0;
  new Counter({
    name: "arena_registry_outages_total",
    help: "Times this process lost the room registry (Redis went away or stopped answering).",
    registers: [registry],
    collect() {
      this.inc(status.outages - counted);
      counted = status.outages;
    },
  });
}

/**
 * A Redis of its own for an outage test or run: `redis-server` on a free
 * loopback port, nothing saved to disk (so a restart comes back empty, as a
 * restarted cache does), killed, paused and resumed by its pid.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./serverProcess.ts";

/** True when `redis-server` can be run on this machine. */
export const redisServerInstalled: boolean = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

/** One `redis-server` process on a fixed port, which can be stopped and started again there. */
export interface OwnRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** The pid of the running server (undefined while it is down). */
  readonly pid: number | undefined;
  /** SIGKILL: the server and everything in it are gone at once. Resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGSTOP: the server keeps its connections and answers nothing. */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** Starts a new, empty server on the same port; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it for good (SIGKILL by pid); safe to call twice. */
  close(): Promise<void>;
}

/** Starts an empty `redis-server` on a free port and resolves once it answers PING. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    child = started;
    await untilAnswering(port, started);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill("SIGCONT");
    running.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() { return child?.pid; },
    kill,
    pause: () => { child?.kill("SIGSTOP"); },
    resume: () => { child?.kill("SIGCONT"); },
    start: launch,
    close: kill,
  };
}

async function untilAnswering(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited with code ${child.exitCode}`);
    const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === "PONG") return;
    } catch {
      if (performance.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    } finally {
      probe.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { cpus } from "node:os";

import { SERVER_ENTRY, SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from "../server/nodeFlags.ts";

const MAIN = new URL(`../${SERVER_ENTRY}`, import.meta.url).pathname;

/** A game server running as its own process, as `npm start` runs it. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` (`https:` when the server speaks TLS) */
  readonly url: string;
  /** Its JSON log lines so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  /**
   * Sends SIGTERM and waits for the exit (the graceful path); a process still
   * there after `deadlineMs` (30 s by default, well past the server's own
   * shutdown deadline) is killed, so a wedged server cannot hang its caller.
   */
  stop(deadlineMs?: number): Promise<number | null>;
}

/**
 * Starts the server (`server/start.mjs`, with the Node options and environment `npm start` gives it) on a free
 * loopback port with `env` on top of this process's environment, and resolves once it logs "listening" (so LOG_LEVEL must be info or debug). The client is
 * not built or served (`--no-client-build`). The per-address limits are off
 * unless `env` sets them: every bot of a benchmark comes from 127.0.0.1.
 */
export function startServerProcess(env: Record<string, string> = {}, timeoutMs = START_DEADLINE_MS, cpus?: string): Promise<ServerProcess> {
  return startProcess({
    script: MAIN, args: ["--no-client-build"], nodeOptions: SERVER_NODE_FLAGS, env: { ...SERVER_ENVIRONMENT, ...LOOPBACK_CROWD, ...env }, timeoutMs, cpus,
  });
}

/**
 * How long a process may take to listen, at most: a ceiling, not a measure. A server starts in about
 * a second here, and in over 15 s on a machine busy enough (tests in parallel beside a load test).
 */
export const START_DEADLINE_MS = 60_000;

/** Settings for many clients from one address (benchmarks, load tests): no per-address limits. */
const LOOPBACK_CROWD: Readonly<Record<string, string>> = { JOINS_PER_MINUTE_PER_IP: "0", MAX_CONNECTIONS_PER_IP: "0" };

export interface ProcessOptions {
  /** The TypeScript or JavaScript file node runs. */
  script: string;
  /** Options for node itself, before the script (the server's SERVER_NODE_FLAGS). */
  nodeOptions?: readonly string[];
  args?: readonly string[];
  /** On top of this process's environment and the defaults PORT=0, HOST=127.0.0.1, LOG_LEVEL=info. */
  env?: Record<string, string>;
  /** Pins the process to these CPUs (`taskset -c`, e.g. "0") when `taskset` exists; see `canPin`. */
  cpus?: string;
  timeoutMs?: number;
}

/** True when `taskset` is available, so processes can be pinned to cores. */
export const canPin: boolean = process.platform === "linux" && spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0;

/**
 * On a machine with two cores or more (and `taskset`), moves this process and
 * all its threads to CPU 1 and answers "0" for the server's CPU list, so the
 * clients here and the server measured never share a core; undefined otherwise.
 */
export function pinClientsLeavingCpu0(): string | undefined {
  const pinned = canPin && cpus().length >= 2
    && spawnSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], { stdio: "ignore" }).status === 0;
  return pinned ? "0" : undefined;
}

/**
 * Starts any server script that follows the Arena server's start-up protocol:
 * it listens on PORT and logs a JSON line `{"msg":"listening","url":…}` on
 * stderr. Resolves once it has. With `cpus` (and `taskset`), the process runs
 * pinned; `taskset` execs node, so `child.pid` is the server's own pid.
 */
export async function startProcess(options: ProcessOptions): Promise<ServerProcess> {
  const { script, args = [], nodeOptions = [], env = {}, cpus, timeoutMs = START_DEADLINE_MS } = options;
  const command = [process.execPath, ...nodeOptions, script, ...args];
  const [file, ...argv] = cpus !== undefined && canPin ? ["taskset", "-c", cpus, ...command] : command;
  const child = spawn(file, argv, {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        const record = JSON.parse(line) as Record<string, unknown>;
        logs.push(record);
        if (record.msg === "listening") resolve(String(record.url));
      }
    });
    exited.then((code) => reject(new Error(`${script} exited with code ${code} before listening:\n${JSON.stringify(logs)}`)));
    setTimeout(() => reject(new Error(`${script} did not listen within ${timeoutMs} ms`)), timeoutMs).unref();
  });
  let url: string;
  try {
    url = await listening;
  } catch (error) {
    // A server that never came up must not outlive the caller.
    if (child.exitCode === null) child.kill("SIGKILL");
    throw error;
  }
  const { port, protocol } = new URL(url);
  return {
    child, url: `${protocol}//127.0.0.1:${port}`, logs, exited,
    async stop(deadlineMs = 30_000) {
      if (child.exitCode === null) child.kill("SIGTERM");
      const kill = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
      try {
        return await exited;
      } finally {
        clearTimeout(kill);
      }
    },
  };
}

/** A TCP port free on loopback right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

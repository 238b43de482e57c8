/**
 * `npm run cluster -- --procs 3`: several game server processes on this
 * machine, one game. Process i listens on port `--port` + i and tells clients
 * to reach its rooms at `--host`:port (its PUBLIC_ADDRESS); all share the Redis
 * at `--redis`. Any process answers matchmaking, the lobby and the page.
 *
 * Log lines are prefixed with the process's port. SIGINT/SIGTERM drain every
 * process (each stops seating players, warns them, closes its rooms) and exit
 * once all have. A process that dies any other way is started again after a
 * second, on the same port, as a process manager would.
 *
 * Resizing: `-` and Enter in the terminal (or SIGUSR2) shrinks the cluster by
 * its last process, drained through the admin's `POST /api/admin/drain`: its
 * rooms move to the others mid-match and it exits; `+` and Enter starts one
 * more on the next port. ADMIN_PASSWORD is made up here when unset.
 *
 *   --procs N     processes (one per core by default)
 *   --port P      first port (PORT, else 2567)
 *   --host H      the host name clients use to reach this machine (PUBLIC_HOST, else localhost)
 *   --redis URL   the shared Redis (REDIS_URL, else redis://127.0.0.1:6379)
 *   --database URL  the shared PostgreSQL for player records (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { createInterface } from "node:readline";
import { toolFlags, usageError } from "../bench/lib/report.ts";
import { SERVER_ENTRY, SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from "../server/nodeFlags.ts";

const MAIN = new URL(`../${SERVER_ENTRY}`, import.meta.url).pathname;
const RESTART_DELAY_MS = 1000;

const { flags, positional } = toolFlags("cluster", process.argv.slice(2), {
  procs: cpus().length,
  port: Number(process.env.PORT ?? 2567),
  host: process.env.PUBLIC_HOST ?? "localhost",
  redis: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  database: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
});
if (positional.length > 0) usageError("cluster", `unexpected argument ${JSON.stringify(positional[0])}`);
if (!Number.isInteger(flags.procs) || flags.procs < 1 || flags.procs > 64) usageError("cluster", "--procs must be an integer from 1 to 64");

// A token one process signs must pass in every other: they share one AUTH_SECRET (made up here when unset).
const authSecret = process.env.AUTH_SECRET ?? randomBytes(32).toString("base64url");
const adminPassword = process.env.ADMIN_PASSWORD ?? randomBytes(16).toString("base64url");
/** Ports of processes drained on purpose (a shrink): not started again when they exit. */
const removed = new Set<number>();
await buildClientOnce();
const running = new Map<number, ChildProcess>();
let stopping = false;
for (let i = 0; i < flags.procs; i++) start(flags.port + i);
process.stderr.write(`cluster: ${flags.procs} processes on ports ${flags.port}–${flags.port + flags.procs - 1}, Redis ${flags.redis}; open http://${flags.host}:${flags.port}/\n`);

const stopAll = () => {
  if (stopping) return;
  stopping = true;
  process.stderr.write("cluster: draining every process\n");
  for (const child of running.values()) child.kill("SIGTERM");
};
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);
process.on("SIGUSR2", () => void shrink());
if (process.stdin.isTTY) {
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (line.trim() === "-") void shrink();
    if (line.trim() === "+") start(Math.max(...running.keys(), flags.port - 1) + 1);
  });
}

/** Drains the process on the highest port through the admin route, asked of the lowest: its rooms move to the others. */
async function shrink(): Promise<void> {
  const ports = [...running.keys()].sort((a, b) => a - b);
  if (ports.length < 2 || stopping) {
    process.stderr.write("cluster: not shrinking below one process\n");
    return;
  }
  const last = ports.at(-1)!;
  removed.add(last);
  try {
    const { processId } = await (await fetch(`http://127.0.0.1:${last}/healthz`)).json() as { processId: string };
    const answer = await fetch(`http://127.0.0.1:${ports[0]}/api/admin/drain`, {
      method: "POST", body: JSON.stringify({ processId }),
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`admin:${adminPassword}`).toString("base64")}` },
    });
    process.stderr.write(`cluster: draining the process on port ${last} (${answer.status}); its rooms move to the others\n`);
  } catch (error) {
    removed.delete(last);
    process.stderr.write(`cluster: could not drain port ${last}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

function start(port: number): void {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, MAIN, "--no-client-build"], {
    env: { ...SERVER_ENVIRONMENT, ...process.env, PORT: String(port), PUBLIC_ADDRESS: `${flags.host}:${port}`, REDIS_URL: flags.redis, DATABASE_URL: flags.database, AUTH_SECRET: authSecret, ADMIN_PASSWORD: adminPassword },
    stdio: ["ignore", "inherit", "pipe"],
  });
  running.set(port, child);
  createInterface({ input: child.stderr! }).on("line", (line) => process.stderr.write(`[${port}] ${line}\n`));
  child.on("exit", (code, signal) => {
    running.delete(port);
    if (removed.delete(port)) {
      process.stderr.write(`cluster: the process on port ${port} drained and left; ${running.size} remain\n`);
      return;
    }
    if (stopping) {
      if (running.size === 0) process.exit(0);
      return;
    }
    process.stderr.write(`cluster: the process on port ${port} ended (${signal ?? `code ${code}`}); starting it again\n`);
    setTimeout(() => { if (!stopping) start(port); }, RESTART_DELAY_MS);
  });
}

/** Every process serves the page; build it once here rather than in each of them at the same time. */
async function buildClientOnce(): Promise<void> {
  const clientDir = process.env.CLIENT_DIR ?? new URL("../dist/client", import.meta.url).pathname;
  if (existsSync(`${clientDir}/index.html`)) return;
  process.stderr.write("cluster: building the client\n");
  const { build } = await import("vite");
  await build({ configFile: new URL("../vite.config.ts", import.meta.url).pathname, logLevel: "warn" });
}

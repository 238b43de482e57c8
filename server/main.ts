import { existsSync, writeSync } from "node:fs";
import { join } from "node:path";
import { createArenaServer, type ArenaServer } from "./app.ts";
import { refusePm2Metrics } from "./colyseusSeams.ts";
import { ConfigError, loadConfig, type ServerConfig } from "./config.ts";
import { createLog, type Log } from "./log.ts";

/** After the shutdown grace period, rooms get this long to close before the process exits anyway. */
const SHUTDOWN_MARGIN_SECONDS = 10;

/** Process entry point: `npm start`. Configuration comes from the environment (README). */
async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Lines written right before the process may die go out synchronously.
  const log = createLog(config.logLevel, (line) => writeSync(2, line));
  installCrashLogging(log);
  // Under `npm run dev` Vite serves the client itself.
  if (!process.argv.includes("--no-client-build")) await buildClientIfMissing(config.clientDir, log.info);
  if (config.security.authSecretGenerated) {
    log.warn("AUTH_SECRET is not set: using a random secret for this process. Tokens will not survive a restart or work on other processes; set AUTH_SECRET (required with NODE_ENV=production).");
  }
  refusePm2Metrics();
  const server = await createArenaServer(config, { log });
  const port = await server.listen();
  handleShutdownSignals(server, config, log);
  const scheme = config.security.tls ? "https" : "http";
  log.info("listening", {
    url: `${scheme}://localhost:${port}/`, tickHz: config.tickHz, patchHz: config.patchHz,
    monitor: config.security.adminPassword !== undefined ? `${scheme}://localhost:${port}/monitor` : undefined,
  });
}

/**
 * SIGTERM/SIGINT: the matchmaker stops seating players here at once, every room
 * tells its players it closes in SHUTDOWN_GRACE_SECONDS and then closes with
 * code 4001, and the process exits 0. If rooms have not closed by the grace
 * period plus a margin, it exits 0 anyway: a shutdown never hangs.
 */
function handleShutdownSignals(server: ArenaServer, config: ServerConfig, log: Log): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const deadlineSeconds = config.shutdownGraceSeconds + SHUTDOWN_MARGIN_SECONDS;
    log.warn("shutting down", { signal, graceSeconds: config.shutdownGraceSeconds, deadlineSeconds });
    setTimeout(() => {
      log.warn("shutdown deadline passed; exiting with rooms still open", { deadlineSeconds });
      process.exit(0);
    }, deadlineSeconds * 1000).unref();
    server.close().then(
      () => {
        log.info("shut down", { signal });
        process.exit(0);
      },
      (error: unknown) => {
        log.error("shutdown failed", { error });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // An admin's POST /api/admin/drain (scale-down) drains as SIGTERM does.
  server.onDrainRequested(() => stop("SIGTERM"));
}

/**
 * An exception nothing caught gets one complete log line before the process
 * ends: the state it left behind cannot be trusted. A promise rejection nothing
 * handled is logged as an error and the process goes on: it is a call whose
 * outcome nobody waited for (every registry call is guarded, see
 * server/registry/guarded.ts; this is the last line of defence, not the
 * defence), and ending the process would end every match in it.
 */
function installCrashLogging(log: Log): void {
  process.on("uncaughtException", (error) => {
    log.error("crashed: uncaught exception", { error });
    process.exit(1);
  });
  process.on("unhandledRejection", (reason) => {
    log.error("unhandled promise rejection (the process goes on)", { error: reason instanceof Error ? reason : String(reason) });
  });
}

/** `npm start` on a fresh clone: build the client once so the page can be served. */
async function buildClientIfMissing(clientDir: string, info: (msg: string, fields?: Record<string, unknown>) => void): Promise<void> {
  if (existsSync(join(clientDir, "index.html"))) return;
  info("building the client (first start)", { outDir: clientDir });
  const { build } = await import("vite");
  await build({ configFile: new URL("../vite.config.ts", import.meta.url).pathname, logLevel: "warn" });
}

main().catch((error: unknown) => {
  writeSync(2, `Arena failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});

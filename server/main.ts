import { existsSync } from "node:fs";
import { join } from "node:path";
import { createArenaServer } from "./app.ts";
import { ConfigError, loadConfig, type ServerConfig } from "./config.ts";
import { createLog } from "./log.ts";

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
  const log = createLog(config.logLevel);
  // Under `npm run dev` Vite serves the client itself.
  if (!process.argv.includes("--no-client-build")) await buildClientIfMissing(config.clientDir, log.info);
  const server = createArenaServer(config, { handleSignals: true, log });
  server.colyseus.onShutdown(() => log.info("shut down"));
  const port = await server.listen();
  log.info("listening", { url: `http://localhost:${port}/`, tickHz: config.tickHz, patchHz: config.patchHz });
}

/** `npm start` on a fresh clone: build the client once so the page can be served. */
async function buildClientIfMissing(clientDir: string, info: (msg: string, fields?: Record<string, unknown>) => void): Promise<void> {
  if (existsSync(join(clientDir, "index.html"))) return;
  info("building the client (first start)", { outDir: clientDir });
  const { build } = await import("vite");
  await build({ configFile: new URL("../vite.config.ts", import.meta.url).pathname, logLevel: "warn" });
}

main().catch((error: unknown) => {
  process.stderr.write(`Arena failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});

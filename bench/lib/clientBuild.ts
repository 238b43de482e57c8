import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { build } from "vite";

/**
 * A production build of the client (the project's vite.config.ts, precompressed
 * copies included) into `outDir`, emptied first; for benchmarks that serve the
 * page as it ships.
 */
export async function buildClient(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    configFile: new URL("../../vite.config.ts", import.meta.url).pathname,
    build: { outDir, emptyOutDir: true },
    logLevel: "warn",
  });
}

/**
 * What a server process serving a built client needs on top of its defaults.
 * Vite's build sets NODE_ENV=production in the building process, and children
 * inherit it: a production server refuses to start without its own AUTH_SECRET.
 */
export function servingEnv(clientDir: string): Record<string, string> {
  return { CLIENT_DIR: clientDir, LOG_LEVEL: "info", AUTH_SECRET: randomBytes(32).toString("hex") };
}

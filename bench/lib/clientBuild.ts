import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
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
 * A production build of the client as it was at git revision `rev` (its own
 * sources and vite.config.ts, this checkout's node_modules) into `outDir`: a
 * baseline to measure beside the current build under the same conditions.
 * The revision's tree is written under `scratchDir` first (emptied).
 */
export async function buildClientAt(rev: string, scratchDir: string, outDir: string): Promise<void> {
  const root = new URL("../../", import.meta.url).pathname;
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(scratchDir, { recursive: true });
  execFileSync("sh", ["-c", `git -C "${root}" archive "$1" | tar -x -C "${scratchDir}"`, "sh", rev], { stdio: ["ignore", "ignore", "inherit"] });
  symlinkSync(join(root, "node_modules"), join(scratchDir, "node_modules"));
  rmSync(outDir, { recursive: true, force: true });
  // The config's `root: "client"` is relative to the working directory: given here as a path.
  await build({ configFile: join(scratchDir, "vite.config.ts"), root: join(scratchDir, "client"), build: { outDir, emptyOutDir: true }, logLevel: "warn" });
}

/**
 * What a server process serving a built client needs on top of its defaults.
 * Vite's build sets NODE_ENV=production in the building process, and children
 * inherit it: a production server refuses to start without its own AUTH_SECRET.
 */
export function servingEnv(clientDir: string): Record<string, string> {
  return { CLIENT_DIR: clientDir, LOG_LEVEL: "info", AUTH_SECRET: randomBytes(32).toString("hex") };
}

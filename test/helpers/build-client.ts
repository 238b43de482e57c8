import { build } from "vite";

/** Where the browser tests' server finds the client, built once per test run. */
export const TEST_CLIENT_DIR = new URL("../../test-output/client/", import.meta.url).pathname;

/** Vitest global setup: one production build of the client for every browser test file. */
export async function setup(): Promise<void> {
  await build({
    configFile: new URL("../../vite.config.ts", import.meta.url).pathname,
    build: { outDir: TEST_CLIENT_DIR, emptyOutDir: true },
    logLevel: "warn",
  });
}

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const SERVER = new URL("../../server/", import.meta.url).href;

/**
 * Builds a server in a fresh Node process with `config` over the defaults,
 * starts it and closes it, and answers every module URL that process loaded.
 */
function modulesLoadedBy(config: Record<string, unknown>): string[] {
  const script = `
    import { registerHooks } from "node:module";
    const loaded = new Set();
    registerHooks({ load(url, context, next) { loaded.add(url); return next(url, context); } });
    const { loadConfig } = await import(${JSON.stringify(`${SERVER}config.ts`)});
    const { createArenaServer } = await import(${JSON.stringify(`${SERVER}app.ts`)});
    const { createLog } = await import(${JSON.stringify(`${SERVER}log.ts`)});
    const config = loadConfig({}, { port: 0, host: "127.0.0.1", shutdownGraceSeconds: 0, resultsSpoolDir: undefined, ...${JSON.stringify(config)} });
    const server = await createArenaServer(config, { log: createLog("warn") });
    await server.listen();
    await server.close();
    process.stdout.write(JSON.stringify([...loaded]));
    process.exit(0);
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, LOG_LEVEL: "warn" } });
  expect(run.stderr).not.toMatch(/Error/);
  return JSON.parse(run.stdout) as string[];
}

/** What a process on its own never needs, and so never loads: each is megabytes of an idle server (docs/benchmarks.md, "Memory over time"). */
describe("what a server loads at start", () => {
  it("loads neither the Redis clients without REDIS_URL nor pg on SQLite", () => {
    const loaded = modulesLoadedBy({ database: { kind: "sqlite", path: ":memory:" } });
    expect(loaded.some((url) => url.includes("/server/app.ts"))).toBe(true);
    for (const dependency of ["ioredis", "@colyseus/redis-driver", "@colyseus/redis-presence", "pg"]) {
      expect(loaded.filter((url) => url.includes(`/node_modules/${dependency}/`)), dependency).toEqual([]);
    }
  }, 30_000);
});

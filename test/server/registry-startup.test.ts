/**
 * A process started while Redis is away (on a Redis this file starts on a
 * port of its own): it waits for Redis, says so once, and serves once it is
 * there.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { freePort, START_DEADLINE_MS } from "../../testkit/serverProcess.ts";
import { takeSeat } from "../helpers/cluster.ts";
import { ownRedisAvailable, useOwnRedis } from "../helpers/ownRedis.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { waitFor } from "../helpers/server.ts";

describe.skipIf(!ownRedisAvailable)("a process started while Redis is away", () => {
  const ownRedis = useOwnRedis();

  it("waits for Redis, says so once, and serves once it is there", async () => {
    const redis = ownRedis();
    await redis.kill();
    const port = await freePort();
    // A process on Redis keeps its player records in PostgreSQL (a scratch database of its own).
    const records = await createTestDatabase();
    const child = spawn(process.execPath, [new URL("../../server/main.ts", import.meta.url).pathname, "--no-client-build"], {
      env: {
        ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info", REDIS_URL: redis.url, DATABASE_URL: records.url,
        PUBLIC_ADDRESS: `127.0.0.1:${port}`, AUTH_SECRET: "outage-test-secret-for-one-process",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const said: string[] = [];
    createInterface({ input: child.stderr! }).on("line", (line) => { if (line.startsWith("{")) said.push(String(JSON.parse(line).msg)); });
    try {
      // Ceilings: the process starts, and then says so after 3 s of waiting; on a busy machine its start alone can take 15 s.
      await waitFor(() => said.includes("waiting for Redis before registering this process"), { timeoutMs: START_DEADLINE_MS, message: "the process to say it waits for Redis" });
      expect(said).not.toContain("listening");
      await redis.start();
      await waitFor(() => said.includes("listening"), { timeoutMs: START_DEADLINE_MS, message: () => `the process to listen once Redis is there (${said.join(" | ")})` });
      expect(said.filter((msg) => msg === "waiting for Redis before registering this process")).toHaveLength(1);
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as { registry: string };
      expect(health.registry).toBe("up");
      const seat = await takeSeat(`http://127.0.0.1:${port}`, "joinOrCreate", { name: "First" });
      await seat.room.leave(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      await records.drop();
    }
  }, 3 * START_DEADLINE_MS);
});

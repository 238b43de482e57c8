/**
 * A Redis server of the test's own (`redis-server` on a free port, nothing on
 * disk), for tests that kill, pause and restart it: never the shared one at
 * 127.0.0.1:6379. Without `redis-server` those tests are skipped with a
 * warning; under `CI=true` that is a failure.
 */
import { afterAll, beforeAll } from "vitest";
import { redisServerInstalled, startOwnRedis, type OwnRedis } from "../../testkit/redisServer.ts";

export { startOwnRedis, type OwnRedis } from "../../testkit/redisServer.ts";

/** True when `redis-server` can be started here. */
export const ownRedisAvailable: boolean = redisServerInstalled;

if (!ownRedisAvailable) {
  const message = "redis-server is not installed: the Redis outage tests cannot run (apt-get install redis-server, or run .ci/run).";
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`\n*** ${message} They are skipped. ***\n`);
}

/** Registers `beforeAll`/`afterAll` in the current describe: a Redis of its own for its tests, stopped after them. */
export function useOwnRedis(): () => OwnRedis {
  let redis: OwnRedis | undefined;
  beforeAll(async () => {
    redis = await startOwnRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.close();
  }, 30_000);
  return () => redis!;
}

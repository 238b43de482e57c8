/**
 * The two ways a server keeps its rooms, for `describe.each`: embedded (in
 * memory, one process) and on the Redis at 127.0.0.1:6379 (`.ci/run` starts
 * one). Each test file that uses Redis owns one logical database of its own
 * (`redis://127.0.0.1:6379/<db>`), emptied before it starts, so files running
 * in parallel never see each other's rooms. Without a reachable Redis the Redis
 * variants are skipped with a warning; under `CI=true` that is a failure.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";

export interface Backend {
  /** For the test titles: "embedded" or "Redis". */
  name: string;
  /** Unset: the embedded matchmaker. */
  redisUrl?: string;
}

const REDIS_HOST = "127.0.0.1:6379";

/** True when a Redis answers at 127.0.0.1:6379; checked once per test file. */
export const redisAvailable: boolean = await pingRedis();

if (!redisAvailable) {
  const message = `No Redis at ${REDIS_HOST}: the Redis-backed tests cannot run (install redis-server, or run .ci/run).`;
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`\n*** ${message} They are skipped. ***\n`);
}

/** The URL of test database `db` (1–15; each test file picks its own). */
export function redisTestUrl(db: number): string {
  return `redis://${REDIS_HOST}/${db}`;
}

/**
 * Embedded, and Redis on database `db` when a Redis is reachable; registers
 * hooks that empty that database before the file's tests and close the
 * connection after them.
 */
export function backends(db: number): Backend[] {
  if (!redisAvailable) return [{ name: "embedded" }];
  useEmptyRedisDatabase(db);
  return [{ name: "embedded" }, { name: "Redis", redisUrl: redisTestUrl(db) }];
}

/** Empties test database `db` before the file's tests; returns a getter for a plain Redis client on it. */
export function useEmptyRedisDatabase(db: number): () => Redis {
  let redis: Redis | undefined;
  beforeAll(async () => {
    redis = new Redis(redisTestUrl(db));
    await redis.flushdb();
  });
  afterAll(async () => {
    await redis?.quit();
  });
  return () => {
    if (!redis) throw new Error("useEmptyRedisDatabase: only inside a test");
    return redis;
  };
}

/** Keys in the database that do not expire by themselves (Colyseus' short-lived locks do). */
export async function lastingKeys(redis: Redis): Promise<string[]> {
  const keys = await redis.keys("*");
  const ttls = await Promise.all(keys.map((key) => redis.ttl(key)));
  return keys.filter((_key, index) => ttls[index] === -1).sort();
}

async function pingRedis(): Promise<boolean> {
  // A Redis that is not there refuses at once; the long deadline is for one on a busy machine.
  const redis = new Redis(`redis://${REDIS_HOST}`, { lazyConnect: true, connectTimeout: 30_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

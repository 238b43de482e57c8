/**
 * The Redis connections behind the room registry, with settings chosen for
 * riding through an outage rather than ioredis' defaults, which queue every
 * command while Redis is away and reject it ~20 reconnection attempts later
 * (`MaxRetriesPerRequestError`), into promises Colyseus often leaves unawaited.
 */
import { Redis, type RedisOptions } from "ioredis";
import type { Log } from "../log.ts";

/** Longest wait between two reconnection attempts (ms): Redis is found again within about a second of its return. */
export const RECONNECT_MAX_DELAY_MS = 1000;

/** How long one command may go unanswered (ms) before it fails: a paused or stuck Redis answers nothing. */
export const COMMAND_TIMEOUT_MS = 2000;

/**
 * The settings of every registry connection (docs/hosting.md, "When Redis goes away"):
 * - `retryStrategy`: reconnect forever, 100 ms, 200 ms, … then every second; never give up,
 *   since the rooms outlive any outage and the registry must be rebuilt when Redis returns.
 * - `enableOfflineQueue: false`: a command issued while disconnected fails at once instead of
 *   waiting in memory; a join is answered 503 now, not after a minute.
 * - `maxRetriesPerRequest: 0` and `autoResendUnfulfilledCommands: false`: commands in flight
 *   when the connection drops fail at once and are never replayed later; stale writes
 *   replayed into a restarted Redis could bring back rooms that ended. The registry is
 *   rewritten from the rooms themselves instead (`heal.ts`).
 * - `commandTimeout`: a command unanswered for COMMAND_TIMEOUT_MS fails (a paused Redis keeps
 *   its connections open and answers nothing).
 * - `connectTimeout`: a connection attempt gives up after 2 s and the strategy tries again.
 * - `autoResubscribe: false`: ioredis' own resubscription on reconnection is a promise nobody
 *   awaits, rejected unhandled when the connection is lost again at once. RedisPresence
 *   subscribes again to every channel when its subscriber is ready (guarded.ts reports a
 *   failure), and heal.ts once more when Redis is back.
 */
export const REGISTRY_CLIENT_OPTIONS: RedisOptions = {
  retryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  commandTimeout: COMMAND_TIMEOUT_MS,
  connectTimeout: 2000,
  autoResubscribe: false,
};

/** The two connections the registry starts with: Colyseus' presence (it adds its subscriber) and driver. */
export interface RegistryConnections {
  readonly presence: Redis;
  readonly driver: Redis;
}

/** Opens the connections to `redisUrl`; connection errors go to the debug log (the monitor reports outages once). */
export function openRegistryConnections(redisUrl: string, log: Log): RegistryConnections {
  const open = (role: string) => {
    const redis = new Redis(redisUrl, { ...REGISTRY_CLIENT_OPTIONS, connectionName: `arena-${role}` });
    redis.on("error", (error: Error) => log.debug("registry connection error", { role, error: error.message }));
    return redis;
  };
  return { presence: open("presence"), driver: open("driver") };
}

/**
 * Resolves once every one of `connections` is ready. Without an offline queue
 * nothing may be sent before that, so a process waits here before it
 * registers itself; it keeps trying (and says so once, after 3 s) while Redis
 * is not there yet.
 */
export async function whenReady(connections: readonly Redis[], log: Log): Promise<void> {
  const warning = setTimeout(() => log.warn("waiting for Redis before registering this process"), 3000);
  try {
    await Promise.all(connections.map((redis) => readyOnce(redis)));
  } finally {
    clearTimeout(warning);
  }
}

function readyOnce(redis: Redis): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const ready = () => { redis.off("end", ended); resolve(); };
    const ended = () => { redis.off("ready", ready); reject(new Error("the Redis connection was closed before it was ready")); };
    redis.once("ready", ready);
    redis.once("end", ended);
  });
}

/**
 * Server processes that share one port and one Redis (the file's own), the
 * way a zero-downtime restart runs them, for the tests of rooms moving on
 * drain; and what those tests wait on of an SDK client.
 */
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startServerProcess, type ServerProcess } from "../../testkit/serverProcess.ts";
import { takeSeat, type Seat } from "./cluster.ts";
import { useOwnRedis } from "./ownRedis.ts";
import { createTestDatabase } from "./postgres.ts";
import { waitFor, type ArenaClientRoom } from "./server.ts";

/** Every process of one deployment signs and checks tokens with the same secret. */
const AUTH_SECRET = "migration-test-secret-shared-by-every-process";

export interface MovingProcesses {
  /** A server process at 127.0.0.1:`port` (`env` on top of the defaults: MIN_PLAYERS 4, RECONNECT_SECONDS 30). */
  startAt(port: number, env?: Record<string, string>): Promise<ServerProcess>;
  /** A seat taken as `takeSeat` does, left after the test. */
  seat(...args: Parameters<typeof takeSeat>): Promise<Seat>;
  /** Seats the test took otherwise, to be left after it. */
  readonly seats: Seat[];
}

/**
 * Registers, in the current describe, a Redis and a PostgreSQL database of its
 * own and, after each test, leaves every seat, kills every process it started
 * and empties the Redis once they have exited.
 */
export function useMovingProcesses(): MovingProcesses {
  const ownRedis = useOwnRedis();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const processes: ServerProcess[] = [];
  const seats: Seat[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  afterEach(async () => {
    await Promise.allSettled(seats.splice(0).filter(({ room }) => room.connection.isOpen).map(({ room }) => room.leave(true)));
    const stopped = processes.splice(0);
    for (const server of stopped) {
      if (server.child.signalCode === "SIGSTOP") server.child.kill("SIGCONT");
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    }
    // The next test starts a deployment of its own: nothing of this one's (its killed processes'
    // registrations, room listings and leases, rooms written for an address) may be found in Redis.
    await Promise.all(stopped.map((server) => server.exited));
    const redis = new Redis(ownRedis().url, { maxRetriesPerRequest: 1 });
    try {
      await redis.flushall();
    } finally {
      redis.disconnect();
    }
  });
  return {
    seats,
    async startAt(port, env = {}) {
      const server = await startServerProcess({
        PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, REDIS_URL: ownRedis().url, DATABASE_URL: database.url,
        AUTH_SECRET, MIN_PLAYERS: "4", SHUTDOWN_GRACE_SECONDS: "1", RECONNECT_SECONDS: "30", ...env,
      });
      processes.push(server);
      return server;
    },
    async seat(...args) {
      const taken = await takeSeat(...args);
      seats.push(taken);
      return taken;
    },
  };
}

/** The lines `server` logged with message `msg`. */
export function logOf(server: ServerProcess, msg: string): Array<Record<string, unknown>> {
  return server.logs.filter((line) => line.msg === msg);
}

/** Resolves once `room`'s SDK says it reconnected (its own reconnection, the same Room object). */
export function reconnectionOf(room: ArenaClientRoom): Promise<void> {
  return new Promise((resolve) => room.onReconnect.once(() => resolve()));
}

/**
 * The SDK reconnects by itself only once `reconnection.minUptime` (5 s by default) has passed since
 * the room was first joined: waits until the SDK's own test of that passes. Its clock starts at the
 * first join (`joinedAtTime`, protected in the SDK's typings) and runs on through reconnections, so
 * after a move there is nothing left to wait for.
 */
export async function pastMinUptime(room: ArenaClientRoom): Promise<void> {
  await waitFor(() => room.state.timeLeft > 0, { message: "the room's state" });
  const { joinedAtTime } = room as unknown as { joinedAtTime: number };
  expect(joinedAtTime).toBeGreaterThan(0);
  const { minUptime } = room.reconnection;
  await waitFor(() => Date.now() - joinedAtTime >= minUptime, { timeoutMs: minUptime + 5000, message: `${minUptime} ms since the room was joined` });
}

/**
 * Many processes, one game: the choice between the embedded matchmaker (one
 * process, in memory) and Colyseus' Redis presence and driver, plus what
 * Colyseus leaves to the host about crashed processes and Redis outages.
 *
 * With Redis, a room lives in exactly one process; the room registry (driver)
 * and presence (pub/sub, the lobby's updates, seat reservations between
 * processes) are shared, and each process tells clients where to reach it
 * through its public address. Nothing here is clustering of our own. When
 * Redis goes away the rooms play on and the registry is rebuilt from them when
 * it returns (`registry/`: guarded calls, the monitor, re-registration).
 */
import { matchMaker, type MatchMakerDriver, type Presence, type Room } from "@colyseus/core";
import type { Redis } from "ioredis";
import type { Log } from "./log.ts";
import { announceToLobbies, listingOf, PROCESS_CHANNEL_PREFIX, stopAnsweringFor } from "./colyseusSeams.ts";
import type { RegistryFaults } from "./registry/guarded.ts";
import { registerAgain, registrationIntact, type RegistryParts } from "./registry/heal.ts";
import type { LocalRooms } from "./registry/localRooms.ts";
import { EMBEDDED_REGISTRY, RegistryMonitor, type RegistryStatus } from "./registry/monitor.ts";

/** What `defineServer` gets: nothing (the in-memory defaults), or the Redis pair and where new rooms go. */
export interface SharedMatchmaking {
  presence?: Presence;
  driver?: MatchMakerDriver;
  selectProcessIdToCreateRoom?: () => Promise<string>;
}

/** The matchmaking a process shares with the others, and the state of its registry. */
export interface Matchmaking {
  /** For `defineServer`. */
  readonly shared: SharedMatchmaking;
  readonly registry: RegistryStatus;
  /** Resolves once Redis is ready to take this process's registration (at once when embedded). */
  ready(): Promise<void>;
  /** Starts watching the registry and sweeping crashed processes (after `listen`). */
  start(): void;
  /** Stops both (before shutdown closes the connections). */
  stop(): void;
  /** With Redis: what moving rooms between processes needs of it (server/migration/). */
  readonly moves?: SharedMoves;
}

/** A Redis connection for snapshots and leases, pub/sub, and taking a room out of the registry before it moves. */
export interface SharedMoves {
  readonly redis: Redis;
  readonly presence: Presence;
  /** Removes `room`'s registry entry and ignores this process's later writes for it; stops answering calls to it. */
  detach(room: Room): Promise<void>;
}

/**
 * Redis presence and driver on `redisUrl` (guarded, watched, rebuilt after
 * an outage) and the placement below, or the in-memory defaults when it is
 * unset. `rooms` are this process's own rooms.
 *
 * The Redis clients (`@colyseus/redis-presence`, `@colyseus/redis-driver`,
 * ioredis) are loaded here, only when `redisUrl` is set: a process that runs
 * alone never loads them, a few megabytes of an idle server (docs/benchmarks.md,
 * "Memory over time").
 */
export async function sharedMatchmaking(redisUrl: string | undefined, log: Log, rooms: LocalRooms): Promise<Matchmaking> {
  if (redisUrl === undefined) return { shared: {}, registry: EMBEDDED_REGISTRY, ready: async () => {}, start() {}, stop() {} };
  const [{ GuardedRedisDriver, GuardedRedisPresence }, { openRegistryConnections, whenReady }] = await Promise.all([
    import("./registry/guarded.ts"), import("./registry/redisClients.ts"),
  ]);
  const connections = openRegistryConnections(redisUrl, log);
  const faults: RegistryFaults = { failed: (operation, error) => monitor.failed(operation, error) };
  const parts: RegistryParts = {
    presence: new GuardedRedisPresence(connections.presence, faults, log),
    driver: new GuardedRedisDriver(connections.driver, faults),
    rooms,
  };
  const monitor = new RegistryMonitor(log, {
    commands: [parts.presence.commands, connections.driver],
    listener: parts.presence.listener,
    reregister: () => registerAgain(parts),
    intact: () => registrationIntact(parts),
  });
  let stopSweeping = () => {};
  return {
    shared: { presence: parts.presence, driver: parts.driver, selectProcessIdToCreateRoom: leastLoadedProcess },
    registry: monitor,
    moves: {
      redis: connections.driver,
      presence: parts.presence,
      async detach(room) {
        await parts.driver.detach(listingOf(room));
        stopAnsweringFor(room.roomId);
      },
    },
    async ready() {
      await whenReady([connections.presence, connections.driver, parts.presence.listener], log);
    },
    start() {
      monitor.start();
      stopSweeping = sweepCrashedProcesses(log, monitor);
    },
    stop() {
      monitor.stop();
      stopSweeping();
    },
  };
}

/**
 * Where a new room goes (Colyseus' `selectProcessIdToCreateRoom`): the process
 * with the fewest rooms, then the fewest clients, this one on a tie (no hop).
 * Colyseus' default reads per-process counts it writes at most once a second,
 * so a burst of new rooms would all land on one process; the room registry
 * read here is written as each room is created. Draining processes have left
 * the shared stats and are never chosen.
 */
export async function leastLoadedProcess(): Promise<string> {
  const [processes, rooms] = await Promise.all([matchMaker.stats.fetchAll(), matchMaker.query({})]);
  const load = new Map(processes.map(({ processId }) => [processId, { rooms: 0, clients: 0 }]));
  for (const room of rooms) {
    const counted = load.get(room.processId);
    if (!counted) continue;
    counted.rooms++;
    counted.clients += room.clients;
  }
  let best = matchMaker.processId;
  let bestLoad = load.get(best) ?? { rooms: Infinity, clients: Infinity };
  for (const [processId, candidate] of load) {
    if (candidate.rooms < bestLoad.rooms || (candidate.rooms === bestLoad.rooms && candidate.clients < bestLoad.clients)) {
      best = processId;
      bestLoad = candidate;
    }
  }
  return best;
}

/** How often each process looks for crashed peers. */
export const CRASH_SWEEP_INTERVAL_MS = 2000;

/**
 * Keeps the shared registry clean of processes that died without shutting
 * down (`kill -9`, a lost machine). Colyseus health-checks its peers only when
 * a process starts or a seat reservation times out, so a dead process's rooms
 * would stay listed, and keep attracting quick play, until then.
 *
 * Every `intervalMs`, each process compares the processes registered in the
 * shared stats with the ones still subscribed to their own channel (Redis drops
 * a subscription the moment its connection closes). A missing one is
 * health-checked by Colyseus (`healthCheckProcessId`, which times out after
 * 2 s and then removes the process and its rooms); its rooms are then taken out
 * of every lobby. So a crashed process's rooms leave the list within about
 * `intervalMs` + 2 s. Returns a function that stops the sweeps.
 *
 * The sweep pauses while the registry is away and for two intervals after it
 * returns: every process is then writing its part again, and one that has not
 * yet must not be taken for dead.
 */
export function sweepCrashedProcesses(log: Log, registry: RegistryStatus, intervalMs = CRASH_SWEEP_INTERVAL_MS): () => void {
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (registry.upForMs() < 2 * intervalMs) return;
    const outagesBefore = registry.outages;
    sweeping ??= sweepOnce(log)
      .catch(async (error: unknown) => {
        const fields = { error: error instanceof Error ? error.message : String(error) };
        // Redis going away is the monitor's to report, once; anything else is the sweep's own failure.
        // A sweep caught by an outage (even one already over, as a short pause is) failed because of it.
        const up = await registry.confirm();
        if (up && registry.outages === outagesBefore) log.warn("crash sweep failed", fields);
        else log.debug("crash sweep stopped: the registry is away", fields);
      })
      .finally(() => { sweeping = undefined; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

async function sweepOnce(log: Log): Promise<void> {
  if (matchMaker.state !== matchMaker.MatchMakerState.READY) return;
  const subscribed = new Set((await matchMaker.presence.channels(`${PROCESS_CHANNEL_PREFIX}*`))
    .map((channel) => channel.slice(PROCESS_CHANNEL_PREFIX.length)));
  const silent = (await matchMaker.stats.fetchAll())
    .map((stat) => stat.processId)
    .filter((processId) => processId !== matchMaker.processId && !subscribed.has(processId));
  await Promise.all(silent.map(async (processId) => {
    const rooms = await matchMaker.query({ processId });
    if (await matchMaker.healthCheckProcessId(processId)) return;
    // The driver forgot them; lobbies learn it the way they learn any removal.
    for (const listing of rooms) announceToLobbies(listing, true);
    log.warn("removed a process that stopped answering", { processId, rooms: rooms.length });
  }));
}

/**
 * Many processes, one game: the choice between the embedded matchmaker (one
 * process, in memory) and Colyseus' Redis presence and driver, plus what
 * Colyseus leaves to the host about crashed processes.
 *
 * With Redis, a room lives in exactly one process; the room registry (driver)
 * and presence (pub/sub, the lobby's updates, seat reservations between
 * processes) are shared, and each process tells clients where to reach it
 * through its public address. Nothing here is clustering of our own.
 */
import { matchMaker, updateLobby, type MatchMakerDriver, type Presence, type Room } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import type { Log } from "./log.ts";

/** What `defineServer` gets: nothing (the in-memory defaults), or the Redis pair and where new rooms go. */
export interface SharedMatchmaking {
  presence?: Presence;
  driver?: MatchMakerDriver;
  selectProcessIdToCreateRoom?: () => Promise<string>;
}

/** Redis presence and driver on `redisUrl` and the placement below, or the in-memory defaults when it is unset. */
export function sharedMatchmaking(redisUrl: string | undefined): SharedMatchmaking {
  if (redisUrl === undefined) return {};
  return { presence: new RedisPresence(redisUrl), driver: new RedisDriver(redisUrl), selectProcessIdToCreateRoom: leastLoadedProcess };
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
 */
export function sweepCrashedProcesses(log: Log, intervalMs = CRASH_SWEEP_INTERVAL_MS): () => void {
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    sweeping ??= sweepOnce(log)
      .catch((error: unknown) => log.warn("crash sweep failed", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => { sweeping = undefined; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

async function sweepOnce(log: Log): Promise<void> {
  if (matchMaker.state !== matchMaker.MatchMakerState.READY) return;
  // Colyseus' process channel is `p:<processId>` (MatchMaker.getProcessChannel).
  const subscribed = new Set((await matchMaker.presence.channels("p:*")).map((channel) => channel.slice(2)));
  const silent = (await matchMaker.stats.fetchAll())
    .map((stat) => stat.processId)
    .filter((processId) => processId !== matchMaker.processId && !subscribed.has(processId));
  await Promise.all(silent.map(async (processId) => {
    const rooms = await matchMaker.query({ processId });
    if (await matchMaker.healthCheckProcessId(processId)) return;
    // The driver forgot them; lobbies learn it the way they learn any removal.
    for (const listing of rooms) updateLobby({ _listing: listing } as unknown as Room, true);
    log.warn("removed a process that stopped answering", { processId, rooms: rooms.length });
  }));
}

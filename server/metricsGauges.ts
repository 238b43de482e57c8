/**
 * The gauges read when Prometheus scrapes (server/metrics.ts registers them):
 * who is in this process's rooms, and the whole deployment as the shared
 * room registry sees it.
 */
import { matchMaker } from "@colyseus/core";
import { Gauge, type Registry } from "prom-client";
import { GAME_ROOM_NAMES } from "../shared/largeMode.ts";
import type { LocalRooms } from "./registry/localRooms.ts";
import type { RegistryStatus } from "./registry/monitor.ts";

interface Occupancy {
  rooms: number;
  clients: number;
  players: number;
  spectators: number;
  bots: number;
}

/**
 * Gauges of who is in this process's arena rooms, read from the room instances
 * when Prometheus scrapes: they cannot drift from the truth. One reading per
 * scrape serves all of them, so they agree with each other.
 */
export function registerOccupancyGauges(registry: Registry, rooms: LocalRooms): void {
  gaugesOfOneReading(registry, async () => readOccupancy(rooms), [
    ["arena_rooms", "Arena rooms running in this process (public and private).", "rooms"],
    ["arena_connected_clients", "Clients connected to arena rooms (CCU): players and spectators; bots have no connection, held seats none yet.", "clients"],
    ["arena_players", "People in player seats, seats held for a reconnect included; bots not.", "players"],
    ["arena_spectators", "Spectators watching.", "spectators"],
    ["arena_bots", "Bots playing.", "bots"],
  ]);
}

/**
 * Gauges whose values come from one reading, taken once per scrape however
 * many of them Prometheus collects, so they agree with each other.
 */
function gaugesOfOneReading<T extends { [K in keyof T]: number }>(
  registry: Registry, read: () => Promise<T>, gauges: ReadonlyArray<readonly [name: string, help: string, of: keyof T]>,
): void {
  let reading: Promise<T> | undefined;
  const current = () => (reading ??= read().finally(() => { reading = undefined; }));
  for (const [name, help, of] of gauges) {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set((await current())[of]);
      },
    });
  }
}

/** What occupancy reads of an arena room (its state as ArenaRoom keeps it). */
interface OccupiedRoom { clients: { length: number }; state: { spectators: number; players: { forEach(visit: (player: { bot: boolean }) => void): void } } }

/** Read from the room instances of this process, so it holds while Redis is away too. */
function readOccupancy(rooms: LocalRooms): Occupancy {
  const total: Occupancy = { rooms: 0, clients: 0, players: 0, spectators: 0, bots: 0 };
  for (const room of rooms.live(GAME_ROOM_NAMES) as unknown as OccupiedRoom[]) {
    total.rooms++;
    total.clients += room.clients.length;
    total.spectators += room.state.spectators;
    room.state.players.forEach((player) => {
      if (player.bot) total.bots++;
      else total.players++;
    });
  }
  return total;
}

/**
 * The whole deployment as the shared room registry sees it: every process on
 * the same Redis (with the embedded matchmaker, just this one). Each process
 * reports the same totals, so a dashboard takes one of them (`max`), not the sum.
 * While the registry is away they read NaN: nothing is known of the others.
 */
export function registerClusterGauges(registry: Registry, roomRegistry: RegistryStatus): void {
  gaugesOfOneReading(registry, async () => {
    const unknown = { processes: NaN, rooms: NaN, clients: NaN };
    if (!roomRegistry.up) return unknown;
    let processes, rooms;
    try {
      [processes, rooms] = await Promise.all([matchMaker.stats.fetchAll(), Promise.all(GAME_ROOM_NAMES.map((name) => matchMaker.query({ name }))).then((lists) => lists.flat())]);
    } catch {
      // Redis went away since the monitor last looked; a scrape never fails for it.
      return unknown;
    }
    // This process counts even before its first stats write reaches the registry.
    const ids = new Set([matchMaker.processId, ...processes.map((stats) => stats.processId)]);
    return { processes: ids.size, rooms: rooms.length, clients: rooms.reduce((sum, room) => sum + room.clients, 0) };
  }, [
    ["arena_cluster_processes", "Game server processes sharing the room registry (1 without Redis).", "processes"],
    ["arena_cluster_rooms", "Arena rooms in every process (public and private).", "rooms"],
    ["arena_cluster_connected_clients", "Clients in the arena rooms of every process (CCU of the whole deployment), as the shared room registry counts them.", "clients"],
  ]);
}

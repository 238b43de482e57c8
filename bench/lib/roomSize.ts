/**
 * The room-size runs: each room filled with network bots (the shared bot
 * brain, one input a tick) in this process, its server in a process of its
 * own started for it (`runLoad`), no server-side bots. First the 16-player
 * arena, the baseline; then for every size a large room with interest
 * management and one with `LARGE_INTEREST=off` (every client sent
 * everything), in turn, so a burst of the machine's other work lands on
 * both rather than on one.
 */
import { LARGE_ROOM_NAME, MAX_VIEW } from "../../shared/largeMode.ts";
import { ROOM_NAME } from "../../shared/protocol.ts";
import type { TransportMix } from "../../testkit/datagrams.ts";
import { runLoad } from "./load.ts";
import { roomLabel, roomSizeRun, type RoomSizeRun } from "./roomSizeFigures.ts";

export interface RoomSizeOptions {
  /** Players in each large room measured, in order. */
  sizes: readonly number[];
  /** Players in the arena room measured as the baseline (16). */
  arenaPlayers: number;
  tickHz: number;
  warmUpSeconds: number;
  seconds: number;
  seed: number;
  /** CPU list for each server process (`taskset -c`). */
  serverCpus?: string;
  transport: TransportMix;
  onProgress?: (line: string) => void;
}

export interface RoomSizeResults {
  arena: RoomSizeRun;
  /** One per size: interest management on, then off. */
  large: RoomSizeRun[];
}

export async function runRoomSizes(options: RoomSizeOptions): Promise<RoomSizeResults> {
  const measure = async (room: RoomSizeRun["room"], players: number, interest: boolean) => {
    const label = roomLabel({ room, players, interest });
    const show = options.onProgress && ((line: string) => options.onProgress!(`${label}: ${line.slice(line.indexOf(":") + 2)}`));
    const env: Record<string, string> = room === "arena"
      ? {}
      // One large room holds them all, and no server-side bot joins it.
      : { LARGE_MAX_PLAYERS: String(players), LARGE_MIN_PLAYERS: "0", LARGE_INTEREST: interest ? "on" : "off", MAX_PLAYERS: "16" };
    const load = await runLoad({
      kind: "arena", rooms: 1, playersPerRoom: players, tickHz: options.tickHz,
      warmUpSeconds: options.warmUpSeconds, seconds: options.seconds, seed: options.seed, serverCpus: options.serverCpus,
      transport: options.transport, env, onProgress: show,
      // A desktop's view: the most a client may be sent.
      room: room === "arena" ? { roomName: ROOM_NAME } : { roomName: LARGE_ROOM_NAME, view: MAX_VIEW },
    });
    if (load.clients !== players) throw new Error(`${label}: ${load.clients} players joined`);
    return roomSizeRun(load, room, interest, options.tickHz);
  };
  const arena = await measure("arena", options.arenaPlayers, true);
  const large: RoomSizeRun[] = [];
  for (const players of options.sizes) {
    large.push(await measure("large", players, true));
    large.push(await measure("large", players, false));
  }
  return { arena, large };
}

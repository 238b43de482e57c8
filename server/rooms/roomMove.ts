import type { Client } from "@colyseus/core";
import { hashWorld } from "../../shared/hash.ts";
import type { ViewSize } from "../../shared/largeMode.ts";
import { snapshotWorld, type WorldSnapshot } from "../../shared/replay.ts";
import { worldFromSnapshot } from "../../shared/replayRun.ts";
import type { WorldState } from "../../shared/worldState.ts";
import type { HeldSeat } from "../colyseusSeams.ts";
import type { SavedBots } from "./bots.ts";
import type { SavedRecording } from "./matchRecorder.ts";
import type { SavedWire } from "./stateMirror.ts";

export const ROOM_SNAPSHOT_FORMAT = "arena-room";
export const ROOM_SNAPSHOT_VERSION = 1;

/**
 * A seat carried to the room's new home: its session id, the reconnection
 * token that alone claims it there, the player's claims (its guest token's),
 * a spectator's name (players' names are in the world), and how long the seat
 * is held there for its client to come back.
 */
export interface MovedSeat extends HeldSeat {
  spectator?: string;
  seconds: number;
  /** The large mode: the view its client asked for when it joined (a phone's is smaller), kept at the new home. */
  view?: ViewSize;
}

/**
 * A whole room as plain JSON, taken at a tick boundary on the old home and
 * restored on the new one under the same room id: the world (the match clock
 * and phase; the RNG is derived from the seed and the tick, so the world is
 * all of it), the room clock clients and projectiles follow, the wire image's
 * reference ids, the bots' minds, every person's seat, and the match being
 * recorded. `hash` is `hashWorld` of `world`, checked on arrival.
 */
export interface RoomSnapshot {
  format: typeof ROOM_SNAPSHOT_FORMAT;
  version: typeof ROOM_SNAPSHOT_VERSION;
  roomId: string;
  /** The room type (`"arena"` when absent: snapshots written before the large mode). */
  roomName?: string;
  private: boolean;
  /** When the room stopped on its old home (ms since the epoch): players' pauses are counted from it. */
  packedAt: number;
  /** The room clock (ms since the room started): server time as clients and projectiles' `bornMs` know it. */
  elapsedMs: number;
  world: WorldSnapshot;
  hash: string;
  wire: SavedWire;
  bots: SavedBots;
  seats: MovedSeat[];
  recording?: SavedRecording;
}

/** What a room hands over to be packed; see `packRoom`. */
export interface RoomContents {
  roomId: string;
  roomName: string;
  private: boolean;
  elapsedMs: number;
  world: WorldState;
  wire: SavedWire;
  bots: SavedBots;
  spectators: ReadonlyMap<string, string>;
  /** Connected clients. */
  clients: Iterable<Client>;
  /** Seats held for lost connections, and when each hold ends (ms since the epoch). */
  held: readonly HeldSeat[];
  heldUntil: ReadonlyMap<string, number>;
  /** How long a connected client's seat is held at the new home. */
  reconnectSeconds: number;
  /** The large mode: the view a seat's client asked for (undefined in the arena). */
  viewOf?(sessionId: string): ViewSize | undefined;
  recording?: SavedRecording;
}

/** A connected client gets at least this long to reach the room's new home, whatever RECONNECT_SECONDS says. */
const MOVE_RECONNECT_MIN_SECONDS = 10;

/** Packs a room (stopped at a tick boundary) into its snapshot. Bots have no seat: they are in the world and `bots`. */
export function packRoom(room: RoomContents, nowMs: number): RoomSnapshot {
  const seats: MovedSeat[] = [];
  const seconds = Math.max(room.reconnectSeconds, MOVE_RECONNECT_MIN_SECONDS);
  const seatOf = (sessionId: string) => (room.spectators.has(sessionId) ? { spectator: room.spectators.get(sessionId) } : {});
  const viewOf = (sessionId: string) => {
    const view = room.viewOf?.(sessionId);
    return view ? { view } : {};
  };
  for (const client of room.clients) {
    seats.push({ sessionId: client.sessionId, reconnectionToken: client.reconnectionToken, auth: client.auth, seconds, ...seatOf(client.sessionId), ...viewOf(client.sessionId) });
  }
  for (const held of room.held) {
    const left = ((room.heldUntil.get(held.sessionId) ?? nowMs) - nowMs) / 1000;
    if (left > 0) seats.push({ ...held, seconds: left, ...seatOf(held.sessionId), ...viewOf(held.sessionId) });
  }
  return {
    format: ROOM_SNAPSHOT_FORMAT, version: ROOM_SNAPSHOT_VERSION, roomId: room.roomId, roomName: room.roomName, private: room.private, packedAt: nowMs,
    elapsedMs: room.elapsedMs, world: snapshotWorld(room.world), hash: hashWorld(room.world), wire: room.wire,
    bots: room.bots, seats, recording: room.recording,
  };
}

/** The world a snapshot describes, and whether its hash is the one the old home wrote. */
export function unpackWorld(snapshot: RoomSnapshot): { world: WorldState; hash: string; hashMatches: boolean } {
  const world = worldFromSnapshot(snapshot.world);
  const hash = hashWorld(world);
  return { world, hash, hashMatches: hash === snapshot.hash };
}

/** True for what `packRoom` writes, in the version this code reads. */
export function isRoomSnapshot(value: unknown): value is RoomSnapshot {
  const snapshot = value as Partial<RoomSnapshot> | null;
  return typeof snapshot === "object" && snapshot !== null
    && snapshot.format === ROOM_SNAPSHOT_FORMAT && snapshot.version === ROOM_SNAPSHOT_VERSION;
}

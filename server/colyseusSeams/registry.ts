/**
 * The registry's reaches into Colyseus (several processes on one Redis): part
 * of the one seam module, server/colyseusSeams.ts, whose header lists them and
 * which re-exports this file. Tested by test/server/colyseus-seams-registry.test.ts.
 */
import {
  ErrorCode, RoomInternalState, ServerError, matchMaker, updateLobby,
  type AuthContext, type IRoomCache, type Room,
} from "@colyseus/core";

/** The registry entry `room` keeps in memory (Colyseus' private `_listing`). */
export function listingOf(room: Room): IRoomCache {
  return (room as unknown as { _listing: IRoomCache })._listing;
}

/** True while `room` is created and not disposing (Colyseus' private `_internalState`). */
export function roomIsUp(room: Room): boolean {
  return (room as unknown as { _internalState: RoomInternalState })._internalState === RoomInternalState.CREATED;
}

/** Colyseus' IPC channel prefix: process `id` listens on `p:<id>`. */
export const PROCESS_CHANNEL_PREFIX = "p:";

/** Colyseus' hash of per-process stats, `processId → "rooms,ccu"`. */
export const PROCESS_STATS_KEY = "roomcount";

/** This process's stats entry as Colyseus writes it (at most once a second, on changes): key, field, value. */
export function processStatsEntry(): [key: string, field: string, value: string] {
  const { roomCount, ccu } = matchMaker.stats.local;
  return [PROCESS_STATS_KEY, matchMaker.processId, `${roomCount},${ccu}`];
}

/** Tells every lobby that `listing` is new or changed, or (`removed`) gone. */
export function announceToLobbies(listing: IRoomCache, removed = false): void {
  updateLobby({ _listing: listing } as unknown as Room, removed);
}

/** A listing that only says which room went away, for `announceToLobbies(…, true)`. */
export function goneListing(roomId: string): IRoomCache {
  return { roomId, private: false, unlisted: false } as IRoomCache;
}

/** What the `/matchmake/:method/:roomName` route asks for; `next` runs Colyseus' own handling. */
export interface MatchmakeCall {
  method: string;
  roomName: string;
  options: Record<string, unknown>;
  auth: AuthContext | undefined;
  next(): Promise<unknown>;
}

/**
 * Puts `handle` in front of Colyseus' matchmaking controller. Its errors reach
 * the client as `{ code, error }` with `code` as the HTTP status when it is one.
 * Returns a function that puts the original back.
 */
export function interceptMatchmaking(handle: (call: MatchmakeCall) => Promise<unknown>): () => void {
  const controller = matchMaker.controller;
  const original = controller.invokeMethod;
  controller.invokeMethod = function (method: string, roomName: string, options: any = {}, auth?: AuthContext) {
    return handle({ method, roomName, options, auth, next: () => original.call(controller, method, roomName, options, auth) });
  } as typeof controller.invokeMethod;
  return () => { controller.invokeMethod = original; };
}

/**
 * A reconnection (`client.reconnect(token)`, e.g. after a page reload) to a
 * room this process holds, answered without the registry. Colyseus' own
 * `matchMaker.reconnect` first looks the room up in the registry (Redis) and
 * then asks the room over IPC (Redis); the room is right here, so neither is
 * needed. Undefined when the room is elsewhere (Colyseus' path then, which
 * needs Redis). Mirrors `matchMaker.reconnect`'s answers.
 */
export function reconnectLocally(roomId: string, reconnectionToken: unknown): matchMaker.ISeatReservation | undefined {
  const room = matchMaker.getLocalRoomById(roomId);
  if (!room || typeof reconnectionToken !== "string") return undefined;
  const sessionId = room.checkReconnectionToken(reconnectionToken);
  if (!sessionId) throw new ServerError(ErrorCode.MATCHMAKE_EXPIRED, "reconnection token invalid or expired.");
  return matchMaker.buildSeatReservation(listingOf(room), sessionId);
}

/**
 * RedisDriver shares one `HGETALL roomcaches` among the queries made while it
 * is under way, and clears it only when it succeeds: after one failed read,
 * every later query (quick play, the lobby, /watch, re-registration) would get
 * the same failure again, for the life of the process, Redis back or not. This
 * makes the next query read afresh; called after any failed driver read.
 */
export function forgetFailedRoomReads(driver: object): void {
  const shared = driver as { _concurrentRoomCacheRequest?: unknown; _roomCacheRequestByName?: Record<string, unknown> };
  shared._concurrentRoomCacheRequest = undefined;
  shared._roomCacheRequestByName = {};
}

/**
 * The registry's reaches into Colyseus (several processes on one Redis): part
 * of the one seam module, server/colyseusSeams.ts, whose header lists them and
 * which re-exports this file. Tested by test/server/colyseus-seams-registry.test.ts.
 */
import {
  ErrorCode, RoomInternalState, ServerError, matchMaker, updateLobby,
  type AuthContext, type IRoomCache, type LobbyRoom, type Room,
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

/** The pub/sub channel Colyseus' lobbies hear of rooms on, from every process. */
export const LOBBY_CHANNEL = "$lobby";

/** A notice on LOBBY_CHANNEL as Colyseus publishes it: `"<roomId>,0"` new or changed (the lobby reads the entry), `"<roomId>,1"` gone. */
export function lobbyNotice(roomId: string, removed: boolean): string {
  return `${roomId},${removed ? 1 : 0}`;
}

/**
 * Puts the lists of this process's `lobbies` right by the registry. A lobby
 * keeps its list (LobbyRoom's `rooms`) from the notices it hears; one
 * published while this process's subscriber was away is lost (a room that
 * ended meanwhile would stay listed for good). Call it once the
 * subscriptions are back, so that a notice published after the registry is
 * read still arrives.
 * - A listed room the registry no longer holds leaves the list, and each
 *   client is sent "-", unless a notice changed its entry while the registry
 *   was read (that notice is newer than the read).
 * - A room the registry holds that a list lacks is handed to `deliver` as a
 *   notice on LOBBY_CHANNEL, for this process only: each lobby reads the
 *   entry itself, as for a notice from Redis.
 */
export async function resyncLobbies(lobbies: readonly LobbyRoom[], deliver: (channel: string, notice: string) => void): Promise<void> {
  if (lobbies.length === 0) return;
  const before = lobbies.map((lobby) => new Set(lobby.rooms));
  // The query every LobbyRoom fills its list with when it is created.
  const registered = await matchMaker.query({ private: false, unlisted: false });
  const registeredIds = new Set(registered.map((entry) => entry.roomId));
  for (const [index, lobby] of lobbies.entries()) {
    for (const entry of before[index]!) {
      const at = lobby.rooms.indexOf(entry);
      if (registeredIds.has(entry.roomId) || at === -1) continue;
      lobby.rooms.splice(at, 1);
      for (const client of lobby.clients) {
        if (lobby.clientOptions[client.sessionId]) client.send("-", entry.roomId);
      }
    }
  }
  const missing = registered.filter((entry) => lobbies.some((lobby) => !lobby.rooms.some((listed) => listed.roomId === entry.roomId)));
  for (const entry of missing) deliver(LOBBY_CHANNEL, lobbyNotice(entry.roomId, false));
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

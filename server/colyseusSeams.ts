/**
 * Every place where Arena reaches past Colyseus' public API, in one module.
 * Each seam names what it relies on; test/server/colyseus-seams.test.ts (the
 * room's seams) and test/server/colyseus-seams-registry.test.ts (the
 * registry's, on a Redis of the test's own) check those assumptions against
 * the installed Colyseus and fail naming the seam when an upgrade moves one.
 * The @colyseus/* versions these were written against are pinned exactly in
 * package.json.
 *
 * The room:
 * 1. frame screening: `Room.prototype._onMessage`, the per-frame entry point
 *    Colyseus binds to each client's socket at join.
 * 2. step-driven patches: `Room.broadcastPatch`, which Colyseus' patch timer
 *    calls on its own schedule.
 * 3. patch byte counting: `Client.raw`, the call that hands each recipient its
 *    own patch frame.
 * 4. no PM2 metrics: `@colyseus/core` imports `@pm2/io` when it is installed.
 * 5. HTTP screening: the HTTP server's `emit`, because Colyseus prepends its
 *    own request listener when it binds its router.
 *
 * The registry (several processes on one Redis):
 * - `room._listing`: the room's entry in the registry, as the room keeps it in
 *   memory (its clients, lock, metadata). The truth to write back after an outage.
 * - `room._internalState`: whether a room is up or already disposing.
 * - `p:<processId>`: the channel each process listens on for Colyseus' IPC;
 *   Redis drops the subscription when the process dies.
 * - `roomcount`: the hash of per-process stats (`"rooms,ccu"`) that the
 *   placement, the crash sweep and the cluster gauges read.
 * - `matchMaker.controller.invokeMethod`: the function the `/matchmake` route
 *   calls; wrapped to answer reconnections locally and to refuse with 503.
 * - `updateLobby({ _listing })`: how lobbies learn a room came or went.
 * - RedisDriver's `_concurrentRoomCacheRequest` and `_roomCacheRequestByName`:
 *   the one registry read it shares among concurrent queries, which it forgets
 *   only when the read succeeds (see `forgetFailedRoomReads`).
 *
 * A room moving to another process (`server/migration/`):
 * - `room._reconnections` / `room._reservedSeats` / `room._reserveSeat`: the
 *   held seats and their reconnection tokens, read on the old home and written
 *   on the new one (see `heldSeatsOf`, `holdMovedSeat`, `settleMovedSeat`).
 * - `$refId` and the encoder root's `nextUniqueId` (@colyseus/schema): the
 *   state's reference ids, kept across the move (see `presetRefId`).
 * - the room channel `$<roomId>` on presence: unsubscribed on the old home.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import { registerHooks } from "node:module";
import type { Socket } from "node:net";
import {
  Deferred, ErrorCode, Protocol, Room, RoomInternalState, ServerError, matchMaker, updateLobby,
  type AuthContext, type Client, type IRoomCache,
} from "@colyseus/core";
import { $changes, $refId } from "@colyseus/schema";
import { protocolCode } from "../shared/protocol.ts";

/** The seam names, as the test and its failure messages use them. */
export const SEAMS = {
  frameScreening: "frame screening (Room.prototype._onMessage)",
  stepDrivenPatches: "step-driven patches (Room.broadcastPatch)",
  patchByteCounting: "patch byte counting (Client.raw)",
  noPm2Metrics: "no PM2 metrics (@colyseus/core's import of @pm2/io)",
  httpScreening: "HTTP screening (the HTTP server's emit, ahead of Colyseus' prepended request listener)",
  movedSeats: "moved seats (Room._reserveSeat, _reservedSeats, _reconnections)",
  refIds: "reference ids kept ($refId, the encoder root's nextUniqueId)",
} as const;

/** A room whose frames are screened before Colyseus decodes them. */
export interface ScreeningRoom {
  admitFrame(client: Client, frame: Uint8Array): boolean;
}

/** Colyseus' per-frame entry point; private in its typings, hence reached through this shape. */
interface FrameEntry {
  _onMessage(this: ScreeningRoom, client: Client, frame: Uint8Array): void;
}

/**
 * Seam 1. Makes every frame a client sends to rooms of `roomClass` pass the
 * room's `admitFrame` before Colyseus decodes it. Colyseus binds `_onMessage`
 * to each client's socket at join, so overriding it on the class is enough.
 * Why not a public API: `onMessage` handlers and `maxMessagesPerSecond` run
 * after the decode (see MessageGuard), and no hook sees the raw frame.
 */
export function screenFrames(roomClass: { prototype: ScreeningRoom }): void {
  const decodeFrame = (Room.prototype as unknown as FrameEntry)._onMessage;
  if (typeof decodeFrame !== "function") throw new Error(`Colyseus seam moved: ${SEAMS.frameScreening}`);
  (roomClass.prototype as unknown as FrameEntry)._onMessage = function (client, frame) {
    if (this.admitFrame(client, frame)) decodeFrame.call(this, client, frame);
  };
}

/**
 * Seam 2. Colyseus sends patches on a `setInterval` of its own (`patchRate`),
 * whose phase drifts against the fixed step's timer (see PatchPacer). The
 * room keeps `patchRate` set (the SDK is told it, and the rewind buffer
 * records at it) but this makes the timer's calls to `broadcastPatch` no-ops;
 * the returned function sends a patch now, and is what the room calls after
 * its steps. Why not `patchRate = null`: the input handshake would then
 * advertise no patch interval to the clients' reconcilers.
 */
export function stepDrivenPatches(room: Room): () => void {
  const broadcastPatch = room.broadcastPatch;
  if (typeof broadcastPatch !== "function") throw new Error(`Colyseus seam moved: ${SEAMS.stepDrivenPatches}`);
  room.broadcastPatch = () => false;
  return () => {
    broadcastPatch.call(room);
  };
}

/**
 * Seam 3. Colyseus encodes a patch once and hands each recipient its own
 * frame through `client.raw` (with an 8-byte timing prefix, since the room
 * defines inputs); neither `broadcastPatch` nor `onBeforePatch` sees those
 * bytes. So `client.raw` is wrapped: ROOM_STATE_PATCH frames (patches, and the
 * heartbeats sent on ticks without changes) report their length to `count`.
 * Messages and the full state sent on join go through `raw` too, uncounted.
 */
export function countPatchBytes(client: Client, count: (bytes: number) => void): void {
  const send = client.raw;
  if (typeof send !== "function") throw new Error(`Colyseus seam moved: ${SEAMS.patchByteCounting}`);
  client.raw = function (data, options, cb) {
    if (protocolCode(data[0]) === Protocol.ROOM_STATE_PATCH) count(data.byteLength);
    return send.call(this, data, options, cb);
  };
}

let pm2Refused = false;

/**
 * Seam 4. When `@pm2/io` is installed (it is whenever the development
 * dependencies are: `@colyseus/tools` depends on it), `@colyseus/core`
 * imports it to report CCU and room counts to PM2's dashboard, and importing
 * it starts PM2's own runtime metrics: event-loop and heap samplers on timers
 * of their own, several wake-ups a second for the life of the process, and
 * some megabytes of heap. Arena's /metrics already reports CCU and rooms
 * (server/metrics.ts), so the import is made to fail, which Colyseus catches
 * and ignores. Call once, before the server starts. Idempotent.
 */
export function refusePm2Metrics(): void {
  if (pm2Refused) return;
  pm2Refused = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === "@pm2/io" || specifier.startsWith("@pm2/io/")) {
        throw Object.assign(new Error("@pm2/io is not used by Arena (see server/colyseusSeams.ts)"), { code: "ERR_MODULE_NOT_FOUND" });
      }
      return nextResolve(specifier, context);
    },
  });
}

/**
 * What screens the HTTP server's events before any listener sees them: each
 * returns false when it has answered the event itself (refused it), and then
 * no listener, Colyseus' or Express', sees it.
 */
export interface HttpScreen {
  connection?(socket: Socket): boolean;
  request?(request: IncomingMessage, response: ServerResponse): boolean;
  upgrade?(request: IncomingMessage, socket: Socket): boolean;
}

/**
 * Seam 5. Puts `screen` in front of every listener of `server`'s
 * `connection`, `request` and `upgrade` events; a screen added later runs
 * before those added earlier. Why not a listener: Colyseus binds its router
 * with `server.prependListener("request", …)` when it starts (so it would go
 * first whatever we added before), Node calls every listener of an event, and
 * none can stop the others; so the server's `emit` is wrapped.
 */
export function screenHttpEvents(server: HttpServer, screen: HttpScreen): void {
  const emit = server.emit.bind(server) as (event: string, ...args: unknown[]) => boolean;
  server.emit = ((event: string, ...args: unknown[]): boolean => {
    if (event === "connection" && screen.connection?.(args[0] as Socket) === false) return true;
    if (event === "request" && screen.request?.(args[0] as IncomingMessage, args[1] as ServerResponse) === false) return true;
    if (event === "upgrade" && screen.upgrade?.(args[0] as IncomingMessage, args[1] as Socket) === false) return true;
    return emit(event, ...args);
  }) as typeof server.emit;
}

// The registry's seams.

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

// A room's move to another process (server/migration/). Colyseus restores rooms
// only in devMode, from a file, with fresh reference ids and seats that any
// token claims; these seams carry a live room's seats and ids across instead.

/** What the seams below read and write of a room: Colyseus' private seat bookkeeping. */
interface SeatBook {
  _reconnections: Record<string, [sessionId: string, reconnection: Deferred]>;
  _reservedSeats: Record<string, [options: unknown, auth: unknown, consumed?: boolean, waitingReconnection?: boolean]>;
  _reservedSeatTimeouts: Record<string, NodeJS.Timeout>;
  _reserveSeat(sessionId: string, options: unknown, auth: unknown, seconds: number, allowReconnection: boolean): Promise<boolean>;
  _events: { emit(event: string, ...args: unknown[]): void };
}

/** A seat held for a lost connection (`allowReconnection`): whose, the token that claims it, the player's claims. */
export interface HeldSeat {
  sessionId: string;
  reconnectionToken: string;
  auth: unknown;
}

/** The seats `room` holds for players whose connection was lost (Colyseus' private `_reconnections`). */
export function heldSeatsOf(room: Room): HeldSeat[] {
  const book = room as unknown as SeatBook;
  return Object.entries(book._reconnections).map(([reconnectionToken, [sessionId]]) => (
    { sessionId, reconnectionToken, auth: book._reservedSeats[sessionId]?.[1] }
  ));
}

/**
 * Holds a seat in a restored `room` for `sessionId`, claimed only with
 * `reconnectionToken` (the token the SDK reconnects with), for `seconds`; then
 * `expired` runs. Counted like a fresh reservation (the listing's clients),
 * claimed like a held one (`allowReconnection`): Colyseus has no public way to
 * hold a seat for a session that never connected to this process. Call after
 * the room is created (the reservation writes the room's listing).
 */
export async function holdMovedSeat(room: Room, seat: HeldSeat, seconds: number, expired: () => void): Promise<void> {
  const book = room as unknown as SeatBook;
  const { sessionId, reconnectionToken } = seat;
  if (typeof book._reserveSeat !== "function") throw new Error(`Colyseus seam moved: ${SEAMS.movedSeats}`);
  await book._reserveSeat(sessionId, { moved: true }, seat.auth, seconds, false);
  book._reservedSeats[sessionId][3] = true;
  const reconnection = new Deferred();
  book._reconnections[reconnectionToken] = [sessionId, reconnection];
  const timer = setTimeout(() => reconnection.reject(new Error("moved seat expired")), seconds * 1000);
  reconnection.then(() => clearTimeout(timer), () => {
    delete book._reconnections[reconnectionToken];
    expired();
  });
}

/**
 * A moved seat was claimed (from the room's `onReconnect`): Colyseus' own
 * held seats are settled by `allowReconnection`'s promise, which these lack,
 * so the reservation is cleared here and the join counted for the process's stats.
 */
export function settleMovedSeat(room: Room, client: Client): void {
  const book = room as unknown as SeatBook;
  for (const [token, [sessionId]] of Object.entries(book._reconnections)) {
    if (sessionId === client.sessionId) delete book._reconnections[token];
  }
  delete book._reservedSeats[client.sessionId];
  book._events.emit("join", client);
}

/** Which reference id the state encoder gave `instance` (undefined while it is not in the state). */
export function refIdOf(instance: object): number | undefined {
  return (instance as Record<symbol, number | undefined>)[$refId];
}

/**
 * Gives `instance` the reference id it had on the old home, before it enters
 * the state, so a reconnecting client's decoder finds its own objects again
 * (a full state with new ids would replace every player: a ghost and a jump).
 */
export function presetRefId(instance: object, refId: number): void {
  Object.defineProperty(instance, $refId, { value: refId, enumerable: false, writable: true });
}

/** The encoder root of `state` (its private `nextUniqueId` is the next reference id it hands out). */
function encoderRootOf(state: object): { nextUniqueId: number } {
  const tree = (state as unknown as Record<symbol, unknown>)[$changes] as { root?: unknown } | undefined;
  const root = tree?.root as { nextUniqueId?: unknown } | undefined;
  if (!root || typeof root.nextUniqueId !== "number") throw new Error(`Colyseus seam moved: ${SEAMS.refIds}`);
  return root as { nextUniqueId: number };
}

/** The encoder's next reference id for `state`. */
export function nextRefIdOf(state: object): number {
  return encoderRootOf(state).nextUniqueId;
}

/** Makes the encoder's next reference id at least `next`, so ids preset from the old home are never reused. */
export function raiseNextRefId(state: object, next: number): void {
  const root = encoderRootOf(state);
  root.nextUniqueId = Math.max(root.nextUniqueId, next);
}

/** Stops this process answering remote calls to room `roomId` (Colyseus' room channel `$<roomId>`), before another takes it. */
export function stopAnsweringFor(roomId: string): void {
  matchMaker.presence.unsubscribe(`$${roomId}`);
}

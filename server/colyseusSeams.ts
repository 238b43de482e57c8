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
 * 2. step-driven patches: Colyseus' patch timer, which the `patchRate` setter
 *    starts with the global `setInterval` to call `Room.broadcastPatch`.
 * 3. patch byte counting: `Client.raw`, the call that hands each recipient its
 *    own patch frame.
 * 4. no PM2 metrics: `@colyseus/core` imports `@pm2/io` when it is installed.
 * 5. HTTP screening: the HTTP server's `emit`, because Colyseus prepends its
 *    own request listener when it binds its router.
 * 6. one write per client per tick: each client's TCP socket (the
 *    ws-transport client's `ref`, a `ws` WebSocket, and its `_socket`), corked
 *    while a tick runs and its patch is sent.
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
 * - LobbyRoom's `rooms` and `clientOptions`, the "-" it sends its clients,
 *   and the `$lobby` channel's notices (`"<roomId>,0|1"`): how a lobby keeps
 *   its list, put right after an outage (see `resyncLobbies`).
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
 *
 * Datagrams (`server/colyseusSeams/unreliable.ts`):
 * - `Client.rawUnreliable`: the function Colyseus' serializer sends the
 *   `@unreliable` fields through, present on every Arena client (a
 *   DataChannel or the client's own WebSocket); the frame's layout
 *   (`[ROOM_STATE_PATCH | UNRELIABLE][uint16 seq][body]`), which is
 *   renumbered per client and, as a datagram, given the TIMED prefix.
 * - @colyseus/schema's field metadata (`unreliable`, `~__unreliableFieldIndexes`):
 *   how a `t.quantized` field is put on the unreliable channel, which
 *   `.unreliable()` refuses for any type but a primitive's name
 *   (`server/colyseusSeams/unreliableFields.ts`).
 * - the "message" event on a ws-transport client's `ref`, which Colyseus binds
 *   to `Room._onMessage` at join: where a datagram enters the room.
 *
 * The large mode's views (`server/colyseusSeams/interestViews.ts`):
 * - the serializer's `encoder.encodeView` and `encodeUnreliableView`, which
 *   write each client's patch and unreliable frame asking its view
 *   `isChangeTreeVisible` of every changed object, and MapSchema's `$filter`:
 *   wrapped so a view can send some objects' unreliable fields every other
 *   patch, and a map entry it has just added once.
 *
 * The registry's seams, those of a move, those of datagrams and the views' live in
 * server/colyseusSeams/ (registry.ts, moves.ts, unreliable.ts,
 * unreliableFields.ts, interestViews.ts), re-exported
 * here: importers see one module.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import { registerHooks } from "node:module";
import type { Socket } from "node:net";
import { Protocol, ProtocolModifier, Room, type Client } from "@colyseus/core";
import { protocolCode } from "../shared/protocol.ts";
import { SEAMS } from "./colyseusSeams/names.ts";
import { countUnreliableBytes } from "./colyseusSeams/unreliable.ts";

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
 * Seam 2. Colyseus sends patches on a `setInterval` of its own, started by
 * the `patchRate` setter, whose phase drifts against the fixed step's timer
 * (see PatchPacer). This sets `patchRate` to `patchIntervalMs` (the SDK is
 * told it in the input handshake, and the rewind buffer records at it) and
 * stops the timer that setting started, the only caller of `broadcastPatch`
 * besides the room, which then sends its patches after its steps. Why not
 * `patchRate = null`: the input handshake would then advertise no patch
 * interval to the clients' reconcilers. The timer is private
 * (`#_patchInterval`), so it is caught as the setter creates it. Call from
 * `onCreate` or later (the setter is installed when the room is created).
 */
export function stopPatchTimer(room: Room, patchIntervalMs: number): void {
  const started: Array<ReturnType<typeof setInterval>> = [];
  const setIntervalBefore = globalThis.setInterval;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const timer = setIntervalBefore(...args);
    started.push(timer);
    return timer;
  }) as typeof setInterval;
  try {
    room.patchRate = patchIntervalMs;
  } finally {
    globalThis.setInterval = setIntervalBefore;
  }
  if (started.length !== 1 || room.patchRate !== patchIntervalMs) throw new Error(`Colyseus seam moved: ${SEAMS.stepDrivenPatches}`);
  clearInterval(started[0]);
}

/**
 * Seam 3. Colyseus encodes a patch once and hands each recipient its own
 * frame through `client.raw` (with an 8-byte timing prefix, since the room
 * defines inputs); neither `broadcastPatch` nor `onBeforePatch` sees those
 * bytes. So `client.raw` is wrapped: ROOM_STATE_PATCH frames (patches, and the
 * heartbeats sent on ticks without changes) report their length to `count`.
 * Messages and the full state sent on join go through `raw` too, uncounted.
 * The unreliable channel's patches are counted where both its routes pass
 * (see `countUnreliableBytes`), and skipped here when the WebSocket carries them.
 */
export function countPatchBytes(client: Client, count: (bytes: number) => void): void {
  const send = client.raw;
  if (typeof send !== "function") throw new Error(`Colyseus seam moved: ${SEAMS.patchByteCounting}`);
  client.raw = function (data, options, cb) {
    if (protocolCode(data[0]) === Protocol.ROOM_STATE_PATCH && (data[0] & ProtocolModifier.UNRELIABLE) === 0) count(data.byteLength);
    return send.call(this, data, options, cb);
  };
  countUnreliableBytes(client, count);
}

/** The part of a client the tick's cork reaches: ws-transport's `ref` (a `ws` WebSocket) and its TCP socket. */
interface SocketOfClient {
  ref?: { _socket?: { cork?(): void; uncork?(): void } | null };
}

/**
 * Seam 6. Everything a room sends in one tick (hit and kill messages, chat
 * lines, the patch) leaves in one write per client: each client's TCP socket
 * is corked before the step and uncorked after the patch, so Node hands the
 * kernel every frame of the tick in one `writev` instead of one per message.
 * `ws` corks and uncorks around each frame itself; corks nest, so its frames
 * wait for the outer uncork. Why not a public API: neither Colyseus nor `ws`
 * batches frames (Colyseus' `afterNextPatch` only moves a message after the
 * patch, as a frame of its own). A client on another transport, or whose
 * socket is gone, is left alone. Returns `tick` wrapped so.
 */
export function tickWrites(room: Room, tick: () => void): () => void {
  const corked: Array<{ uncork(): void }> = [];
  return () => {
    for (const client of room.clients) {
      const socket = (client as unknown as SocketOfClient).ref?._socket;
      if (!socket || typeof socket.cork !== "function" || typeof socket.uncork !== "function") continue;
      socket.cork();
      corked.push(socket as { uncork(): void });
    }
    try {
      tick();
    } finally {
      for (const socket of corked) socket.uncork();
      corked.length = 0;
    }
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

// The registry's seams, and those of a room's move, in files of their own beside this one.
export { SEAMS } from "./colyseusSeams/names.ts";
export * from "./colyseusSeams/registry.ts";
export * from "./colyseusSeams/moves.ts";
export * from "./colyseusSeams/unreliable.ts";
export * from "./colyseusSeams/unreliableFields.ts";
export * from "./colyseusSeams/interestViews.ts";

/**
 * Every place where Arena reaches past Colyseus' public API, in one module.
 * Each seam names what it relies on; test/server/colyseus-seams.test.ts checks
 * each of those assumptions against the installed Colyseus and fails naming
 * the seam when an upgrade moves one. The @colyseus/* versions these were
 * written against are pinned exactly in package.json.
 *
 * 1. frame screening: `Room.prototype._onMessage`, the per-frame entry point
 *    Colyseus binds to each client's socket at join.
 * 2. step-driven patches: `Room.broadcastPatch`, which Colyseus' patch timer
 *    calls on its own schedule.
 * 3. patch byte counting: `Client.raw`, the call that hands each recipient its
 *    own patch frame.
 * 4. no PM2 metrics: `@colyseus/core` imports `@pm2/io` when it is installed.
 */
import { registerHooks } from "node:module";
import { Protocol, Room, type Client } from "@colyseus/core";
import { protocolCode } from "../shared/protocol.ts";

/** The seam names, as the test and its failure messages use them. */
export const SEAMS = {
  frameScreening: "frame screening (Room.prototype._onMessage)",
  stepDrivenPatches: "step-driven patches (Room.broadcastPatch)",
  patchByteCounting: "patch byte counting (Client.raw)",
  noPm2Metrics: "no PM2 metrics (@colyseus/core's import of @pm2/io)",
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

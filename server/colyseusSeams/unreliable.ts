// Part of the one seam module, server/colyseusSeams.ts, which re-exports it.
import { Protocol, ProtocolModifier, type Client } from "@colyseus/core";
import { SEAMS } from "./names.ts";

/** Sends one datagram to a client. Never throws: a closed or full channel drops it, as a network would. */
export type DatagramSend = (frame: Uint8Array) => void;

/** Which way a client's unreliable frames leave now. */
export type UnreliableRoute = "datagram" | "websocket";

/** One client's unreliable line: where its frames go, what they are numbered, stamped and counted with. */
interface UnreliableLine {
  route: UnreliableRoute;
  datagram?: DatagramSend;
  /** The number of the last state frame sent on this line (uint16, wrapping; the first is 1). */
  seq: number;
  /** The room's clock (ms since the room started), stamped into datagrams. */
  serverTime?: () => number;
  /** Told the size of every state frame sent on the line, whichever route it takes. */
  count?: (bytes: number) => void;
}

const lines = new WeakMap<Client, UnreliableLine>();

function lineOf(client: Client): UnreliableLine {
  let line = lines.get(client);
  if (!line) lines.set(client, line = { route: "websocket", seq: 0 });
  return line;
}

/** A state patch of the unreliable channel: `[ROOM_STATE_PATCH | UNRELIABLE][uint16 seq][body]`. */
const UNRELIABLE_PATCH = Protocol.ROOM_STATE_PATCH | ProtocolModifier.UNRELIABLE;
const SEQ_AT = 1;
const BODY_AT = 3;
/** `[uint32 server time][uint32 input ack]`, Colyseus' TIMED prefix. */
const TIMED_PREFIX_BYTES = 8;

/**
 * Seam: the unreliable route. Colyseus' serializer sends the `@unreliable`
 * fields through `client.rawUnreliable` and skips every client that has none
 * (the function's presence is its capability check), so on the WebSocket
 * transport, which defines none, those fields would keep their join-time
 * value. Arena gives every client one: `datagram` while the client's
 * DataChannel is open, and otherwise the client's own WebSocket (`client.raw`),
 * which carries the very same frame reliably; the SDK decodes a frame the same
 * way whichever channel it arrives on, and drops one older than the newest it
 * has seen by the sequence number in it. Call with no `datagram` to
 * (re)route over the WebSocket; the line's numbering, clock and counter
 * survive a change of route.
 *
 * Each state frame is rewritten for its client on the way (see `clientFrame`).
 */
export function routeUnreliable(client: Client, datagram?: DatagramSend): void {
  if (typeof client.raw !== "function") throw new Error(`Colyseus seam moved: ${SEAMS.unreliableRoute}`);
  const line = lineOf(client);
  line.route = datagram ? "datagram" : "websocket";
  line.datagram = datagram;
  client.rawUnreliable = function (data, options, cb) {
    const frame = data[0] === UNRELIABLE_PATCH ? clientFrame(line, data) : data;
    if (frame !== data) line.count?.(frame.byteLength);
    if (line.route === "datagram") return line.datagram!(frame);
    return this.raw(frame, options, cb);
  };
}

/**
 * A client joined its room, or took its seat back (a new Client object, also
 * when its room moved here): its unreliable frames go over its WebSocket
 * until its DataChannel opens, stamped with `serverTime` once they go as
 * datagrams (see `clockUnreliable`).
 */
export function joinUnreliable(client: Client, serverTime: () => number): void {
  clockUnreliable(client, serverTime);
  routeUnreliable(client);
}

/**
 * Stamps `client`'s datagrams with the room's clock, `serverTime` (ms since
 * the room started, Colyseus' `room.clock.elapsedTime`). Call when it joins.
 */
export function clockUnreliable(client: Client, serverTime: () => number): void {
  lineOf(client).serverTime = serverTime;
}

/**
 * Tells `count` the size of every unreliable state frame `client` is sent,
 * over either route: a datagram never passes `client.raw`, where the
 * reliable patches are counted (see `countPatchBytes`), so both routes count
 * here, once.
 */
export function countUnreliableBytes(client: Client, count: (bytes: number) => void): void {
  lineOf(client).count = count;
}

/** The route `routeUnreliable` last gave `client`, or undefined before it was given one. */
export function unreliableRouteOf(client: Client): UnreliableRoute | undefined {
  return lines.get(client)?.route;
}

/**
 * The frame `client` is sent for one of Colyseus' unreliable patches, which
 * it encodes once for everyone (or once per view) in a buffer it reuses:
 *
 * - Numbered per client, from 1 after each join. Colyseus numbers the frames
 *   once per room, and the SDK takes a number as newer only when it is ahead
 *   of the last one by less than half the 16-bit circle, counting from 0
 *   after a full state: a client joining (or resuming its seat) while the
 *   room's count stands at 32768 or more would drop every frame for the next
 *   half circle, 18 minutes at 30 patches a second.
 * - A datagram carries the room's clock as the reliable patches do (Colyseus'
 *   TIMED prefix, which the SDK reads on any frame before its body): the SDK
 *   stamps interpolation samples with the server time of the frame that
 *   brought them, and a datagram overtakes the WebSocket whenever a lost TCP
 *   segment holds it back. Its input acknowledgement is 0, which the SDK
 *   ignores (it only ever moves forward): the own player's prediction is
 *   checked against the reliable patch that acknowledges the same inputs.
 *   Over the WebSocket the frame follows the reliable patch of the same
 *   tick, which carries both, so it goes without.
 */
function clientFrame(line: UnreliableLine, data: Uint8Array): Uint8Array {
  line.seq = (line.seq + 1) & 0xffff;
  const stamped = line.route === "datagram" && line.serverTime !== undefined;
  const head = stamped ? 1 + TIMED_PREFIX_BYTES : 1;
  const frame = Buffer.allocUnsafe(head + data.byteLength - 1);
  frame[0] = stamped ? data[0] | ProtocolModifier.TIMED : data[0];
  if (stamped) {
    frame.writeUInt32LE(line.serverTime!() >>> 0, 1);
    frame.writeUInt32LE(0, 5);
  }
  frame.writeUInt16LE(line.seq, head + SEQ_AT - 1);
  frame.set(data.subarray(BODY_AT), head + BODY_AT - 1);
  return frame;
}

/** The part of a ws-transport client a datagram is delivered through: its `ws` socket, an EventEmitter. */
interface EmittingRef {
  ref?: { emit?(event: "message", frame: Buffer): boolean; listenerCount?(event: "message"): number };
}

/**
 * Seam: datagram delivery. Hands a frame that arrived on `client`'s
 * DataChannel to its room exactly as if it had come on the client's socket:
 * Colyseus binds `Room._onMessage` to the socket's "message" event when the
 * client joins, so frame screening, the per-client message rate limit and the
 * input decoder apply to datagrams as they do to WebSocket frames. Returns
 * false when the client has no joined socket to deliver through (gone, or not
 * joined yet): the datagram is dropped.
 */
export function deliverDatagram(client: Client, frame: Uint8Array): boolean {
  const ref = (client as unknown as EmittingRef).ref;
  if (!ref || typeof ref.emit !== "function") throw new Error(`Colyseus seam moved: ${SEAMS.datagramDelivery}`);
  if ((ref.listenerCount?.("message") ?? 0) === 0) return false;
  return ref.emit("message", Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
}

// Part of the one seam module, server/colyseusSeams.ts, which re-exports it.
import type { Client } from "@colyseus/core";
import { SEAMS } from "./names.ts";

/** Sends one datagram to a client. Never throws: a closed or full channel drops it, as a network would. */
export type DatagramSend = (frame: Uint8Array) => void;

/** Which way a client's unreliable frames leave now. */
export type UnreliableRoute = "datagram" | "websocket";

const routes = new WeakMap<Client, UnreliableRoute>();

/**
 * Seam: the unreliable route. Colyseus' serializer sends the `@unreliable`
 * fields through `client.rawUnreliable` and skips every client that has none
 * (the function's presence is its capability check), so on the WebSocket
 * transport, which defines none, those fields would keep their join-time
 * value. Arena gives every client one: `datagram` while the client's
 * DataChannel is open, and otherwise the client's own WebSocket (`client.raw`),
 * which carries the very same frame reliably; the SDK decodes a frame the same
 * way whichever channel it arrives on, and drops one older than the newest it
 * has seen by the sequence number Colyseus stamps in it. Call with no
 * `datagram` to (re)route over the WebSocket.
 */
export function routeUnreliable(client: Client, datagram?: DatagramSend): void {
  if (typeof client.raw !== "function") throw new Error(`Colyseus seam moved: ${SEAMS.unreliableRoute}`);
  if (datagram) {
    client.rawUnreliable = (data) => datagram(data);
    routes.set(client, "datagram");
  } else {
    client.rawUnreliable = function (data, options, cb) {
      return this.raw(data, options, cb);
    };
    routes.set(client, "websocket");
  }
}

/** The route `routeUnreliable` last gave `client`, or undefined before it was given one. */
export function unreliableRouteOf(client: Client): UnreliableRoute | undefined {
  return routes.get(client);
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

/**
 * Every place where the client reaches past `@colyseus/sdk`'s public API, in
 * one module (the server's are in server/colyseusSeams.ts). Three seams today:
 *
 * 1. connection tap: the room's `Connection` object (`room.connection`): its
 *    `send` and `sendUnreliable` methods, through which the Room sends every
 *    frame, and its `events.onmessage` / `events.onclose` callbacks, which the
 *    Room sets once when it connects. The SDK reuses that object across its
 *    automatic reconnections (`connection.reconnect`), so a tap survives them.
 * 2. datagram delivery: `connection.events.onmessage({ data })`, the Room's
 *    frame decoder, which the SDK's own datagram transport (H3Transport's
 *    read loop) feeds with every frame of either channel: a frame that came
 *    on Arena's DataChannel enters the Room there, through the taps above it.
 * 3. reconnection address: `room.connection.url`, the room socket's URL, which
 *    the SDK's automatic reconnection (`connection.reconnect`) opens again with
 *    a fresh token: pointed at a moved room's new process, the next attempt
 *    goes there (client/net/roomFollow.ts).
 * 4. datagram ahead: the schema decoder's complaint, on the console, about a
 *    reference it does not know yet (`"refId" not found`), which it then skips.
 *
 * Written by hand because the SDK exposes no hook on this path (its own
 * latency simulator and byte counters in `@colyseus/sdk/debug` patch the same
 * methods, and only inside the browser debug panel). The network simulator,
 * the net-graph counters and the benchmark's bots use it.
 * test/client/sdk-seams.test.ts checks these assumptions against the installed
 * SDK and fails naming the seam when an upgrade moves one; the SDK's version
 * is pinned exactly in package.json.
 */

/** The seam names, as the test and its failure messages use them. */
export const SDK_SEAMS = {
  connectionTap: "connection tap (room.connection's send, sendUnreliable and events.onmessage/onclose)",
  datagramDelivery: "datagram delivery (room.connection.events.onmessage decodes a frame from any channel)",
  reconnectionAddress: "reconnection address (room.connection.url, which connection.reconnect opens again)",
  datagramAhead: "datagram ahead (the schema decoder's console.error '\"refId\" not found' for a reference it skips)",
} as const;

/** How the schema decoder starts its complaint about a reference it does not know, and the line it adds after it. */
const UNKNOWN_REF = '"refId" not found';
const REPORT_LINE = "Please report this issue to the developers.";

/**
 * Seam 4. Runs `decode`, the SDK's decoding of one datagram, with the schema
 * decoder's complaint about a reference it does not know kept off the
 * console; `skipped` is called for each. A datagram can overtake the
 * reliable patch that introduces an entity (the large mode adds players to a
 * client's view all the time, and their positions ride datagrams): it then
 * names a reference the client does not know yet, the decoder skips that
 * part, and the reliable patch brings the entity whole a moment later.
 * Nothing is lost but a position the patch carries too; the console would
 * otherwise ask the player to report it each time.
 */
export function decodeDatagram(decode: () => void, skipped: () => void): void {
  const { error, warn } = console;
  let complained = false;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith(UNKNOWN_REF)) {
      complained = true;
      skipped();
      return;
    }
    error.apply(console, args);
  };
  console.warn = (...args: unknown[]) => {
    if (complained && args[0] === REPORT_LINE) return;
    warn.apply(console, args);
  };
  try {
    decode();
  } finally {
    console.error = error;
    console.warn = warn;
  }
}

/**
 * A frame on its way in: the transport's message event, whose `data` is the
 * frame (an ArrayBuffer). `datagram` marks one that came on the DataChannel
 * (see `deliverDatagram`); the WebSocket's events have no such field.
 */
export interface IncomingFrame {
  data: unknown;
  datagram?: boolean;
}

/** The part of the SDK's `Connection` a tap wraps; `room.connection` is one. */
export interface TappableConnection {
  send(data: Uint8Array): void;
  /** Over WebSocket this is the same ordered stream as `send` (there is no unreliable channel). */
  sendUnreliable(data: Uint8Array): void;
  /** Transport callbacks: `onmessage` once per incoming frame, `onclose` once per lost or closed socket. */
  events: {
    onmessage?: ((event: any) => unknown) | null;
    onclose?: ((event: any) => unknown) | null;
  };
}

/**
 * What a tap does with each frame. Every hook gets the frame and `forward`,
 * which passes it on along the path it came from; a hook may call it at once,
 * later, or never. A missing hook passes frames straight through.
 */
export interface TapHooks {
  /** A frame the room sends: `unreliable` when it went through `sendUnreliable` (inputs with `mode: "unreliable"`). */
  outgoing?(frame: Uint8Array, forward: (frame: Uint8Array) => void, unreliable: boolean): void;
  /** A frame from the server, before the room decodes it. */
  incoming?(event: IncomingFrame, forward: (event: IncomingFrame) => void): void;
  /** The socket closed (lost or ended), before the room hears of it. */
  closed?(event: unknown, forward: (event: unknown) => void): void;
}

/**
 * Installs `hooks` on `connection` and returns the function that removes them.
 * Taps stack: the one installed last sees outgoing frames first and incoming
 * frames first. Removing a tap that another was stacked on afterwards leaves
 * a pass-through in place, so removal order never breaks the chain.
 */
export function tapConnection(connection: TappableConnection, hooks: TapHooks): () => void {
  let active = true;
  const events = connection.events;
  const originalSend = connection.send;
  const originalSendUnreliable = connection.sendUnreliable;
  const originalOnMessage = events.onmessage;
  const originalOnClose = events.onclose;
  const ownSend = Object.hasOwn(connection, "send");
  const ownSendUnreliable = Object.hasOwn(connection, "sendUnreliable");

  const send = (frame: Uint8Array) => originalSend.call(connection, frame);
  const sendUnreliable = (frame: Uint8Array) => originalSendUnreliable.call(connection, frame);
  const deliver = (event: IncomingFrame) => originalOnMessage?.call(events, event);
  const close = (event: unknown) => originalOnClose?.call(events, event);

  const tappedSend = (frame: Uint8Array) => (active && hooks.outgoing ? hooks.outgoing(frame, send, false) : send(frame));
  const tappedSendUnreliable = (frame: Uint8Array) =>
    active && hooks.outgoing ? hooks.outgoing(frame, sendUnreliable, true) : sendUnreliable(frame);
  const tappedOnMessage = (event: IncomingFrame) => (active && hooks.incoming ? hooks.incoming(event, deliver) : deliver(event));
  const tappedOnClose = (event: unknown) => (active && hooks.closed ? hooks.closed(event, close) : close(event));

  connection.send = tappedSend;
  connection.sendUnreliable = tappedSendUnreliable;
  events.onmessage = tappedOnMessage;
  events.onclose = tappedOnClose;

  return () => {
    if (!active) return;
    active = false;
    // Unwrap only where nothing was stacked on top; elsewhere the wrapper stays as a pass-through.
    if (connection.send === tappedSend) restoreMethod(connection, "send", originalSend, ownSend);
    if (connection.sendUnreliable === tappedSendUnreliable) {
      restoreMethod(connection, "sendUnreliable", originalSendUnreliable, ownSendUnreliable);
    }
    if (events.onmessage === tappedOnMessage) events.onmessage = originalOnMessage;
    if (events.onclose === tappedOnClose) events.onclose = originalOnClose;
  };
}

/**
 * Seam 2. Hands a frame that arrived on the DataChannel to the room, marked
 * `datagram`, through every tap installed on `connection` (the network
 * simulator, the net graph's counters) to the SDK's decoder, which decodes it
 * as it decodes a WebSocket frame (and drops an `@unreliable` patch older than
 * the newest it applied). `data` must not be reused after the call.
 */
export function deliverDatagram(connection: TappableConnection, data: ArrayBuffer): void {
  const deliver = connection.events.onmessage;
  if (typeof deliver !== "function") throw new Error(`SDK seam moved: ${SDK_SEAMS.datagramDelivery}`);
  deliver.call(connection.events, { data, datagram: true } satisfies IncomingFrame);
}

function restoreMethod(
  connection: TappableConnection, name: "send" | "sendUnreliable", original: (data: Uint8Array) => void, wasOwn: boolean,
): void {
  // The SDK's methods live on Connection.prototype: deleting the own property brings them back.
  if (wasOwn) connection[name] = original;
  else delete (connection as Partial<TappableConnection>)[name];
}

/** The part of the SDK's `Connection` that says where its socket goes; `room.connection` is one. */
export interface AddressedConnection {
  url?: string;
}

/**
 * Seam 3. Points the SDK's next automatic reconnection attempt of
 * `connection` at `url` (its query, the session id and auth token, is kept;
 * the SDK sets the reconnection token itself). Throws naming the seam if the
 * connection keeps no URL (an SDK that moved it).
 */
export function redirectReconnection(connection: AddressedConnection, url: URL): void {
  if (typeof connection.url !== "string") throw new Error(`SDK seam moved: ${SDK_SEAMS.reconnectionAddress}`);
  const current = new URL(connection.url);
  url.search = current.search;
  connection.url = url.toString();
}

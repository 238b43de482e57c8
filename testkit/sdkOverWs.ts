/**
 * The testkit's one seam: makes `@colyseus/sdk` use the `ws` package instead
 * of Node's built-in WebSocket, so a test or a benchmark can reach a client's
 * real TCP socket: pause its reads (a peer that stops answering pings) or
 * destroy it (a cut cable). Node's WebSocket hides its socket, and the SDK
 * takes no WebSocket class as an option: its transport module picks
 * `globalThis.WebSocket || ws` once, when it loads. So this module hides the
 * global while it loads the SDK, and must be imported before anything else
 * that imports the SDK (first in the importing file). Colyseus' server side
 * reads the global too, so it is put back right after.
 * test/testkit/sdk-over-ws.test.ts fails naming the seam if the SDK moves it.
 */
export const SDK_OVER_WS_SEAM = "SDK over ws (@colyseus/sdk's transport picks globalThis.WebSocket || ws when it loads)";

const native = (globalThis as { WebSocket?: unknown }).WebSocket;
delete (globalThis as { WebSocket?: unknown }).WebSocket;
await import("@colyseus/sdk");
(globalThis as { WebSocket?: unknown }).WebSocket = native;

/** The `ws` socket under an SDK room (only when this module loaded the SDK). `_socket` is the `ws` package's own TCP socket. */
export interface RawSocket {
  terminate(): void;
  _socket: { pause(): void; resume(): void };
}

/** The `ws` socket under `room`; throws when the SDK was loaded before this module. */
export function rawSocketOf(room: { connection: { transport: unknown } }): RawSocket {
  const ws = (room.connection.transport as { ws?: RawSocket }).ws;
  if (!ws || typeof ws.terminate !== "function") {
    throw new Error("the SDK is not on the ws package: import testkit/sdkOverWs.ts before anything that imports @colyseus/sdk");
  }
  return ws;
}

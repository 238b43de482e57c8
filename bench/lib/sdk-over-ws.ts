/**
 * Makes `@colyseus/sdk` use the `ws` package instead of Node's built-in
 * WebSocket, so a test can reach the client's real TCP socket: pause its reads
 * (a peer that stops answering pings) or destroy it (a cut cable). The SDK
 * picks `globalThis.WebSocket || ws` once, when it loads, so import this module
 * before anything else that imports the SDK. Colyseus' server side reads the
 * global too, so it is put back right after.
 */
const native = (globalThis as { WebSocket?: unknown }).WebSocket;
delete (globalThis as { WebSocket?: unknown }).WebSocket;
await import("@colyseus/sdk");
(globalThis as { WebSocket?: unknown }).WebSocket = native;

/** The `ws` socket under an SDK room (only when this module loaded the SDK). */
export interface RawSocket {
  terminate(): void;
  _socket: { pause(): void; resume(): void };
}

export function rawSocketOf(room: { connection: { transport: unknown } }): RawSocket {
  const ws = (room.connection.transport as { ws?: RawSocket }).ws;
  if (!ws || typeof ws.terminate !== "function") {
    throw new Error("the SDK is not on the ws package: import bench/lib/sdk-over-ws.ts before anything that imports @colyseus/sdk");
  }
  return ws;
}

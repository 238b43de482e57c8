/**
 * Baseline (d), "the floor": what Node and `ws` cost at Arena's frame rates
 * with no game at all. A bare `ws` server sends every client one binary frame
 * of a fixed size (`frameBytes`, Arena's median patch in the benchmark) per
 * tick and reads and discards whatever clients send. No state, no encode, no
 * rooms: every server that sends one frame per client per tick and reads one
 * input per client per tick pays at least this. A benchmark fixture, not
 * product code.
 *
 * Wire: connect to `ws://host:port/`; from then on, a frame of `frameBytes`
 * bytes every tick. Anything sent is read and dropped.
 */
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import type { BaselineServer, BaselineServerOptions } from "./baselineServer.ts";
import { fixedStep } from "./fixedStep.ts";

/** The frame size when none is given: about Arena's median patch with 16 players moving. */
export const DEFAULT_FLOOR_FRAME_BYTES = 150;

/** The floor server; `listen()` resolves with the bound port. */
export function createFloorServer(options: BaselineServerOptions & { frameBytes?: number }): BaselineServer {
  const frame = Buffer.alloc(options.frameBytes ?? DEFAULT_FLOOR_FRAME_BYTES, 0x5a);
  const sockets = new Set<WebSocket>();
  let wss: WebSocketServer | undefined;
  let loop: { stop(): void } | undefined;
  const tick = () => {
    for (const socket of sockets) socket.send(frame);
  };
  return {
    async listen() {
      const listening = await listenTicking(options, tick, (socket) => {
        sockets.add(socket);
        // Read and dropped: ws has already read and unmasked the frame by the time this runs.
        socket.on("message", () => {});
        socket.on("close", () => sockets.delete(socket));
      });
      ({ server: wss, loop } = listening);
      return listening.port;
    },
    close: () => new Promise<void>((resolve) => {
      loop?.stop();
      for (const socket of sockets) socket.terminate();
      if (wss) wss.close(() => resolve());
      else resolve();
    }),
  };
}

/**
 * A `ws` server on `options`' host and port (no compression) that hands each
 * socket to `connected` and, once listening, calls `tick` at the tick rate.
 */
export function listenTicking(
  options: BaselineServerOptions, tick: () => void, connected: (socket: WebSocket) => void,
): Promise<{ server: WebSocketServer; loop: { stop(): void }; port: number }> {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ host: options.host, port: options.port, perMessageDeflate: false });
    server.once("error", reject);
    server.once("listening", () => resolve({ server, loop: fixedStep(tick, options.rules.tickHz), port: (server.address() as AddressInfo).port }));
    server.on("connection", connected);
  });
}

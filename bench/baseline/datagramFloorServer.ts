/**
 * The floor of datagrams: the floor server's traffic (one frame of
 * `frameBytes` to every client per tick, every input read and dropped) over
 * Arena's own DataChannel endpoint (server/datagrams/: one UDP port, a peer
 * per client, keepalives), so that what a DataChannel costs the server per
 * client can be set beside what a WebSocket costs (`floor`). No game, no
 * Colyseus. A benchmark fixture, not product code.
 *
 * Wire: connect a WebSocket to `ws://host:port/`; the server sends its SDP
 * offer as text, the client answers with its SDP as text, the server sends
 * its candidates as JSON (`{ candidates, mid }`, as `datagram:candidates`);
 * from the channel's first datagram on, a frame of `frameBytes` every tick on
 * the channel.
 */
import type { WebSocketServer } from "ws";
import { DatagramEndpoint } from "../../server/datagrams/endpoint.ts";
import type { DatagramPeer } from "../../server/datagrams/peer.ts";
import { createLog } from "../../server/log.ts";
import type { BaselineServer, BaselineServerOptions } from "./baselineServer.ts";
import { DEFAULT_FLOOR_FRAME_BYTES, listenTicking } from "./floorServer.ts";

/** The datagram floor server; `listen()` resolves with the bound (TCP) port, the UDP port is any free one. */
export function createDatagramFloorServer(options: BaselineServerOptions & { frameBytes?: number }): BaselineServer {
  const frame = Buffer.alloc(options.frameBytes ?? DEFAULT_FLOOR_FRAME_BYTES, 0x5a);
  const reached = new Set<DatagramPeer>();
  let endpoint: DatagramEndpoint | undefined;
  let wss: WebSocketServer | undefined;
  let loop: { stop(): void } | undefined;
  const tick = () => {
    for (const peer of reached) peer.send(frame);
  };
  return {
    async listen() {
      endpoint = await DatagramEndpoint.open({ ports: { first: 0, last: 0 } }, options.host, 0, 4096, createLog("warn"));
      if (!endpoint) throw new Error("no UDP port");
      const udp = endpoint;
      const listening = await listenTicking(options, tick, (socket) => {
        const peer: DatagramPeer = udp.createPeer({
          proven: () => reached.add(peer),
          received: () => {},
          closed: () => reached.delete(peer),
        });
        const offered = peer.offer();
        void offered.then(({ sdp }) => socket.send(sdp));
        socket.once("message", (answer) => {
          peer.answer(String(answer));
          void offered.then(({ candidates, mid }) => socket.send(JSON.stringify({ candidates, mid })));
        });
        socket.on("close", () => peer.close());
      });
      ({ server: wss, loop } = listening);
      return listening.port;
    },
    close: () => new Promise<void>((resolve) => {
      loop?.stop();
      endpoint?.close();
      if (wss) wss.close(() => resolve());
      else resolve();
    }),
  };
}

import { RTCPeerConnection } from "node-datachannel/polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatagramLink } from "../../client/net/datagrams.ts";
import type { PeerConnectionClass } from "../../client/net/datagramChannel.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import { startTestServer, waitFor, waitForTicks, type TestServer } from "../helpers/server.ts";
import { UdpRelay } from "../helpers/udpRelay.ts";

/**
 * What a DataChannel costs in packets (server/datagrams/endpoint.ts, DATAGRAM_SCTP): with a
 * datagram each way every tick, the SCTP acknowledgements ride in the datagrams that go anyway,
 * as a browser's do, instead of a packet of their own after most of them (libdatachannel's 20 ms
 * delayed SACK fires before the next tick's datagram: some 50 packets a second from the server
 * for 30 ticks).
 */
describe("datagram acknowledgements", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("ride in the datagrams of the ticks: about one packet a tick each way, not two", async () => {
    const relay = await UdpRelay.start(server.arena.datagrams.udpPort!);
    const room = await server.connect("Counted");
    room.onMessage("*", () => {});
    const link = new DatagramLink(room, relay.peerConnection(RTCPeerConnection as unknown as PeerConnectionClass));
    const input = room.input<PlayerInput>({ mode: "unreliable" });
    // Moving all the time: the server has a position to send every tick, the client an input.
    const playing = setInterval(() => {
      Object.assign(input.data, { moveX: Math.sin(performance.now() / 200), moveY: 0, aim: 0, fire: false });
      input.send();
    }, 1000 / server.config.tickHz);
    try {
      await waitFor(() => link.transport === "datagram", { timeoutMs: 15_000, message: "the channel" });
      // A few ticks for the opening's handshakes to be over, then three seconds of play counted.
      await waitForTicks(server, room.roomId, 15);
      const world = server.serverRoom(room.roomId).world;
      const before = { ...relay.relayed, tick: world.tick };
      await waitForTicks(server, room.roomId, 3 * server.config.tickHz);
      const ticks = world.tick - before.tick;
      const fromServer = relay.relayed.fromServer - before.fromServer;
      const fromClient = relay.relayed.fromClient - before.fromClient;
      expect(ticks).toBeGreaterThan(30);
      expect(fromServer / ticks, `${fromServer} packets from the server in ${ticks} ticks`).toBeLessThan(1.3);
      expect(fromClient / ticks, `${fromClient} packets from the client in ${ticks} ticks`).toBeLessThan(1.3);
    } finally {
      clearInterval(playing);
      link.close();
      await room.leave(true);
      relay.close();
    }
  }, 60_000);
});

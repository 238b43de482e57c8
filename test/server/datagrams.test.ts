import { getMessageBytes, Protocol } from "@colyseus/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatagramLink } from "../../client/net/datagrams.ts";
import { ArenaSession } from "../../client/net/session.ts";
import { KickCode, type PlayerInput } from "../../shared/protocol.ts";
import { unreliableRouteOf } from "../../server/colyseusSeams.ts";
import { NODE_DATAGRAMS } from "../../testkit/datagrams.ts";
import { handSignalledChannel, NodePeer, OPEN_DEADLINE_MS } from "../helpers/datagramPeers.ts";
import {
  playerIn, startTestServer, waitFor, waitForTicks, type ArenaClientRoom, type TestServer,
} from "../helpers/server.ts";
import { UdpRelay } from "../helpers/udpRelay.ts";


/** The room's WebSocket, under every tap: the protocol codes of what really goes out on it. */
function socketFrames(room: ArenaClientRoom): number[] {
  const codes: number[] = [];
  const transport = (room.connection as unknown as { transport: { send(data: Uint8Array): void } }).transport;
  const send = transport.send.bind(transport);
  transport.send = (data) => {
    codes.push(data[0]! & 0x1f);
    send(data);
  };
  return codes;
}

/** Resolves with the code `room` leaves with. */
function leaveCode(room: ArenaClientRoom): Promise<number> {
  return new Promise((resolve) => room.onLeave((code) => resolve(code)));
}

/**
 * Datagrams with real node-datachannel peers on both ends: the server's
 * endpoint, and Node clients running the browser's client code over
 * node-datachannel's RTCPeerConnection polyfill.
 */
describe("datagrams (server/datagrams/, client/net/datagrams.ts)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
    expect(server.logs.filter((line) => line.level === "error")).toEqual([]);
  });

  /** A room joined by the server's helper, that ignores the room's chatter. */
  async function join(name: string): Promise<ArenaClientRoom> {
    const room = await server.connect(name);
    room.onMessage("*", () => {});
    return room;
  }

  /** Runs `play` with a room joined as `name`, its link, and the codes of what goes out on its WebSocket; then leaves. */
  async function withLink(name: string, play: (room: ArenaClientRoom, link: DatagramLink, onSocket: number[]) => Promise<void>): Promise<void> {
    const room = await join(name);
    const link = new DatagramLink(room, NodePeer);
    try {
      await play(room, link, socketFrames(room));
    } finally {
      link.close();
      await room.leave(true);
    }
  }

  describe("a session", () => {
    it("opens a channel after joining, and the server routes its unreliable frames on it", async () => {
      const session = await ArenaSession.join(server.url, "Dgram", undefined, NODE_DATAGRAMS);
      try {
        await waitFor(() => session.transport === "datagram", { timeoutMs: OPEN_DEADLINE_MS, message: "the session's channel" });
        const client = server.serverRoom(session.roomId).clients.getById(session.sessionId)!;
        expect(unreliableRouteOf(client)).toBe("datagram");
        expect(session.netStats().transport).toBe("datagram");
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        expect(metrics).toMatch(/^arena_datagram_channels_total\{event="opened"\} [1-9]/m);
        expect(metrics).toMatch(/^arena_datagram_channels [1-9]/m);
      } finally {
        await session.leave();
      }
    });

    it("opens it again after the SDK's reconnection, on the new connection", async () => {
      const session = await ArenaSession.join(server.url, "Comeback", undefined, NODE_DATAGRAMS);
      try {
        await waitFor(() => session.transport === "datagram", { timeoutMs: OPEN_DEADLINE_MS, message: "the first channel" });
        const room = server.serverRoom(session.roomId);
        const before = room.clients.getById(session.sessionId)!;
        (before.ref as unknown as { terminate(): void }).terminate();
        await waitFor(() => session.status === "reconnecting" || session.transport === "websocket", { timeoutMs: OPEN_DEADLINE_MS, message: "the drop" });
        await waitFor(() => {
          const after = room.clients.getById(session.sessionId);
          return after !== undefined && after !== before && unreliableRouteOf(after) === "datagram" && session.transport === "datagram";
        }, { timeoutMs: 30_000, message: "a channel on the resumed connection" });
      } finally {
        await session.leave();
      }
    });

    it("opens one for a spectator too", async () => {
      const player = await join("Watched");
      const watcher = await ArenaSession.enter(server.url, { kind: "watch", roomId: player.roomId, name: "Watcher" }, undefined, undefined, NODE_DATAGRAMS);
      try {
        await waitFor(() => watcher.spectating && watcher.transport === "datagram", { timeoutMs: OPEN_DEADLINE_MS, message: "the spectator's channel" });
      } finally {
        await watcher.leave();
        await player.leave(true);
      }
    });
  });

  describe("inputs", () => {
    it("go as datagrams while the channel is up, never on the WebSocket, and move the player", () => withLink("Mover", async (room, link, onSocket) => {
      await waitFor(() => link.transport === "datagram", { timeoutMs: OPEN_DEADLINE_MS, message: "the channel" });
      await waitFor(() => playerIn(room) !== undefined, { message: "the own player" });
      const start = { x: playerIn(room)!.x, y: playerIn(room)!.y };
      const input = room.input<PlayerInput>({ mode: "unreliable" });
      await waitFor(() => {
        Object.assign(input.data, { moveX: 1, moveY: 0.5, aim: 0, fire: false });
        input.send();
        const me = playerIn(room)!;
        return Math.hypot(me.x - start.x, me.y - start.y) > 20;
      }, { timeoutMs: 10_000, message: "the player to move on datagram inputs" });
      expect(onSocket.filter((code) => code === Protocol.ROOM_INPUT_UNRELIABLE)).toEqual([]);
    }));
  });

  describe("a channel closed by the client (DatagramLink.closeChannel)", () => {
    it("falls back to the WebSocket at once, keeps the seat, and opens a new channel after the back-off", () => withLink("Fallback", async (room, link, onSocket) => {
      await waitFor(() => link.transport === "datagram", { timeoutMs: OPEN_DEADLINE_MS, message: "the first channel" });
      const client = server.serverRoom(room.roomId).clients.getById(room.sessionId)!;
      link.closeChannel();
      expect(link.transport).toBe("websocket");
      const input = room.input<PlayerInput>({ mode: "unreliable" });
      Object.assign(input.data, { moveX: 1, moveY: 0, aim: 0, fire: false });
      input.send();
      expect(onSocket).toContain(Protocol.ROOM_INPUT_UNRELIABLE);
      await waitFor(() => unreliableRouteOf(client) === "websocket", { timeoutMs: OPEN_DEADLINE_MS, message: "the server's route back on the WebSocket" });
      await waitFor(() => link.transport === "datagram" && unreliableRouteOf(client) === "datagram", {
        timeoutMs: 30_000, message: "a new channel after the back-off",
      });
      expect(link.stats).toMatchObject({ opened: 2, failed: 1, lastFailure: "closed by the client" });
      expect(room.connection.isOpen).toBe(true);
      expect(server.serverRoom(room.roomId).clients.getById(room.sessionId)).toBe(client);
    }));
  });

  describe("limits, as on the WebSocket", () => {
    it("a datagram that is not an unreliable input is an invalid message: enough of them are kicked with 4400", async () => {
      const room = await join("Smuggler");
      const lines: string[] = [];
      room.onMessage("chat", (line: { text: string }) => lines.push(line.text));
      const left = leaveCode(room);
      const channel = await handSignalledChannel(room);
      const chat = getMessageBytes.raw(Protocol.ROOM_DATA, "chat", { text: "by datagram" });
      for (let i = 0; i <= server.config.security.maxInvalidMessages; i++) channel.send(chat);
      expect(await left).toBe(KickCode.invalidMessages);
      expect(lines).not.toContain("by datagram");
      channel.close();
    });

    it("a flood of datagrams is kicked with 4429, as a flood of WebSocket frames is", async () => {
      const room = await join("Flooder");
      const left = leaveCode(room);
      const channel = await handSignalledChannel(room);
      const input = Uint8Array.of(Protocol.ROOM_INPUT_UNRELIABLE);
      for (let i = 0; i < 3 * server.config.security.maxMessagesPerSecond; i++) channel.send(input);
      expect(await left).toBe(KickCode.messageFlood);
      channel.close();
    });
  });

  // A peer answering a leaked offer: datagram-intruder.test.ts.
  describe("forged and replayed datagrams", () => {
    it("a datagram recorded and sent again, or one made up, changes nothing and breaks nothing", async () => {
      const relay = await UdpRelay.start(server.arena.datagrams.udpPort!);
      const room = await join("Replayed");
      const link = new DatagramLink(room, relay.peerConnection(NodePeer));
      try {
        await waitFor(() => link.transport === "datagram", { timeoutMs: OPEN_DEADLINE_MS, message: "the channel through the relay" });
        await waitFor(() => playerIn(room) !== undefined, { message: "the own player" });
        const serverRoom = server.serverRoom(room.roomId);
        const body = () => serverRoom.world.players.get(room.sessionId)!;
        const start = { x: body().x, y: body().y };
        const input = room.input<PlayerInput>({ mode: "unreliable" });
        relay.recording = true;
        await waitFor(() => {
          Object.assign(input.data, { moveX: 1, moveY: 0, aim: 0, fire: false });
          input.send();
          // Enough of the client's packets to replay, however few a fast move took.
          return body().x - start.x > 40 && relay.recorded.length > 20;
        }, { timeoutMs: 10_000, message: "the player to move, and twenty of its packets recorded" });
        relay.recording = false;
        // Stopped, and settled where it stopped.
        Object.assign(input.data, { moveX: 0, moveY: 0 });
        await waitFor(async () => {
          input.send();
          const before = { x: body().x, y: body().y };
          await waitForTicks(server, room.roomId, 5);
          return body().x === before.x && body().y === before.y;
        }, { timeoutMs: 10_000, message: "the player to stop" });
        const stopped = { x: body().x, y: body().y };
                relay.replay();
        relay.replay();
        relay.forge(50);
        await waitForTicks(server, room.roomId, 30);
        expect({ x: body().x, y: body().y }).toEqual(stopped);
        // The channel lives on.
        expect(link.transport).toBe("datagram");
      } finally {
        link.close();
        await room.leave(true);
        relay.close();
      }
    });
  });
});

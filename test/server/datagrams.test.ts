import { Protocol } from "@colyseus/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatagramLink } from "../../client/net/datagrams.ts";
import { ArenaSession } from "../../client/net/session.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import { unreliableRouteOf } from "../../server/colyseusSeams.ts";
import { NODE_DATAGRAMS } from "../../testkit/datagrams.ts";
import { playerIn, startTestServer, waitFor, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";

/**
 * Datagrams with real node-datachannel peers on both ends: the server's
 * endpoint and Node clients running the browser's client code.
 */
const OPEN_DEADLINE_MS = 15_000;

/** The room's WebSocket, under every tap: what really goes out on it. */
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

describe("datagrams (server/datagrams/, client/net/datagrams.ts)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
    expect(server.logs.filter((line) => line.level === "error")).toEqual([]);
  });

  it("opens a channel for a session that asks, and the server routes the client's unreliable frames on it", async () => {
    const session = await ArenaSession.join(server.url, "Dgram", undefined, NODE_DATAGRAMS);
    try {
      await waitFor(() => session.transport === "datagram", { timeoutMs: OPEN_DEADLINE_MS, message: "the session's channel to open" });
      const client = server.serverRoom(session.roomId).clients.getById(session.sessionId)!;
      expect(unreliableRouteOf(client)).toBe("datagram");
      expect(session.netStats().transport).toBe("datagram");
    } finally {
      await session.leave();
    }
  });

  it("carries unreliable inputs as datagrams, never on the WebSocket, and the player moves", async () => {
    const room = await server.connect("Mover");
    const link = new DatagramLink(room, NODE_DATAGRAMS === "websocket" ? undefined! : NODE_DATAGRAMS.peerConnection);
    const onSocket = socketFrames(room);
    try {
      await waitFor(() => link.transport === "datagram", { timeoutMs: OPEN_DEADLINE_MS, message: "the channel to open" });
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
    } finally {
      link.close();
      await room.leave(true);
    }
  });
});

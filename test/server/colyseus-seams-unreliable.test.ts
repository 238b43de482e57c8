import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getMessageBytes, Protocol } from "@colyseus/core";
import { describe, expect, it } from "vitest";
import { deliverDatagram, routeUnreliable, SEAMS, unreliableRouteOf } from "../../server/colyseusSeams.ts";
import { useTestServer, waitFor } from "../helpers/server.ts";

/**
 * The datagram seams (server/colyseusSeams/unreliable.ts) against the
 * installed Colyseus: where the serializer looks for a client's unreliable
 * channel, and where a received datagram enters a room.
 */
const require = createRequire(new URL("../../", import.meta.url));
const packageSource = (name: string, file: string) => readFileSync(join(dirname(require.resolve(`${name}/package.json`)), file), "utf8");
const seamMoved = (seam: string) => `Colyseus seam moved: ${seam}. Read server/colyseusSeams.ts before upgrading.`;

describe("Colyseus datagram seams (server/colyseusSeams/unreliable.ts)", () => {
  const server = useTestServer();

  describe(SEAMS.unreliableRoute, () => {
    it("finds the serializer sending unreliable frames only to clients that have rawUnreliable", () => {
      const serializer = packageSource("@colyseus/core", "build/serializer/SchemaSerializer.mjs");
      expect(serializer, seamMoved(SEAMS.unreliableRoute)).toContain("client.rawUnreliable !== void 0");
      expect(serializer, seamMoved(SEAMS.unreliableRoute)).toContain("client.rawUnreliable(");
    });

    it("sends over the client's own WebSocket by default, and through the datagram sender once given one", async () => {
      const room = await server().connect("Ann");
      room.onMessage("chat", () => undefined);
      const client = [...server().serverRoom(room.roomId).clients][0]!;
      routeUnreliable(client);
      expect(unreliableRouteOf(client)).toBe("websocket");
      // A message frame sent through the route reaches the SDK over the socket.
      const heard = new Promise<unknown>((resolve) => room.onMessage("routed", resolve));
      client.rawUnreliable!(getMessageBytes.raw(Protocol.ROOM_DATA, "routed", { over: "websocket" }));
      expect(await heard).toEqual({ over: "websocket" });

      const datagrams: Uint8Array[] = [];
      routeUnreliable(client, (frame) => datagrams.push(frame));
      expect(unreliableRouteOf(client)).toBe("datagram");
      client.rawUnreliable!(Uint8Array.of(1, 2, 3));
      expect(datagrams).toEqual([Uint8Array.of(1, 2, 3)]);
    });
  });

  describe(SEAMS.datagramDelivery, () => {
    it("hands a datagram to the room as a frame from that client's socket", async () => {
      const room = await server().connect("Ann");
      const lines: Array<{ from: string; text: string }> = [];
      room.onMessage("chat", (line: { from: string; text: string }) => { if (line.from !== "") lines.push(line); });
      const client = [...server().serverRoom(room.roomId).clients][0]!;
      expect(deliverDatagram(client, getMessageBytes.raw(Protocol.ROOM_DATA, "chat", { text: "by datagram" }))).toBe(true);
      await waitFor(() => lines.length > 0, { message: "the chat line sent as a datagram" });
      expect(lines[0]).toMatchObject({ from: "Ann", text: "by datagram" });
    });

    it("drops a datagram for a client that has left", async () => {
      const room = await server().connect("Ann");
      const client = [...server().serverRoom(room.roomId).clients][0]!;
      room.onMessage("chat", () => undefined);
      await room.leave(true);
      // Colyseus unbinds the room from the socket when the client leaves.
      const ref = (client as unknown as { ref: { listenerCount(event: string): number } }).ref;
      await waitFor(() => ref.listenerCount("message") === 0, { message: "Ann's socket unbound from the room" });
      expect(deliverDatagram(client, getMessageBytes.raw(Protocol.ROOM_DATA, "chat", { text: "late" }))).toBe(false);
    });
  });
});

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getMessageBytes, Protocol, ProtocolModifier, type Client } from "@colyseus/core";
import { Decoder, Encoder, Reflection, schema, StateView, t } from "@colyseus/schema";
import { describe, expect, it } from "vitest";
import {
  countPatchBytes, deliverDatagram, InterestView, interestViews, joinUnreliable, routeUnreliable, SEAMS, unreliableQuantized, unreliableRouteOf,
} from "../../server/colyseusSeams.ts";
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

  describe("each client's unreliable frames", () => {
    const PATCH = Protocol.ROOM_STATE_PATCH | ProtocolModifier.UNRELIABLE;
    /** One of Colyseus' unreliable patches as its serializer encodes it once for everyone: room-wide number 0x1234, a body of 7, 7. */
    const roomFrame = () => Uint8Array.of(PATCH, 0x34, 0x12, 7, 7);
    const fakeClient = (sent: number[][]) => ({ raw: (data: Uint8Array) => void sent.push([...data]) }) as unknown as Client;

    it("are numbered per client from 1, and go over the WebSocket unstamped (the reliable patch before them carries the clock)", () => {
      const sent: number[][] = [];
      const client = fakeClient(sent);
      joinUnreliable(client, () => 1234.75);
      client.rawUnreliable!(roomFrame());
      client.rawUnreliable!(roomFrame());
      expect(sent).toEqual([[PATCH, 1, 0, 7, 7], [PATCH, 2, 0, 7, 7]]);
    });

    it("go as datagrams with Colyseus' TIMED prefix: the room clock and an acknowledgement of 0; the numbering goes on across routes", () => {
      const datagrams: number[][] = [];
      const client = fakeClient([]);
      joinUnreliable(client, () => 0x01020304 + 0.5);
      client.rawUnreliable!(roomFrame());
      routeUnreliable(client, (frame) => datagrams.push([...frame]));
      client.rawUnreliable!(roomFrame());
      expect(datagrams).toEqual([[PATCH | ProtocolModifier.TIMED, 4, 3, 2, 1, 0, 0, 0, 0, 2, 0, 7, 7]]);
    });

    it("leave other frames as they are", () => {
      const sent: number[][] = [];
      const client = fakeClient(sent);
      joinUnreliable(client, () => 0);
      client.rawUnreliable!(Uint8Array.of(Protocol.ROOM_DATA, 1, 2));
      expect(sent).toEqual([[Protocol.ROOM_DATA, 1, 2]]);
    });

    it("are counted with the patches once, over either route", () => {
      const client = fakeClient([]);
      let counted = 0;
      countPatchBytes(client, (bytes) => {
        counted += bytes;
      });
      joinUnreliable(client, () => 0);
      client.raw(Uint8Array.of(Protocol.ROOM_STATE_PATCH | ProtocolModifier.TIMED, 1, 2, 3));
      client.rawUnreliable!(roomFrame());
      expect(counted).toBe(4 + 5);
      routeUnreliable(client, () => undefined);
      client.rawUnreliable!(roomFrame());
      expect(counted).toBe(4 + 5 + 13);
    });
  });

  describe(SEAMS.unreliableFields, () => {
    const position = () => t.quantized({ min: 0, max: 65535 / 32, bits: 16 }).default(0);

    it("finds .unreliable() refusing a quantized field, which this seam puts on the unreliable channel", () => {
      expect(() => schema({ x: position().unreliable() }, "RefusedQuantized"), seamMoved(SEAMS.unreliableFields)).toThrow(/ref-type/);
    });

    it("sends a marked field's changes in the unreliable encode only, and its first value with its object", () => {
      const Dot = schema({ x: position(), label: t.string().default("") }, "UnreliableDot");
      unreliableQuantized(Dot, ["x"]);
      const Board = schema({ dot: t.ref(Dot) }, "UnreliableBoard");
      const board = new Board();
      const encoder = new Encoder(board);
      const decoded = Reflection.decode<InstanceType<typeof Board>>(Reflection.encode(encoder));
      const decoder = decoded as unknown as Decoder;
      board.dot.x = 10;
      decoder.decode(encoder.encodeAll());
      encoder.discardChanges();
      expect(decoded.state.dot.x).toBe(10);
      board.dot.x = 20;
      board.dot.label = "moved";
      expect(encoder.hasUnreliableChanges, seamMoved(SEAMS.unreliableFields)).toBe(true);
      decoder.decode(encoder.encode());
      encoder.discardChanges();
      expect({ x: decoded.state.dot.x, label: decoded.state.dot.label }).toEqual({ x: 10, label: "moved" });
      decoder.decode(encoder.encodeUnreliable());
      encoder.discardUnreliableChanges();
      expect(decoded.state.dot.x).toBe(20);
    });
  });

  describe(SEAMS.interestViews, () => {
    const position = () => t.quantized({ min: 0, max: 65535 / 32, bits: 16 }).default(0);
    const Dot = schema({ x: position(), label: t.string().default("") }, "HalfRateDot");
    unreliableQuantized(Dot, ["x"]);
    const Board = schema({ dots: t.map(Dot).view() }, "HalfRateBoard");

    /** A board of two dots in one view, `far` sent every other patch by an InterestView; each call moves both and says whose move the view's unreliable frame carried. */
    function board(view: StateView) {
      const state = new Board();
      const encoder = new Encoder(state);
      interestViews({ _serializer: { encoder } } as never);
      const near = new Dot();
      const far = new Dot();
      state.dots.set("near", near);
      state.dots.set("far", far);
      view.add(near);
      view.add(far);
      if (view instanceof InterestView) view.everyOtherPatch.add(far);
      encoder.discardChanges();
      let x = 0;
      return () => {
        x += 1;
        near.x = x;
        far.x = x + 500;
        const it = { offset: 0 };
        encoder.encodeUnreliable(it);
        const frame = encoder.encodeUnreliableView(view, it.offset, it);
        encoder.discardUnreliableChanges();
        // A position goes as its grid step, a little-endian uint16.
        const carried = (value: number) => Buffer.from(frame).includes(Buffer.from(Uint16Array.of(value * 32).buffer));
        return [carried(near.x) && "near", carried(far.x) && "far"].filter(Boolean);
      };
    }

    it("leaves the objects an InterestView names out of every other unreliable frame, and a plain view's out of none", () => {
      const halfRate = board(new InterestView());
      expect([halfRate(), halfRate(), halfRate(), halfRate()], seamMoved(SEAMS.interestViews)).toEqual([["near", "far"], ["near"], ["near", "far"], ["near"]]);
      const plain = board(new StateView());
      expect([plain(), plain()]).toEqual([["near", "far"], ["near", "far"]]);
    });

    it("announces a map entry created in the tick it is added to an InterestView once, where a plain view hears it twice", () => {
      const adds = (view: StateView) => {
        const state = new Board();
        const encoder = new Encoder(state);
        interestViews({ _serializer: { encoder } } as never);
        encoder.discardChanges();
        const dot = new Dot();
        dot.label = "fresh";
        state.dots.set("k12345", dot);
        view.add(dot);
        const it = { offset: 0 };
        encoder.encode(it);
        const frame = Buffer.from(encoder.encodeView(view, it.offset, it));
        encoder.discardChanges();
        return frame.toString("latin1").split("k12345").length - 1;
      };
      expect(adds(new StateView()), seamMoved(SEAMS.interestViews)).toBe(2);
      expect(adds(new InterestView())).toBe(1);
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

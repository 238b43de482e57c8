import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { Decoder, schema, t } from "@colyseus/schema";
import { decodeDatagram, deliverDatagram, redirectReconnection, SDK_SEAMS, tapConnection, type IncomingFrame, type TappableConnection } from "../../client/net/sdkSeams.ts";
import { useTestServer, waitFor } from "../helpers/server.ts";

/**
 * Every reach into `@colyseus/sdk`'s internals lives in client/net/sdkSeams.ts.
 * These tests check, against the installed SDK, what each seam relies on, and
 * fail naming the seam when an upgrade moves it.
 */
const require = createRequire(new URL("../../", import.meta.url));
/** The text of a file of the installed SDK, e.g. "build/Room.mjs". */
const sdkSource = (file: string) => readFileSync(join(dirname(require.resolve("@colyseus/sdk/package.json")), file), "utf8");
const seamMoved = (seam: string) => `SDK seam moved: ${seam}. Read client/net/sdkSeams.ts before upgrading.`;

describe("SDK seams (client/net/sdkSeams.ts)", () => {
  const server = useTestServer();

  describe(SDK_SEAMS.connectionTap, () => {
    it("finds the Room sending through its connection and setting the connection's callbacks once, at connect", () => {
      const room = sdkSource("build/Room.mjs");
      const connection = sdkSource("build/Connection.mjs");
      const moved = seamMoved(SDK_SEAMS.connectionTap);
      expect(connection, moved).toMatch(/\n {4}send\(data\) \{/);
      expect(connection, moved).toMatch(/\n {4}sendUnreliable\(data\) \{/);
      expect(room, moved).toContain("this.connection.send(");
      expect(room, moved).toContain("this.connection.sendUnreliable(");
      // Set once per Connection object, which a reconnection keeps (it calls connection.reconnect).
      expect(room.match(/this\.connection\.events\.onmessage = /g), moved).toHaveLength(1);
      expect(room.match(/this\.connection\.events\.onclose = /g), moved).toHaveLength(1);
      expect(room, moved).toContain("this.connection.reconnect(");
      expect(connection, moved).not.toMatch(/reconnect\([^)]*\) \{[^}]*events/);
    });

    it("sees a real room's frames both ways, and lets them through", async () => {
      const room = await server().connect("Tapped");
      const seen = { in: 0, out: 0 };
      const untap = tapConnection(room.connection as unknown as TappableConnection, {
        incoming: (event: IncomingFrame, forward) => {
          seen.in++;
          forward(event);
        },
        outgoing: (frame, forward) => {
          seen.out++;
          forward(frame);
        },
      });
      const chat = new Promise<unknown>((resolve) => room.onMessage("chat", (line: { text: string }) => {
        if (line.text === "through the tap") resolve(line);
      }));
      room.send("chat", { text: "through the tap" });
      // The frame went out through the tap and the broadcast came back through it to the room.
      expect(await chat).toMatchObject({ text: "through the tap" });
      await waitFor(() => seen.in > 0 && seen.out > 0, { message: seamMoved(SDK_SEAMS.connectionTap) });
      untap();
      await room.leave(true);
    });
  });

  describe(SDK_SEAMS.datagramDelivery, () => {
    it("finds the SDK's own datagram transport feeding its frames to events.onmessage, which the Room decodes", () => {
      const moved = seamMoved(SDK_SEAMS.datagramDelivery);
      expect(sdkSource("build/transport/H3Transport.mjs"), moved).toContain("this.events.onmessage({ data: frame })");
      expect(sdkSource("build/Room.mjs"), moved).toContain("this.connection.events.onmessage = this.onMessageCallback.bind(this)");
    });

    it("hands a frame to the room through the taps, marked as a datagram, and the room decodes it", async () => {
      const room = await server().connect("Datagram");
      const marks: Array<boolean | undefined> = [];
      const untap = tapConnection(room.connection as unknown as TappableConnection, {
        incoming: (event, forward) => {
          marks.push(event.datagram);
          forward(event);
        },
      });
      const heard = new Promise<unknown>((resolve) => room.onMessage("delivered", resolve));
      // A ROOM_DATA frame as the server encodes one: code 13, the type as a msgpack string, then the payload (msgpack `true`).
      const type = new TextEncoder().encode("delivered");
      const frame = Uint8Array.of(13, 0xa0 | type.length, ...type, 0xc3);
      deliverDatagram(room.connection as unknown as TappableConnection, frame.buffer);
      expect(await heard).toBe(true);
      expect(marks).toContain(true);
      untap();
      await room.leave(true);
    });
  });
  describe(SDK_SEAMS.datagramAhead, () => {
    it("keeps the schema decoder's complaint about an unknown reference off the console, counts it, and lets every other line through", () => {
      const State = schema({ n: t.number() }, "SeamAheadState");
      const decoder = new Decoder(new State());
      const printed: unknown[] = [];
      const { error, warn } = console;
      console.error = (...args: unknown[]) => printed.push(args[0]);
      console.warn = (...args: unknown[]) => printed.push(args[0]);
      let skipped = 0;
      try {
        // SWITCH_TO_STRUCTURE (255) to reference 99, which this decoder never saw.
        decodeDatagram(() => decoder.decode(Uint8Array.of(255, 99)), () => skipped++);
        decodeDatagram(() => console.error("something else"), () => skipped++);
      } finally {
        console.error = error;
        console.warn = warn;
      }
      expect(skipped, seamMoved(SDK_SEAMS.datagramAhead)).toBe(1);
      expect(printed).toEqual(["something else"]);
      // The console is the one it was.
      expect(console.error).toBe(error);
    });
  });
  describe(SDK_SEAMS.reconnectionAddress, () => {
    it("finds the connection reopening its own url on reconnect, and points it elsewhere keeping the query", () => {
      const connection = sdkSource("build/Connection.mjs");
      const moved = seamMoved(SDK_SEAMS.reconnectionAddress);
      expect(connection, moved).toMatch(/this\.url = url;/);
      expect(connection, moved).toMatch(/reconnect\(queryParams\) \{[\s\S]*?new URL\(this\.url\)[\s\S]*?this\.transport\.connect\(url\.toString\(\)/);
      const addressed = { url: "ws://127.0.0.2:2567/oldProcess/room1?sessionId=s1&_authToken=t" };
      redirectReconnection(addressed, new URL("ws://127.0.0.3:2568/newProcess/room1"));
      expect(addressed.url).toBe("ws://127.0.0.3:2568/newProcess/room1?sessionId=s1&_authToken=t");
      expect(() => redirectReconnection({}, new URL("ws://x/y"))).toThrow(SDK_SEAMS.reconnectionAddress);
    });
  });
});

import { describe, expect, it } from "vitest";
import { CHAT_MAX_LENGTH, type ChatBroadcast } from "../../shared/protocol.ts";
import { collectMessages, nextMessage, useTestServer, waitFor, type ArenaClientRoom } from "../helpers/server.ts";

interface ChatRejection {
  reason: string;
}

/**
 * Sends a line from `room` and waits for its own echo. Messages to one client
 * arrive in the order the server sent them, so once the echo is in, anything
 * the server had sent this client before it has arrived too.
 */
async function roundTrip(room: ArenaClientRoom, text: string): Promise<void> {
  const echo = nextMessage<ChatBroadcast>(room, "chat");
  room.send("chat", { text });
  expect((await echo).text).toBe(text);
}

describe("chat", () => {
  describe("broadcast", () => {
    const server = useTestServer();

    it("reaches every client in the room, trimmed and signed with the sender's name, and no other room", async () => {
      const ann = await server().connect("Ann");
      const bob = await server().connect("Bob");
      expect(bob.roomId).toBe(ann.roomId);
      const elsewhere = await server().createRoom("Zed");
      expect(elsewhere.roomId).not.toBe(ann.roomId);
      const overheard = collectMessages<ChatBroadcast>(elsewhere, "chat");

      const toAnn = nextMessage<ChatBroadcast>(ann, "chat");
      const toBob = nextMessage<ChatBroadcast>(bob, "chat");
      ann.send("chat", { text: "  hi  " });
      expect(await toAnn).toStrictEqual({ from: "Ann", text: "hi" });
      expect(await toBob).toStrictEqual({ from: "Ann", text: "hi" });

      await roundTrip(elsewhere, "anyone?");
      expect(overheard).toStrictEqual([{ from: "Zed", text: "anyone?" }]);
    });

    it(`accepts a line of exactly ${CHAT_MAX_LENGTH} characters`, async () => {
      const ann = await server().connect("Ann");
      const text = "y".repeat(CHAT_MAX_LENGTH);
      const echo = nextMessage<ChatBroadcast>(ann, "chat");
      ann.send("chat", { text });
      expect(await echo).toStrictEqual({ from: "Ann", text });
    });
  });

  describe("rejection", () => {
    const server = useTestServer();

    it.each([
      ["empty", ""],
      ["only whitespace", "   \t "],
      [`${CHAT_MAX_LENGTH + 1} characters`, "z".repeat(CHAT_MAX_LENGTH + 1)],
    ])("answers a text that is %s with chatRejected and a reason, and broadcasts nothing", async (_case, text) => {
      const ann = await server().connect("Ann");
      const bob = await server().connect("Bob");
      expect(bob.roomId).toBe(ann.roomId);
      const toAnn = collectMessages<ChatBroadcast>(ann, "chat");
      const toBob = collectMessages<ChatBroadcast>(bob, "chat");

      const rejection = nextMessage<ChatRejection>(ann, "chatRejected");
      ann.send("chat", { text });
      const { reason } = await rejection;
      expect(typeof reason).toBe("string");
      expect(reason.length).toBeGreaterThan(0);

      // A valid line sent afterwards is the first and only one anybody receives.
      await roundTrip(ann, "after");
      await roundTrip(bob, "ack");
      await waitFor(() => toAnn.length >= 2, { message: "Bob's line to reach Ann" });
      expect(toAnn).toStrictEqual([{ from: "Ann", text: "after" }, { from: "Bob", text: "ack" }]);
      expect(toBob).toStrictEqual([{ from: "Ann", text: "after" }, { from: "Bob", text: "ack" }]);
    });

    it("answers a payload without a text string with chatRejected", async () => {
      const ann = await server().connect("Ann");
      const rejection = nextMessage<ChatRejection>(ann, "chatRejected");
      ann.send("chat", { text: 42 });
      expect((await rejection).reason.length).toBeGreaterThan(0);
    });
  });
});

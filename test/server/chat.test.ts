import { describe, expect, it } from "vitest";
import { CHAT_BURST, CHAT_MAX_LENGTH, CHAT_WINDOW_SECONDS, ServerMessage, type ChatBroadcast, type MessageRejection } from "../../shared/protocol.ts";
import { collectMessages, nextMessage, playerIn, useTestServer, waitFor, type ArenaClientRoom } from "../helpers/server.ts";

/** The next chat line a person wrote (system lines, from "", announce joins, leaves and kills). */
function nextSpoken(room: ArenaClientRoom, timeoutMs = 10_000): Promise<ChatBroadcast> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`no chat line reached ${room.sessionId}`)); }, timeoutMs);
    const stop = room.onMessage("chat", (line: ChatBroadcast) => {
      if (line.from === "") return;
      clearTimeout(timer);
      stop();
      resolve(line);
    });
  });
}

/** Every chat line a person wrote that reaches `room` from now on. */
function collectSpoken(room: ArenaClientRoom): ChatBroadcast[] {
  const lines: ChatBroadcast[] = [];
  room.onMessage("chat", (line: ChatBroadcast) => { if (line.from !== "") lines.push(line); });
  return lines;
}

interface ChatRejection {
  reason: string;
}

/**
 * Sends a line from `room` and waits for its own echo. Messages to one client
 * arrive in the order the server sent them, so once the echo is in, anything
 * the server had sent this client before it has arrived too.
 */
async function roundTrip(room: ArenaClientRoom, text: string): Promise<void> {
  const echo = nextSpoken(room);
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
      const overheard = collectSpoken(elsewhere);

      const toAnn = nextSpoken(ann);
      const toBob = nextSpoken(bob);
      ann.send("chat", { text: "  hi  " });
      expect(await toAnn).toStrictEqual({ from: "Ann", text: "hi" });
      expect(await toBob).toStrictEqual({ from: "Ann", text: "hi" });

      await roundTrip(elsewhere, "anyone?");
      expect(overheard).toStrictEqual([{ from: "Zed", text: "anyone?" }]);
    });

    it(`accepts a line of exactly ${CHAT_MAX_LENGTH} characters`, async () => {
      const ann = await server().connect("Ann");
      const text = "y".repeat(CHAT_MAX_LENGTH);
      const echo = nextSpoken(ann);
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
      const toAnn = collectSpoken(ann);
      const toBob = collectSpoken(bob);

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

    it("answers a payload without a text string with messageRejected (an invalid message, not a chat line)", async () => {
      const ann = await server().connect("Ann");
      const rejection = nextMessage<MessageRejection>(ann, ServerMessage.messageRejected);
      ann.send("chat", { text: 42 });
      expect(await rejection).toMatchObject({ type: "chat", reason: expect.stringMatching(/Invalid "chat" message/) });
    });
  });

  describe("flood", () => {
    const server = useTestServer();

    it(`passes ${CHAT_BURST} lines per ${CHAT_WINDOW_SECONDS} s, refuses the rest with a reason, and keeps the sender connected`, async () => {
      const ann = await server().connect("Ann");
      const bob = await server().connect("Bob");
      expect(bob.roomId).toBe(ann.roomId);
      const heard = collectSpoken(bob);
      const refusals = collectMessages<ChatRejection>(ann, "chatRejected");
      for (let i = 0; i < 20; i++) ann.send("chat", { text: `spam ${i}` });
      await waitFor(() => refusals.length === 20 - CHAT_BURST, { message: () => `${20 - CHAT_BURST} refusals (got ${refusals.length})` });
      expect(refusals[0].reason).toMatch(/slow down/);
      // Ann's refusals and Bob's lines travel on two sockets: Bob's may still be on their way.
      await waitFor(() => heard.length >= CHAT_BURST, { message: () => `${CHAT_BURST} lines to reach Bob (got ${heard.length})` });
      // His own line comes back after anything sent him before, so once it is in, nothing of Ann's is left in flight.
      await roundTrip(bob, "ack");
      expect(heard.map((line) => line.text)).toEqual([...Array.from({ length: CHAT_BURST }, (_, i) => `spam ${i}`), "ack"]);
      // Still seated and still heard by the game: the flood cost nothing but the refused lines.
      expect(playerIn(bob, ann.sessionId)).toBeDefined();
      expect(ann.connection.isOpen).toBe(true);
    });
  });

  describe("system lines", () => {
    const server = useTestServer();

    it("announce joins and leaves, from nobody", async () => {
      const ann = await server().connect("Ann");
      const lines = collectMessages<ChatBroadcast>(ann, "chat");
      const bob = await server().connect("Bob");
      await waitFor(() => lines.some((line) => line.text === "Bob joined"), { message: "the join line" });
      await bob.leave(true);
      await waitFor(() => lines.some((line) => line.text === "Bob left"), { message: "the leave line" });
      expect(lines.filter((line) => line.text.startsWith("Bob")).every((line) => line.from === "")).toBe(true);
    });
  });
});

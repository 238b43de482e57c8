import { rawSocketOf } from "../../testkit/sdkOverWs.ts";
import { Client } from "@colyseus/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ClientMessage, KickCode, ROOM_NAME, ServerMessage, type ArenaView, type ChatBroadcast } from "../../shared/protocol.ts";
import { AUTO_MUTE_AFTER, AUTO_MUTE_MINUTES } from "../../server/rooms/moderation.ts";
import { ADMIN_PASSWORD, adminCall } from "../helpers/admin.ts";
import { call, newProfile, profileToken } from "../helpers/playerApi.ts";
import { nextMessage, playerIn, startTestServer, waitFor, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";

const GENERATED = /^[A-Z][a-z]+ [A-Z][a-z]+ \d\d$/;

function admin(server: TestServer, method: string, path: string, json?: unknown) {
  return adminCall(server.url, method, path, json);
}

/** The chat lines `room` receives from now on. */
function chatOf(room: ArenaClientRoom): ChatBroadcast[] {
  const lines: ChatBroadcast[] = [];
  room.onMessage(ServerMessage.chat, (line: ChatBroadcast) => lines.push(line));
  return lines;
}

describe("moderation in a room", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ security: { adminPassword: ADMIN_PASSWORD }, reconnectSeconds: 10, chatBurst: 20 });
  });

  afterAll(async () => {
    await server.close();
  });

  const rooms: ArenaClientRoom[] = [];
  afterEach(async () => {
    await Promise.allSettled(rooms.splice(0).filter((room) => room.connection.isOpen).map((room) => room.leave()));
  });

  /** Two players in a new room, each a guest of its own (mutes follow the guest): Ann and Bob, each hearing every message. */
  async function pair(annName = "Ann") {
    const ann = await (await server.client()).create<ArenaView>(ROOM_NAME, { name: annName }) as ArenaClientRoom;
    const bob = await (await server.client()).joinById<ArenaView>(ann.roomId, { name: "Bob" }) as ArenaClientRoom;
    rooms.push(ann, bob);
    const annHears = chatOf(ann);
    const bobHears = chatOf(bob);
    for (const room of [ann, bob]) room.onMessage("*", () => {});
    await waitFor(() => playerIn(bob, ann.sessionId) !== undefined, { message: "Bob to see Ann" });
    return { ann, bob, annHears, bobHears };
  }

  describe("the word filter", () => {
    it("masks a flagged line for everyone and passes an ordinary one untouched", async () => {
      const { ann, bobHears } = await pair();
      ann.send(ClientMessage.chat, { text: "oh f u c k, Scunthorpe again" });
      ann.send(ClientMessage.chat, { text: "what a classic assassin" });
      await waitFor(() => bobHears.filter((line) => line.from === "Ann").length === 2, { message: "Ann's lines to reach Bob" });
      expect(bobHears.filter((line) => line.from === "Ann").map((line) => line.text)).toEqual(["oh * * * *, Scunthorpe again", "what a classic assassin"]);
    });

    it("gives a player whose name it masks a generated name, at the token, the profile and the seat", async () => {
      const token = await call(server.url, "POST", "/auth/guest", { json: { name: "sh1thead" } });
      expect(token.body.name).toBe("");
      const profile = await call(server.url, "POST", "/auth/profile", { json: { name: "b1tch" } });
      expect(profile.body.name).toBe("");
      const room = await (await server.client()).create<ArenaView>(ROOM_NAME, { name: "Fuuuckface" }) as ArenaClientRoom;
      room.onMessage("*", () => {});
      rooms.push(room);
      await waitFor(() => playerIn(room) !== undefined, { message: "the player in the state" });
      expect(playerIn(room)!.name).toMatch(GENERATED);
    });

    it(`mutes a player after ${AUTO_MUTE_AFTER} masked lines, for ${AUTO_MUTE_MINUTES} minutes, and audits it as the filter's`, async () => {
      const { ann, bobHears } = await pair("Potty");
      for (let line = 0; line < AUTO_MUTE_AFTER; line++) ann.send(ClientMessage.chat, { text: `shit ${line}` });
      await waitFor(() => bobHears.filter((line) => line.from === "Potty").length === AUTO_MUTE_AFTER, { message: "the masked lines" });
      const refused = nextMessage<{ reason: string }>(ann, ServerMessage.chatRejected, 5000);
      ann.send(ClientMessage.chat, { text: "hello?" });
      expect((await refused).reason).toMatch(/^you are muted in chat until /);
      const { entries } = (await admin(server, "GET", "/api/admin/audit")).body;
      expect(entries.find((entry: { action: string }) => entry.action === "auto-mute")).toMatchObject({ actor: "filter", targetName: "Potty" });
    });
  });

  describe("moderators' actions", () => {
    it("lists the live rooms with their players", async () => {
      const { ann, bob } = await pair();
      const { rooms } = (await admin(server, "GET", "/api/admin/rooms")).body;
      const listed = rooms.find((room: { roomId: string }) => room.roomId === ann.roomId);
      expect(listed.players.map((player: { name: string }) => player.name).sort()).toEqual(["Ann", "Bob"]);
      expect(listed.players.find((player: { sessionId: string }) => player.sessionId === bob.sessionId)).toMatchObject({ address: "127.0.0.1", mutedUntil: null });
    });

    it("warns, renames and kicks, each audited with its reason", async () => {
      const { ann, bob } = await pair();
      const act = (action: string, reason: string) => admin(server, "POST", "/api/admin/actions", { action, roomId: ann.roomId, sessionId: ann.sessionId, reason });

      const warned = nextMessage<{ text: string }>(ann, ServerMessage.notice, 5000);
      expect((await act("warn", "mind your language")).status).toBe(200);
      expect((await warned).text).toBe("Warning from the moderators: mind your language");

      const renamed = await act("rename", "offensive name");
      expect(renamed.body.player.renamedTo).toMatch(GENERATED);
      await waitFor(() => playerIn(bob, ann.sessionId)?.name === renamed.body.player.renamedTo, { message: "Bob to see Ann's new name" });

      const left = new Promise<number>((resolve) => ann.onLeave((code) => resolve(code)));
      await act("kick", "griefing");
      expect(await left).toBe(KickCode.removed);
      await waitFor(() => playerIn(bob, ann.sessionId) === undefined, { message: "Ann's seat to be freed at once" });

      const { entries } = (await admin(server, "GET", "/api/admin/audit?limit=3")).body;
      expect(entries.map((entry: { action: string; reason: string }) => `${entry.action}: ${entry.reason}`))
        .toEqual(["kick: griefing", "rename: offensive name", "warn: mind your language"]);
      expect(entries[1].details.newName).toBe(renamed.body.player.renamedTo);
    });

    it("answers 404 for a session that is not in the room", async () => {
      const { ann } = await pair();
      expect((await admin(server, "POST", "/api/admin/actions", { action: "warn", roomId: ann.roomId, sessionId: "nobody", reason: "x" })).status).toBe(404);
    });

    it("mutes in chat for the minutes given, through a reconnection and into another room", async () => {
      const profile = await newProfile(server.url, "Loud");
      const sdk = new Client(server.url);
      sdk.auth.token = await profileToken(server.url, profile.secret, "Loud");
      const ann = await sdk.create<ArenaView>(ROOM_NAME, {}) as ArenaClientRoom;
      ann.onMessage("*", () => {});
      ann.reconnection.minUptime = 0;
      const bob = await (await server.client()).joinById<ArenaView>(ann.roomId, { name: "Bob" }) as ArenaClientRoom;
      const bobHears = chatOf(bob);
      const muted = await admin(server, "POST", "/api/admin/actions", { action: "mute", roomId: ann.roomId, sessionId: ann.sessionId, minutes: 5, reason: "spam" });
      expect(muted.body.player).toMatchObject({ profileId: profile.id });
      expect(muted.body.player.mutedUntil - Date.now()).toBeGreaterThan(4 * 60_000);
      const refusal = (room: ArenaClientRoom) => {
        const refused = nextMessage<{ reason: string }>(room, ServerMessage.chatRejected, 5000);
        room.send(ClientMessage.chat, { text: "can you hear me" });
        return refused;
      };
      expect((await refusal(ann)).reason).toMatch(/^you are muted in chat until /);

      const back = new Promise<void>((resolve) => ann.onReconnect(() => resolve()));
      rawSocketOf(ann).terminate();
      await back;
      expect((await refusal(ann)).reason).toMatch(/muted/);

      const elsewhere = await sdk.create<ArenaView>(ROOM_NAME, {}) as ArenaClientRoom;
      elsewhere.onMessage("*", () => {});
      expect((await refusal(elsewhere)).reason).toMatch(/muted/);
      expect(bobHears.some((line) => line.text === "can you hear me")).toBe(false);
      rooms.push(ann, elsewhere, bob);
    });
  });
});

import { Client } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientMessage, KickCode, ROOM_NAME, ServerMessage, type ArenaView, type ChatBroadcast } from "../../shared/protocol.ts";
import { ADMIN_PASSWORD, adminCall, basicAuth } from "../helpers/admin.ts";
import { call, newProfile, profileToken } from "../helpers/playerApi.ts";
import { createTestDatabase, postgresAvailable } from "../helpers/postgres.ts";
import { startTcpProxy } from "../helpers/tcpProxy.ts";
import { startTestServer, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";

/** The one profile MODERATOR_PROFILES names on the file's server. */
const MODERATOR_ID = "5e0a7d7c-2f4b-4d7e-9c1a-6b8e2f3a4c5d";
const BANNED_UNTIL = /^banned until \d{4}-\d\d-\d\d \d\d:\d\d UTC: /;

/** `method path` on the admin API, as the admin unless `authorization` says otherwise, from `forwardedFor` when given. */
function admin(server: TestServer, method: string, path: string, json?: unknown, authorization?: string, forwardedFor?: string) {
  return adminCall(server.url, method, path, json, { authorization, forwardedFor });
}

/** A seat in an arena room for the holder of `token`; records how its connection ended. */
async function seatWith(server: TestServer, token: string): Promise<{ room: ArenaClientRoom; left: Promise<{ code: number; reason?: string }> }> {
  const sdk = new Client(server.url);
  sdk.auth.token = token;
  const room = await sdk.joinOrCreate<ArenaView>(ROOM_NAME, {}) as ArenaClientRoom;
  room.onMessage("*", () => {});
  const left = new Promise<{ code: number; reason?: string }>((resolve) => room.onLeave((code, reason) => resolve({ code, reason })));
  return { room, left };
}

describe("moderation on one process", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ security: { adminPassword: ADMIN_PASSWORD, trustProxy: true }, moderatorProfiles: [MODERATOR_ID] });
  });

  afterAll(async () => {
    await server.close();
  });

  describe("the admin API", () => {
    it("refuses without credentials or with wrong ones", async () => {
      expect((await admin(server, "GET", "/api/admin/audit", undefined, "")).status).toBe(401);
      expect((await admin(server, "GET", "/api/admin/audit", undefined, basicAuth("guess"))).status).toBe(401);
      expect((await admin(server, "POST", "/api/admin/bans", { profileId: crypto.randomUUID(), reason: "x" }, "")).status).toBe(401);
    });

    it("holds a guesser to ten wrong passwords, then refuses even the right one from that address", async () => {
      const guesser = "198.51.100.9";
      for (let guess = 0; guess < 10; guess++) {
        const wrong = basicAuth(`guess${guess}`);
        expect((await admin(server, "GET", "/api/admin/audit", undefined, wrong, guesser)).status).toBe(401);
      }
      expect((await admin(server, "GET", "/api/admin/audit", undefined, basicAuth("guess10"), guesser)).status).toBe(429);
      expect((await admin(server, "GET", "/api/admin/audit", undefined, undefined, guesser)).status).toBe(429);
      expect((await admin(server, "GET", "/api/admin/audit", undefined, undefined, "198.51.100.10")).status).toBe(200);
    });

    it("refuses a ban naming neither a profile nor an address, or without a reason", async () => {
      expect((await admin(server, "POST", "/api/admin/bans", { reason: "spam" })).body.error).toMatch(/profileId, an address/);
      expect((await admin(server, "POST", "/api/admin/bans", { profileId: crypto.randomUUID(), reason: " " })).status).toBe(400);
    });
  });

  describe("moderators' profiles", () => {
    it("open the API with their secret, and the audit log names them; another profile's secret is refused", async () => {
      const { db, profiles } = server.arena.records;
      await db.run("INSERT INTO profiles (id, name, created_at) VALUES (?, 'Mod', 0)", [MODERATOR_ID]);
      const secret = await profiles.addSecret(MODERATOR_ID);
      const target = await newProfile(server.url);
      const ban = await admin(server, "POST", "/api/admin/bans", { profileId: target.id, minutes: 10, reason: "by a moderator" }, `Bearer ${secret}`);
      expect(ban.status).toBe(201);
      const { entries } = (await admin(server, "GET", "/api/admin/audit?limit=1", undefined, `Bearer ${secret}`)).body;
      expect(entries[0]).toMatchObject({ actor: `moderator Mod (${MODERATOR_ID})`, action: "ban", reason: "by a moderator" });
      const player = await newProfile(server.url);
      expect((await admin(server, "GET", "/api/admin/audit", undefined, `Bearer ${player.secret}`)).status).toBe(403);
    });
  });

  describe("a profile ban", () => {
    it("refuses the profile's token, its login and its join, and takes it out of the match it is in", async () => {
      const profile = await newProfile(server.url, "Griefer");
      const token = await profileToken(server.url, profile.secret);
      const claimed = await call(server.url, "POST", "/auth/claim", { json: { username: "griefer1", password: "long enough pw" }, bearer: profile.secret });
      expect(claimed.status).toBe(200);
      const { left } = await seatWith(server, token);

      const banned = await admin(server, "POST", "/api/admin/bans", { profileId: profile.id, minutes: 60, reason: "spawn camping" });
      expect(banned.status).toBe(201);
      expect(banned.body).toMatchObject({ profileId: profile.id, address: null, reason: "spawn camping" });
      expect(banned.body.endsAt - banned.body.createdAt).toBe(3_600_000);

      expect(await left).toMatchObject({ code: KickCode.removed, reason: expect.stringMatching(BANNED_UNTIL) });
      const guest = await call(server.url, "POST", "/auth/guest", { json: { profile: profile.secret } });
      expect(guest.status).toBe(403);
      expect(guest.body.error).toMatch(new RegExp(`${BANNED_UNTIL.source}spawn camping$`));
      const login = await call(server.url, "POST", "/auth/login", { json: { username: "griefer1", password: "long enough pw" } });
      expect(login.status).toBe(403);
      expect((await call(server.url, "POST", "/auth/refresh", { bearer: token })).status).toBe(403);
      await expect(seatWith(server, token)).rejects.toThrow(/banned until .*: spawn camping/);
    });

    it("is permanent without minutes, and lifted by DELETE", async () => {
      const profile = await newProfile(server.url);
      const ban = await admin(server, "POST", "/api/admin/bans", { profileId: profile.id, reason: "cheating" });
      expect(ban.body.endsAt).toBeNull();
      expect((await call(server.url, "POST", "/auth/guest", { json: { profile: profile.secret } })).body.error).toBe("banned permanently: cheating");
      expect((await admin(server, "DELETE", `/api/admin/bans/${ban.body.id}`, { reason: "appeal" })).body).toEqual({ lifted: true });
      expect((await call(server.url, "POST", "/auth/guest", { json: { profile: profile.secret } })).status).toBe(200);
    });
  });

  describe("an address ban", () => {
    it("refuses the address behind a trusted proxy and lets the others through", async () => {
      await admin(server, "POST", "/api/admin/bans", { address: "203.0.113.7", minutes: 5, reason: "bot farm" });
      const from = (address: string) => fetch(`${server.url}/auth/guest`, {
        method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": `${address}, 10.0.0.1` }, body: "{}",
      });
      const refused = await from("203.0.113.7");
      expect(refused.status).toBe(403);
      expect((await refused.json() as { error: string }).error).toMatch(/^banned until .*: bot farm$/);
      expect((await from("203.0.113.8")).status).toBe(200);
    });

    it("takes a player at that address out of the match, then lets it back when lifted", async () => {
      const { left } = await seatWith(server, (await (await server.client()).auth.token)!);
      const ban = await admin(server, "POST", "/api/admin/bans", { address: "::ffff:127.0.0.1", minutes: 1, reason: "flooding" });
      expect(ban.body.address).toBe("127.0.0.1");
      expect((await left).code).toBe(KickCode.removed);
      expect((await call(server.url, "POST", "/auth/guest", { json: {} })).status).toBe(403);
      await admin(server, "DELETE", `/api/admin/bans/${ban.body.id}`, {});
      expect((await call(server.url, "POST", "/auth/guest", { json: {} })).status).toBe(200);
    });
  });

  describe("the audit log", () => {
    it("names every ban and lift, newest first, with who and why", async () => {
      const { entries } = (await admin(server, "GET", "/api/admin/audit?limit=500")).body as { entries: Array<{ action: string; actor: string; reason: string }> };
      const actions = entries.map(({ action, reason }) => `${action}: ${reason}`);
      expect(actions).toEqual(expect.arrayContaining(["ban: spawn camping", "ban: cheating", "unban: appeal", "ban: bot farm", "ban: flooding"]));
      const byAdmin = ["spawn camping", "cheating", "appeal", "bot farm", "flooding"];
      expect(entries.filter(({ reason }) => byAdmin.includes(reason)).map(({ actor }) => actor)).toEqual(byAdmin.map(() => "admin"));
    });
  });
});

describe.skipIf(!postgresAvailable)("moderation with the database away", () => {
  it("lets chat go on unmuted, declines a report in words, answers a new ban 503, and refuses the banned once it is back", async () => {
    const database = await createTestDatabase();
    const proxy = await startTcpProxy(5432);
    const server = await startTestServer({
      database: { kind: "postgres", url: `postgres://postgres@127.0.0.1:${proxy.port}/${database.name}` }, security: { adminPassword: ADMIN_PASSWORD },
    });
    try {
      const banned = await newProfile(server.url, "Banned");
      await admin(server, "POST", "/api/admin/bans", { profileId: banned.id, reason: "spam" });
      const ann = await (await server.client()).create<ArenaView>(ROOM_NAME, { name: "Ann" }) as ArenaClientRoom;
      const bob = await (await server.client()).joinById<ArenaView>(ann.roomId, { name: "Bob" }) as ArenaClientRoom;
      for (const room of [ann, bob]) room.onMessage("*", () => {});
      await proxy.cut();

      const carol = await (await server.client()).joinById<ArenaView>(ann.roomId, { name: "Carol" }) as ArenaClientRoom;
      carol.onMessage("*", () => {});
      const heard = new Promise<string>((resolve) => bob.onMessage(ServerMessage.chat, (line: ChatBroadcast) => { if (line.from === "Carol") resolve(line.text); }));
      carol.send(ClientMessage.chat, { text: "is anyone there" });
      expect(await heard).toBe("is anyone there");
      const declined = new Promise<string>((resolve) => ann.onMessage(ServerMessage.notice, (notice: { text: string }) => resolve(notice.text)));
      ann.send(ClientMessage.report, { sessionId: bob.sessionId, reason: "test" });
      expect(await declined).toBe("The report could not be sent: try again shortly.");
      expect(await admin(server, "POST", "/api/admin/bans", { profileId: banned.id, reason: "again" })).toMatchObject({ status: 503 });
      await proxy.restore();
      expect((await call(server.url, "POST", "/auth/guest", { json: { profile: banned.secret } })).status).toBe(403);
      await Promise.allSettled([ann, bob, carol].map((room) => room.leave()));
    } finally {
      await server.close();
      await proxy.close();
      await database.drop();
    }
  }, 60_000);
});

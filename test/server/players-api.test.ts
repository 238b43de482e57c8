import { get, type IncomingHttpHeaders } from "node:http";
import { inflateSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, postgresAvailable, storageBackends } from "../helpers/postgres.ts";
import { startTcpProxy } from "../helpers/tcpProxy.ts";
import { call, newProfile, profileToken } from "../helpers/playerApi.ts";
import { recordedMatch, SAMPLE_REPLAY } from "../helpers/records.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

/**
 * The player-data API over HTTP (docs/players.md), on a real server, over
 * SQLite and PostgreSQL: profiles, claim, login, deletion, limits, and
 * hostile input answered with 400 and nothing stored.
 */

/** A GET over node:http, which leaves the body as sent (fetch would inflate it). */
function rawGet(url: URL, acceptEncoding: string): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk)).on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) })).on("error", reject);
    }).on("error", reject);
  });
}
describe.each(storageBackends())("player data API ($name)", (backend) => {
  let server: TestServer;
  let base: string;

  /** A server on a fresh database, with these attempt limits. */
  async function start(accountLimits: { attemptsPerAddress: number; attemptsPerUsername: number; profilesPerAddress: number; windowSeconds: number }) {
    server = await startTestServer({ database: await backend.fresh(), accountLimits });
    base = server.url;
  }
  async function stop() {
    await server.close();
    expect(server.logs.filter((line) => line.level === "error")).toEqual([]);
  }

  const storedProfiles = async () => Number((await server.arena.records.db.one<{ n: number }>("SELECT COUNT(*) AS n FROM profiles"))!.n);

  describe("profiles", () => {
    // A fresh server and database for each: these count what is stored and spend the attempt limits.
    beforeEach(() => start({ attemptsPerAddress: 12, attemptsPerUsername: 4, profilesPerAddress: 100, windowSeconds: 600 }));
    afterEach(stop);

    it("come back: the secret opens the same profile, and a join token made from it speaks for it", async () => {
      const { id, secret } = await newProfile(base, "Ann");
      const me = await call(base, "GET", "/api/me", { bearer: secret });
      expect(me).toMatchObject({ status: 200, body: { id, name: "Ann", username: null, claimed: false, totals: { matches: 0 } } });
      const token = await profileToken(base, secret, "Ann");
      expect((await call(base, "GET", "/api/me", { bearer: token })).body).toMatchObject({ id });
      expect(await call(base, "GET", `/api/players/${id}`)).toMatchObject({ status: 200, body: { id, name: "Ann", claimed: false } });
      expect(await call(base, "GET", `/api/players/${id}/matches`)).toMatchObject({ status: 200, body: { matches: [] } });
      // A secret that opens nothing still gets a token (unbound), and is said to be unknown.
      const stale = await call<{ token: string; profileId?: string; profileUnknown?: boolean }>(base, "POST", "/auth/guest", { json: { profile: "x".repeat(43) } });
      expect(stale).toMatchObject({ status: 200, body: { token: expect.any(String), profileUnknown: true } });
      expect(stale.body.profileId).toBeUndefined();
      // A plain guest token (no profile) is no profile.
      const guest = await call<{ token: string; profileId?: string }>(base, "POST", "/auth/guest", { json: { name: "Zed" } });
      expect(guest.body.profileId).toBeUndefined();
      expect(await call(base, "GET", "/api/me", { bearer: guest.body.token })).toMatchObject({ status: 401, body: { error: expect.any(String) } });
      expect(await call(base, "GET", "/api/me")).toMatchObject({ status: 401 });
    });

    it("are claimed with a unique username, logged into from another device, and deleted", async () => {
      const ann = await newProfile(base, "Ann");
      const claim = await call(base, "POST", "/auth/claim", { bearer: ann.secret, json: { username: "Ann_99", password: "correct horse" } });
      expect(claim).toMatchObject({ status: 200, body: { id: ann.id, username: "Ann_99" } });
      expect(await call(base, "POST", "/auth/claim", { bearer: ann.secret, json: { username: "other", password: "correct horse" } }))
        .toMatchObject({ status: 409, body: { error: "This profile already has a username." } });
      const bob = await newProfile(base, "Bob");
      expect(await call(base, "POST", "/auth/claim", { bearer: bob.secret, json: { username: "ANN_99", password: "another one" } }))
        .toMatchObject({ status: 409, body: { error: "That username is taken." } });

      const login = await call<{ id: string; secret: string }>(base, "POST", "/auth/login", { json: { username: "ann_99", password: "correct horse" } });
      expect(login).toMatchObject({ status: 200, body: { id: ann.id, username: "Ann_99" } });
      expect(login.body.secret).not.toBe(ann.secret);
      expect((await call(base, "GET", "/api/me", { bearer: login.body.secret })).body).toMatchObject({ id: ann.id, claimed: true });

      expect(await call(base, "DELETE", "/api/me", { bearer: login.body.secret })).toMatchObject({ status: 200, body: { deleted: true } });
      for (const secret of [ann.secret, login.body.secret]) expect((await call(base, "GET", "/api/me", { bearer: secret })).status).toBe(401);
      expect((await call(base, "GET", `/api/players/${ann.id}`)).status).toBe(404);
      expect((await call(base, "POST", "/auth/login", { json: { username: "ann_99", password: "correct horse" } })).status).toBe(401);
      expect(await storedProfiles()).toBe(1);
    });

    it("answer a wrong username and a wrong password alike, and limit attempts per username and per address", async () => {
      const ann = await newProfile(base, "Ann");
      await call(base, "POST", "/auth/claim", { bearer: ann.secret, json: { username: "ann", password: "correct horse" } });
      const wrongPassword = await call(base, "POST", "/auth/login", { json: { username: "ann", password: "wrong horse" } });
      const wrongUser = await call(base, "POST", "/auth/login", { json: { username: "nobody", password: "correct horse" } });
      expect(wrongPassword).toEqual({ ...wrongUser, body: { error: "Wrong username or password." } });
      expect(wrongUser.status).toBe(401);
      // ann: claim + 1 above; two more, then the username is held (whatever the password).
      for (let n = 0; n < 2; n++) expect((await call(base, "POST", "/auth/login", { json: { username: "ANN", password: "wrong horse" } })).status).toBe(401);
      const held = await call(base, "POST", "/auth/login", { json: { username: "ann", password: "correct horse" } });
      expect(held).toMatchObject({ status: 429, body: { error: expect.stringMatching(/^Too many attempts/) } });
      // Other usernames from the same address: until the address's own limit.
      const statuses: number[] = [];
      for (let n = 0; n < 10; n++) statuses.push((await call(base, "POST", "/auth/login", { json: { username: `user${n}`, password: "whatever1" } })).status);
      expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
      expect(statuses.slice(6)).toEqual([429, 429, 429, 429]);
    });
  });

  describe("hostile input", () => {
    // One server for all of them, with limits none of them reaches: each case makes its profile and
    // checks that nothing else was stored, and a request that broke the database would break the next.
    beforeAll(() => start({ attemptsPerAddress: 10_000, attemptsPerUsername: 10_000, profilesPerAddress: 10_000, windowSeconds: 600 }));
    afterAll(stop);

    const hostile: Array<[string, string, { json?: unknown; raw?: string; bearer?: boolean }]> = [
      ["POST", "/auth/profile", { json: { name: "x".repeat(5000) } }],
      ["POST", "/auth/profile", { json: { name: { $gt: "" } } }],
      ["POST", "/auth/profile", { json: { name: "Ann", admin: true } }],
      ["POST", "/auth/profile", { raw: "{\"name\": \"Ann\"" }],
      ["POST", "/auth/guest", { raw: "{not json" }],
      ["POST", "/auth/login", { json: { username: "' OR '1'='1", password: "' OR '1'='1" } }],
      ["POST", "/auth/login", { json: { username: 42, password: ["a"] } }],
      ["POST", "/auth/login", { json: { username: "ann" } }],
      ["POST", "/auth/login", { json: "ann:password" }],
      ["POST", "/auth/login", { json: { username: "a".repeat(10_000), password: "p".repeat(5000) } }],
      ["POST", "/auth/claim", { bearer: true, json: { username: "Robert'); DROP TABLE profiles;--", password: "correct horse" } }],
      ["POST", "/auth/claim", { bearer: true, json: { username: "ann", password: "short" } }],
      ["POST", "/auth/claim", { bearer: true, json: { username: "ann", password: "x".repeat(129) } }],
      ["GET", "/api/leaderboard?board=kills;DROP%20TABLE%20profiles", {}],
      ["GET", "/api/leaderboard?limit=1000000000", {}],
      ["GET", "/api/leaderboard?limit=ten", {}],
      ["GET", "/api/leaderboard?period=forever", {}],
      ["GET", "/api/leaderboard?around=%27%20OR%201%3D1--", {}],
      ["GET", "/api/leaderboard?board=kills&board=wins", {}],
      ["GET", "/api/leaderboard?sort=name", {}],
      ["GET", "/api/players/%27%20OR%20%271%27%3D%271", {}],
      ["GET", `/api/players/${"9".repeat(5000)}/matches`, {}],
      ["GET", "/api/replays/..%2F..%2Fetc%2Fpasswd", {}],
    ];

    it.each(hostile)("%s %s is answered 400 { error }, and nothing is stored", async (method, path, options) => {
      const before = await storedProfiles();
      const owner = await newProfile(base, "Owner");
      const answer = await call(base, method, path, { ...options, bearer: options.bearer ? owner.secret : undefined });
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/json/);
      expect(answer.body).toEqual({ error: expect.any(String) });
      expect(await storedProfiles()).toBe(before + 1);
      expect((await call(base, "GET", "/api/me", { bearer: owner.secret })).body).toMatchObject({ username: null });
    });

    it("serves the recording of a match whose room id has Colyseus' '-' and '_' in it", async () => {
      const ann = await newProfile(base, "Ann");
      server.arena.records.sink(recordedMatch([{ name: "Ann", score: 1, profileId: ann.id }], { roomId: "a-B_c-9xZ" }));
      await server.arena.records.queue.whenIdle();
      const [line] = (await call<{ matches: Array<{ replayUrl: string }> }>(base, "GET", `/api/players/${ann.id}/matches`)).body.matches;
      const replay = await fetch(`${base}${line!.replayUrl}`);
      expect(replay.status).toBe(200);
      expect(replay.headers.get("content-type")).toBe("application/octet-stream");
      expect(new TextDecoder().decode(await replay.arrayBuffer())).toMatch(/^\{"format":"arena-replay"\}/);
      // Sent as stored, deflated, to a client that takes deflate; inflated for one that does not.
      const url = new URL(line!.replayUrl, base);
      const deflated = await rawGet(url, "gzip, deflate");
      expect(deflated.headers).toMatchObject({ "content-encoding": "deflate", vary: "Accept-Encoding" });
      expect(inflateSync(deflated.body).equals(Buffer.from(SAMPLE_REPLAY))).toBe(true);
      const plain = await rawGet(url, "identity");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.equals(Buffer.from(SAMPLE_REPLAY))).toBe(true);
    });

    it("answers unknown routes and oversized bodies with { error } too", async () => {
      expect(await call(base, "GET", "/api/nothing-here")).toMatchObject({ status: 404, body: { error: "No such route." } });
      expect(await call(base, "POST", "/auth/guest", { json: { name: "x".repeat(5000) } })).toMatchObject({ status: 413, body: { error: expect.any(String) } });
      expect(await call(base, "GET", "/api/players/00000000-0000-4000-8000-000000000000")).toMatchObject({ status: 404, body: { error: "No such player." } });
      expect(await call(base, "GET", "/api/replays/ROOM-abc-1")).toMatchObject({ status: 404 });
    });
  });
});

describe.skipIf(!postgresAvailable)("player data API with its database unreachable (PostgreSQL)", () => {
  it("still lets people play (an unbound token), answers 503 { error }, and recovers", async () => {
    const database = await createTestDatabase();
    const proxy = await startTcpProxy(5432);
    const server = await startTestServer({ database: { kind: "postgres", url: `postgres://postgres@127.0.0.1:${proxy.port}/${database.name}` } });
    try {
      const ann = await newProfile(server.url, "Ann");
      await proxy.cut();
      const guest = await call<{ token: string; profileId?: string; profileUnknown?: boolean }>(server.url, "POST", "/auth/guest", { json: { name: "Ann", profile: ann.secret } });
      expect(guest.status).toBe(200);
      expect(guest.body.profileId).toBeUndefined();
      expect(guest.body.profileUnknown).toBeUndefined();
      const room = await server.joinById((await server.createRoom("Host")).roomId, "Ann");
      expect(room.roomId).toBeTruthy();
      expect(await call(server.url, "GET", "/api/leaderboard?board=wins")).toMatchObject({ status: 503, body: { error: expect.any(String) } });
      expect(await call(server.url, "GET", "/api/me", { bearer: ann.secret })).toMatchObject({ status: 503, body: { error: expect.any(String) } });
      await proxy.restore();
      expect(await call(server.url, "GET", "/api/me", { bearer: ann.secret })).toMatchObject({ status: 200, body: { id: ann.id } });
    } finally {
      await server.close();
      await proxy.close();
      await database.drop();
    }
  }, 30_000);
});

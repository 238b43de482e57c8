import jwt from "jsonwebtoken";
import { afterEach, describe, expect, it } from "vitest";
import { AUTH_FAILED } from "../../shared/protocol.ts";
import { RawGameSocket, gameSocketUrl, guestToken, matchmake, openTcp, post, socketEnded, type SeatReservation } from "../../testkit/rawClient.ts";
import { useTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import { honestPlayer, type HonestPlayer } from "./honest.ts";

const OFFENDER = { from: "127.0.0.3" };
const EVIL = "http://evil.example";

/** The honest player's room keeps exactly its one player: nobody got a seat. */
function expectNoSeatTaken(server: TestServer, honest: HonestPlayer): void {
  const room = server.serverRoom(honest.room.roomId);
  expect(room.state.players.size).toBe(1);
  expect(room.clients.length).toBe(1);
}

describe("hostile joins and handshakes", () => {
  let honest: HonestPlayer | undefined;
  afterEach(() => honest?.stop());

  describe("tokens", () => {
    const server = useTestServer({ security: { authSecret: "a-test-secret-that-is-long-enough-32+" } });

    it.each([
      ["no token", undefined, /token is required/],
      ["a forged token (another secret)", () => jwt.sign({ name: "Mallory" }, "not-the-servers-secret-at-all-000000", { issuer: "arena", subject: "x", expiresIn: 60 }), /not valid/],
      ["an unsigned token (alg none)", () => jwt.sign({ name: "Mallory" }, "", { algorithm: "none", issuer: "arena", subject: "x", expiresIn: 60 }), /not valid/],
      ["garbage", () => "not.a.jwt", /not valid/],
      ["an expired token", () => jwt.sign({ name: "Late", exp: Math.floor(Date.now() / 1000) - 10 }, "a-test-secret-that-is-long-enough-32+", { issuer: "arena", subject: "x" }), /expired/],
    ])("a join with %s is refused with code 525 and says why; no seat is reserved", async (_case, makeToken, why) => {
      honest = await honestPlayer(server());
      for (const method of ["joinOrCreate", "create", "joinById"]) {
        const target = method === "joinById" ? honest.room.roomId : "arena";
        const answer = await matchmake(server().url, makeToken?.(), method, target, { name: "Mallory" }, OFFENDER);
        const body = JSON.parse(answer.body) as { code: number; error: string };
        expect(body.code).toBe(AUTH_FAILED);
        expect(body.error).toMatch(why);
      }
      const watch = await post(server().url, `/watch/${honest.room.roomId}`, {}, makeToken ? { authorization: `Bearer ${makeToken()}` } : {}, OFFENDER);
      expect(watch.status).toBe(401);
      expectNoSeatTaken(server(), honest);
      await honest.expectStillPlaying();
    });

    it("a valid token gets in, carries its name into the game, and refreshes to a token for the same guest", async () => {
      const issued = await post(server().url, "/auth/guest", { name: "  Tokened  " });
      const { token, name, expiresAt } = JSON.parse(issued.body) as { token: string; name: string; expiresAt: number };
      expect(name).toBe("Tokened");
      expect(expiresAt).toBeGreaterThan(Date.now());
      const refreshed = JSON.parse((await post(server().url, "/auth/refresh", undefined, { authorization: `Bearer ${token}` })).body) as { token: string };
      const claims = (t: string) => jwt.decode(t) as { sub: string; name: string };
      expect(claims(refreshed.token)).toMatchObject({ sub: claims(token).sub, name: "Tokened" });
      expect((await post(server().url, "/auth/refresh", undefined, { authorization: "Bearer forged" })).status).toBe(401);

      const seat = await matchmake(server().url, refreshed.token, "joinOrCreate", "arena", {});
      expect(seat.status).toBe(200);
      const raw = await RawGameSocket.join(server().url, JSON.parse(seat.body) as SeatReservation);
      const room = server().serverRoom((JSON.parse(seat.body) as SeatReservation).roomId);
      expect([...room.state.players.values()].map((player) => player.name)).toEqual(["Tokened"]);
      raw.close();
    });
  });

  describe("origins", () => {
    const server = useTestServer();

    it("refuses API calls and game sockets from another site's page with 403, and serves the own origin and the dev server", async () => {
      honest = await honestPlayer(server());
      expect((await post(server().url, "/auth/guest", {}, {}, { origin: EVIL })).status).toBe(403);
      expect((await matchmake(server().url, undefined, "joinOrCreate", "arena", {}, { origin: EVIL })).status).toBe(403);

      const token = await guestToken(server().url);
      const seat = JSON.parse((await matchmake(server().url, token, "joinById", honest.room.roomId, {})).body) as SeatReservation;
      const fromEvil = RawGameSocket.open(gameSocketUrl(server().url, seat), { origin: EVIL });
      const refused = await new Promise<number>((resolve) => fromEvil.socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)));
      expect(refused).toBe(403);
      expect(server().serverRoom(honest.room.roomId).state.players.size).toBe(1);

      const own = new URL(server().url).origin;
      for (const origin of [own, "http://localhost:5173"]) {
        expect((await post(server().url, "/auth/guest", {}, {}, { origin })).status).toBe(200);
      }
      await honest.expectStillPlaying();
    });
  });

  describe("join floods", () => {
    const server = useTestServer({ security: { joinsPerMinutePerIp: 10 } });

    it("answers an address over JOINS_PER_MINUTE_PER_IP with 429 and Retry-After; other addresses join as usual", async () => {
      honest = await honestPlayer(server());
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await post(server().url, "/auth/guest", { name: `Flood ${i}` }, {}, OFFENDER)).status);
      expect(statuses.slice(0, 9).every((status) => status === 200)).toBe(true);
      expect(statuses.slice(12).every((status) => status === 429)).toBe(true);
      const refused = await matchmake(server().url, "x", "joinOrCreate", "arena", {}, OFFENDER);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused.body).error).toMatch(/Too many join attempts/);
      // Someone else, meanwhile, gets in.
      const late = await server().connect("Late");
      expect(late.roomId).toBe(honest.room.roomId);
      await honest.expectStillPlaying();
    });
  });

  describe("handshakes", () => {
    const server = useTestServer({ security: { handshakeTimeoutMs: 1000, maxConnectionsPerIp: 4 } });

    it("a slowloris handshake (headers one byte at a time) is cut at HANDSHAKE_TIMEOUT_MS", async () => {
      honest = await honestPlayer(server());
      const slow = await openTcp(server().url, OFFENDER);
      const ended = socketEnded(slow);
      const request = `GET /${"x".repeat(200)} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n`;
      let sent = 0;
      const drip = setInterval(() => { if (!slow.destroyed) slow.write(request[sent++ % request.length]); }, 100);
      const answer = await ended;
      clearInterval(drip);
      // 408 Request Timeout: cut by the handshake deadline (the drip never completes the request).
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      await honest.expectStillPlaying();
    });

    it("more connections than MAX_CONNECTIONS_PER_IP from one address: the extra ones are answered 429 and closed", async () => {
      honest = await honestPlayer(server());
      const held = await Promise.all(Array.from({ length: 4 }, () => openTcp(server().url, OFFENDER)));
      const extra = await openTcp(server().url, OFFENDER);
      expect(await socketEnded(extra)).toMatch(/^HTTP\/1\.1 429/);
      // Another address is not affected.
      const other = await openTcp(server().url, { from: "127.0.0.4" });
      expect(other.destroyed).toBe(false);
      other.destroy();
      // Closed connections free their places (as soon as the server has seen them close).
      for (const socket of held) socket.destroy();
      // A connection that was let in answers a request; one turned away has already been answered 429.
      await waitFor(async () => {
        const again = await openTcp(server().url, OFFENDER);
        const answer = socketEnded(again);
        again.write("GET /healthz HTTP/1.1\r\nHost: arena\r\nConnection: close\r\n\r\n");
        const text = await answer;
        again.destroy();
        return /^HTTP\/1\.1 200/.test(text);
      }, { timeoutMs: 3000, message: "a place freed for the address once its connections closed" });
      await honest.expectStillPlaying();
    });
  });
});

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { GuestAuth } from "../../client/net/auth.ts";
import { ConfigError, loadConfig } from "../../server/config.ts";
import { AddressCounter } from "../../server/security/addressLimits.ts";
import { RateLimit } from "../../server/security/rateLimit.ts";
import { DEV_ORIGINS } from "../../server/securityConfig.ts";
import { GuestTokens } from "../../server/security/tokens.ts";
import { useTestServer } from "../helpers/server.ts";

const run = promisify(execFile);
const SECRET = "0123456789abcdef0123456789abcdef";

describe("security", () => {
  describe("configuration", () => {
    it("has safe defaults: a random secret (flagged), the dev server as the only foreign origin, every limit on, no TLS, no monitor", () => {
      const { security } = loadConfig({});
      expect(security).toMatchObject({
        authSecretGenerated: true, tokenTtlSeconds: 3600, allowedOrigins: DEV_ORIGINS, maxFrameBytes: 4096, maxMessagesPerSecond: 120,
        maxInvalidMessages: 10, inputBufferTicks: 32, joinsPerMinutePerIp: 120, maxConnectionsPerIp: 64, handshakeTimeoutMs: 10_000, trustProxy: false,
        tls: undefined, adminPassword: undefined,
      });
      expect(security.authSecret.length).toBeGreaterThanOrEqual(32);
      expect(loadConfig({}).security.authSecret).not.toBe(security.authSecret);
    });

    it("reads every security variable", () => {
      const { security } = loadConfig({
        AUTH_SECRET: SECRET, TOKEN_TTL_SECONDS: "600", ALLOWED_ORIGINS: "https://play.example.com, http://localhost:8080", MAX_FRAME_BYTES: "8192",
        MAX_MESSAGES_PER_SECOND: "200", MAX_INVALID_MESSAGES: "3", INPUT_BUFFER_TICKS: "64", JOINS_PER_MINUTE_PER_IP: "0", MAX_CONNECTIONS_PER_IP: "8",
        HANDSHAKE_TIMEOUT_MS: "5000", TRUST_PROXY: "1", ADMIN_PASSWORD: "correct horse",
      });
      expect(security).toEqual({
        authSecret: SECRET, authSecretGenerated: false, tokenTtlSeconds: 600, allowedOrigins: ["https://play.example.com", "http://localhost:8080"],
        maxFrameBytes: 8192, maxMessagesPerSecond: 200, maxInvalidMessages: 3, inputBufferTicks: 64, joinsPerMinutePerIp: 0, maxConnectionsPerIp: 8,
        handshakeTimeoutMs: 5000, trustProxy: true, tls: undefined, adminPassword: "correct horse",
      });
      expect(loadConfig({ ALLOWED_ORIGINS: "*" }).security.allowedOrigins).toBe("*");
    });

    it.each([
      [{ AUTH_SECRET: "short" }, /AUTH_SECRET is 5 characters long; it must have at least 32/],
      [{ NODE_ENV: "production" }, /AUTH_SECRET is not set; with NODE_ENV=production it is required/],
      [{ ALLOWED_ORIGINS: "https://ok.example,*.example.com" }, /ALLOWED_ORIGINS entry "\*\.example\.com" is not an origin/],
      [{ ALLOWED_ORIGINS: "https://example.com/path" }, /is not an origin/],
      [{ TLS_CERT: "/tmp/cert.pem" }, /TLS_CERT and TLS_KEY go together/],
      [{ TLS_CERT: "/no/such/cert.pem", TLS_KEY: "/no/such/key.pem" }, /TLS_CERT="\/no\/such\/cert.pem" cannot be read \(ENOENT\)/],
      [{ TRUST_PROXY: "maybe" }, /TRUST_PROXY="maybe" is not one of 1, 0, true, false/],
      [{ ADMIN_PASSWORD: "admin" }, /ADMIN_PASSWORD is 5 characters long/],
      [{ MAX_FRAME_BYTES: "10" }, /MAX_FRAME_BYTES="10" is not an integer from 512/],
      [{ MAX_MESSAGES_PER_SECOND: "5" }, /MAX_MESSAGES_PER_SECOND="5" is not an integer from 40/],
    ])("refuses %o", (env, message) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });

    it("a production server without AUTH_SECRET does not start", async () => {
      const main = new URL("../../server/main.ts", import.meta.url).pathname;
      const failure = await run(process.execPath, [main], { env: { ...process.env, NODE_ENV: "production", AUTH_SECRET: "" }, timeout: 15_000 })
        .then(() => undefined, (error: { code: number; stderr: string }) => error);
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain("AUTH_SECRET is not set");
    });
  });

  describe("guest tokens", () => {
    const tokens = new GuestTokens(SECRET, 600);

    it("carry a guest id, the cleaned name and an expiry, and check out", () => {
      const issued = tokens.issue("  Ann  ");
      expect(issued.name).toBe("Ann");
      const check = tokens.check(issued.token);
      expect(check).toEqual({ ok: true, claims: { guestId: expect.any(String), name: "Ann", expiresAt: issued.expiresAt } });
      expect(tokens.issue("\u0007bell").name).toBe("");
    });

    it("tell missing, invalid (other secret, other algorithm, other issuer, tampered) and expired apart", () => {
      const { token } = tokens.issue("Ann");
      const [head, body, signature] = token.split(".");
      const tampered = `${head}.${Buffer.from(JSON.stringify({ ...jwt.decode(token) as object, name: "Admin" })).toString("base64url")}.${signature}`;
      expect(tokens.check(undefined)).toEqual({ ok: false, problem: "missing" });
      for (const bad of [
        jwt.sign({ name: "x" }, "another-secret-another-secret-0000", { issuer: "arena", subject: "g", expiresIn: 60 }),
        jwt.sign({ name: "x" }, SECRET, { algorithm: "HS512", issuer: "arena", subject: "g", expiresIn: 60 }),
        jwt.sign({ name: "x" }, SECRET, { issuer: "elsewhere", subject: "g", expiresIn: 60 }),
        tampered, `${head}.${body}`, "",
      ]) {
        expect(tokens.check(bad).ok).toBe(false);
      }
      expect(tokens.check(tampered)).toEqual({ ok: false, problem: "invalid" });
      const expired = jwt.sign({ name: "x", exp: Math.floor(Date.now() / 1000) - 1 }, SECRET, { issuer: "arena", subject: "g" });
      expect(tokens.check(expired)).toEqual({ ok: false, problem: "expired" });
      const unsigned = jwt.sign({ name: "x" }, "", { algorithm: "none", issuer: "arena", subject: "g", expiresIn: 60 });
      expect(tokens.check(unsigned)).toEqual({ ok: false, problem: "invalid" });
    });

    it("are JWTs any library reads, and take a token a library signed the same way", () => {
      const issued = tokens.issue("Ann", "profile-1");
      expect(jwt.verify(issued.token, SECRET, { algorithms: ["HS256"], issuer: "arena" })).toMatchObject({ name: "Ann", pid: "profile-1", exp: issued.expiresAt / 1000 });
      const signed = jwt.sign({ name: "Bo" }, SECRET, { issuer: "arena", subject: "g", expiresIn: 60 });
      expect(tokens.check(signed)).toMatchObject({ ok: true, claims: { guestId: "g", name: "Bo" } });
    });
  });

  describe("per-address limits", () => {
    it("a rate limit lets a burst through, then one per interval, per address", () => {
      let now = 0;
      const limit = new RateLimit(3, 60, () => now);
      expect([limit.take("a"), limit.take("a"), limit.take("a")]).toEqual([0, 0, 0]);
      expect(limit.take("a")).toBe(20);
      expect(limit.take("b")).toBe(0);
      now += 20_000;
      expect(limit.take("a")).toBe(0);
      expect(limit.take("a")).toBeGreaterThan(0);
      limit.forget("a");
      expect(limit.take("a")).toBe(0);
      limit.close();
      expect(new RateLimit(0, 60).take("a")).toBe(0);
    });

    it("a connection counter caps open connections and frees places as they close", () => {
      const counter = new AddressCounter(2);
      expect([counter.open("a"), counter.open("a"), counter.open("a")]).toEqual([true, true, false]);
      counter.close("a");
      expect(counter.open("a")).toBe(true);
      // Another address has places of its own.
      expect([counter.open("b"), counter.open("b"), counter.open("b")]).toEqual([true, true, false]);
      expect(new AddressCounter(0).open("a")).toBe(true);
    });
  });

  describe("the client's token", () => {
    const server = useTestServer({ security: { tokenTtlSeconds: 60 } });

    it("is fetched once, reused while fresh, and refreshed for the same guest when under a minute is left", async () => {
      const auth = new GuestAuth(server().url, "Keeper");
      const first = await auth.token();
      // A 60 s token is always within the refresh margin: the next use refreshes it.
      const second = await auth.token();
      expect(second).not.toBe(first);
      const claims = (token: string) => jwt.decode(token) as { sub: string; name: string };
      expect(claims(second)).toEqual(expect.objectContaining({ sub: claims(first).sub, name: "Keeper" }));
      const client = await auth.client();
      expect(client.auth.token).toBeDefined();
    });
  });

  describe("the admin monitor", () => {
    describe("without ADMIN_PASSWORD", () => {
      const server = useTestServer();
      it("is not mounted", async () => {
        expect((await fetch(`${server().url}/monitor`)).status).toBe(404);
      });
    });

    describe("with ADMIN_PASSWORD", () => {
      const server = useTestServer({ security: { adminPassword: "correct horse" } });
      const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });

      it("asks for credentials, refuses wrong ones, and serves the monitor to the admin", async () => {
        const anonymous = await fetch(`${server().url}/monitor`);
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic/);
        expect((await fetch(`${server().url}/monitor`, { headers: basic("admin", "wrong") })).status).toBe(401);
        const admin = await fetch(`${server().url}/monitor/`, { headers: basic("admin", "correct horse") });
        expect(admin.status).toBe(200);
      });
    });
  });
});

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.ts";

const run = promisify(execFile);

describe("configuration", () => {
  it("has defaults that work on a laptop", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 2567, tickHz: 30, patchHz: 30, maxPlayers: 16, maxSpectators: 16, minPlayers: 4, chatBurst: 5, reconnectSeconds: 20, pingIntervalMs: 3000, shutdownGraceSeconds: 5, maxRewindMs: 1000,
      matchSeconds: 180, scoreboardSeconds: 10, logLevel: "info",
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "8080", HOST: "127.0.0.1", TICK_HZ: "60", PATCH_HZ: "20", MAX_PLAYERS: "8", MAX_SPECTATORS: "4", MIN_PLAYERS: "0", CHAT_BURST: "10",
      LARGE_MAX_PLAYERS: "64", LARGE_MIN_PLAYERS: "40", LARGE_INTEREST: "off", RECONNECT_SECONDS: "0", PING_INTERVAL_MS: "500", SHUTDOWN_GRACE_SECONDS: "2", MAX_REWIND_MS: "250", MATCH_SECONDS: "60", SCOREBOARD_SECONDS: "5", LOG_LEVEL: "debug", CLIENT_DIR: "/srv/arena",
      REDIS_URL: "redis://10.0.0.9:6379/2", PUBLIC_ADDRESS: "game.example.com/b2568", DATABASE_URL: "postgres://arena@10.0.0.8:5432/arena",
      REPLAY_RETENTION_DAYS: "7", RESULTS_QUEUE_LIMIT: "50", RESULTS_SPOOL_DIR: "/var/lib/arena/pending",
      DATAGRAMS: "on", UDP_PORT: "40000-40001", UDP_PUBLIC_ADDRESS: "203.0.113.7", FILTER_LIST_FILE: "/dev/null",
      MODERATOR_PROFILES: "0B8C1A4E-6F0E-4C43-9A39-3D1F1F0F8D2A, 1c9d2b5f-7a1f-4d54-8b4a-4e2a2a1a9e3b",
    });
    const { security, ...rest } = config;
    expect(rest).toEqual({
      port: 8080, host: "127.0.0.1", tickHz: 60, patchHz: 20, maxPlayers: 8, maxSpectators: 4, minPlayers: 0, chatBurst: 10, reconnectSeconds: 0,
      largeMaxPlayers: 64, largeMinPlayers: 40, largeInterest: false,
      pingIntervalMs: 500, shutdownGraceSeconds: 2, maxRewindMs: 250,
      matchSeconds: 60, scoreboardSeconds: 5, logLevel: "debug", clientDir: "/srv/arena",
      redisUrl: "redis://10.0.0.9:6379/2", publicAddress: "game.example.com/b2568",
      database: { kind: "postgres", url: "postgres://arena@10.0.0.8:5432/arena" }, replayRetentionDays: 7, resultsQueueLimit: 50, resultsSpoolDir: "/var/lib/arena/pending",
      datagrams: { ports: { first: 40000, last: 40001 }, publicAddress: "203.0.113.7" }, filterListFile: "/dev/null",
      moderatorProfiles: ["0b8c1a4e-6f0e-4c43-9a39-3d1f1f0f8d2a", "1c9d2b5f-7a1f-4d54-8b4a-4e2a2a1a9e3b"],
    });
    expect(security.authSecretGenerated).toBe(true);
  });

  it.each([
    ["PORT", "http"], ["PORT", "70000"], ["TICK_HZ", "0"], ["TICK_HZ", "30.5"], ["MAX_PLAYERS", "-1"],
    ["RECONNECT_SECONDS", "soon"], ["PING_INTERVAL_MS", "10"], ["SHUTDOWN_GRACE_SECONDS", "-5"], ["LOG_LEVEL", "loud"],
    ["REDIS_URL", "localhost:6379"], ["REDIS_URL", "http://localhost:6379"], ["PUBLIC_ADDRESS", "wss://game.example.com"],
    ["PUBLIC_ADDRESS", "game.example.com/b2568/"], ["DATABASE_URL", "mysql://localhost/arena"], ["DATABASE_URL", "sqlite:"],
    ["REPLAY_RETENTION_DAYS", "-1"], ["RESULTS_QUEUE_LIMIT", "0"], ["DATAGRAMS", "yes"], ["UDP_PORT", "70000"],
    ["UDP_PORT", "40001-40000"], ["UDP_PORT", "0-10"], ["UDP_PUBLIC_ADDRESS", "game.example.com"],
    ["FILTER_LIST_FILE", "/no/such/list.txt"], ["MODERATOR_PROFILES", "alice"], ["LARGE_MAX_PLAYERS", "101"], ["LARGE_MIN_PLAYERS", "-1"], ["LARGE_INTEREST", "yes"],
  ])("refuses %s=%s, naming the variable and the value", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=${JSON.stringify(value)}`));
  });

  describe("player records", () => {
    it("keeps them in a SQLite file under data/ by default, or where DATABASE_URL says", () => {
      expect(loadConfig({}).database).toEqual({ kind: "sqlite", path: expect.stringMatching(/\/data\/arena\.sqlite$/) });
      expect(loadConfig({ DATABASE_URL: "sqlite:/tmp/x.db" }).database).toEqual({ kind: "sqlite", path: "/tmp/x.db" });
      expect(loadConfig({ DATABASE_URL: "postgresql://h/db" }).database).toEqual({ kind: "postgres", url: "postgresql://h/db" });
    });

    it("refuses a cluster (REDIS_URL) without a shared PostgreSQL, saying why", () => {
      for (const env of [{ REDIS_URL: "redis://h:6379" }, { REDIS_URL: "redis://h:6379", DATABASE_URL: "sqlite:/tmp/x.db" }]) {
        expect(() => loadConfig(env)).toThrow(/REDIS_URL is set but DATABASE_URL is not a postgres:\/\/ URL: every process of a cluster must keep its player records in one shared PostgreSQL database/);
      }
      expect(loadConfig({ REDIS_URL: "redis://h:6379", DATABASE_URL: "postgres://h/db" }).database.kind).toBe("postgres");
    });
  });

  describe("datagrams", () => {
    it("are on by default, on the HTTP port's number (or any free port), announcing the interfaces' own addresses", () => {
      expect(loadConfig({}).datagrams).toEqual({});
      expect(loadConfig({ UDP_PORT: "0", UDP_PUBLIC_ADDRESS: "[2001:db8::7]" }).datagrams).toEqual({ ports: { first: 0, last: 0 }, publicAddress: "2001:db8::7" });
    });

    it("are off with DATAGRAMS=off", () => {
      expect(loadConfig({ DATAGRAMS: "off", UDP_PORT: "40000" }).datagrams).toBeUndefined();
    });
  });

  it("refuses a patch rate above the tick rate", () => {
    expect(() => loadConfig({ TICK_HZ: "20", PATCH_HZ: "30" })).toThrow(/PATCH_HZ=30 is above TICK_HZ=20/);
  });

  it("lists every bad value at once", () => {
    const message = (() => {
      try {
        loadConfig({ PORT: "x", TICK_HZ: "y" });
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('PORT="x"');
    expect(message).toContain('TICK_HZ="y"');
  });

  it("stops the server at start-up with the message and exit code 1", async () => {
    const main = new URL("../../server/main.ts", import.meta.url).pathname;
    const failure = await run(process.execPath, [main], { env: { ...process.env, TICK_HZ: "fast" }, timeout: 15_000 })
      .then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('TICK_HZ="fast" is not an integer from 10 to 120');
  });
});

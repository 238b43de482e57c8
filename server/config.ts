import { accessSync, constants, statSync } from "node:fs";
import { DEFAULT_TICK_HZ, MATCH_SECONDS, SCOREBOARD_SECONDS } from "../shared/constants.ts";
import { LARGE_MAX_PLAYERS } from "../shared/largeMode.ts";
import { CHAT_BURST } from "../shared/protocol.ts";
import { loadSecurityConfig, type Env, type IntReader, type SecurityConfig } from "./securityConfig.ts";
import { loadDatagramConfig, type DatagramConfig } from "./datagrams/config.ts";
import type { DatabaseLocation } from "./storage/database.ts";
import { DEFAULT_FILTER_LIST } from "./moderation/wordFilter.ts";

/** Everything a host can set, parsed and validated once at start-up. */
export interface ServerConfig {
  /** HTTP and WebSocket port; 0 picks a free one. */
  port: number;
  /** Interface to listen on. */
  host: string;
  /** Fixed simulation rate. */
  tickHz: number;
  /** State patches per second sent to clients. */
  patchHz: number;
  /** Seats per room. */
  maxPlayers: number;
  /** Spectator seats per room, on top of the player seats. */
  maxSpectators: number;
  /** Bots fill a room up to this many players while people play in it (0 = no bots). */
  minPlayers: number;
  /** The large mode's player seats per room, and the players bots fill it up to. */
  largeMaxPlayers: number;
  largeMinPlayers: number;
  /** Off: a large room sends every client everything, as the arena does (for measuring what interest management saves). */
  largeInterest: boolean;
  /** Chat lines a client may send per CHAT_WINDOW_SECONDS. */
  chatBurst: number;
  /** Seconds a dropped player's seat is held for a reconnect. */
  reconnectSeconds: number;
  /** Lag compensation: how far back (ms) a shot may be judged; 0 turns it off. */
  maxRewindMs: number;
  /** Heartbeat: the transport pings every client this often; one that misses two pings is dropped. */
  pingIntervalMs: number;
  /** On SIGTERM/SIGINT, seconds players get (with a notice) before rooms close with code 4001. */
  shutdownGraceSeconds: number;
  /** Length of a match and of the scoreboard after it, in seconds. */
  matchSeconds: number;
  scoreboardSeconds: number;
  /** Minimum level written to the log. */
  logLevel: LogLevel;
  /** Folder with the built client, served at `/`. */
  clientDir: string;
  /** Tokens, origins, limits, TLS and the admin panel (`server/securityConfig.ts`). */
  security: SecurityConfig;
  /**
   * Redis shared by every process of one deployment (`redis://` or `rediss://`):
   * presence and the room registry live there. Unset: one process, in memory.
   */
  redisUrl?: string;
  /**
   * Where clients reach this very process (`host:port` or `host/path`, no scheme):
   * the matchmaker hands it out with every seat in this process's rooms.
   * Needed when several processes share one Redis.
   */
  publicAddress?: string;
  /** When set, every match is recorded to a replay file in this folder (created if missing) and served at /replays/. */
  replayDir?: string;
  /**
   * The player records (profiles, stats, match history, recordings):
   * DATABASE_URL `postgres://…`, or `sqlite:PATH` / unset for a SQLite file
   * (default `data/arena.sqlite`). A cluster (REDIS_URL) must share PostgreSQL.
   */
  database: DatabaseLocation;
  /** Recordings stored in the database are deleted after this many days (REPLAY_RETENTION_DAYS; 0 = none are stored). */
  replayRetentionDays: number;
  /** Match results held in memory while the database is unreachable (RESULTS_QUEUE_LIMIT); more are dropped and logged. */
  resultsQueueLimit: number;
  /**
   * Where finished matches wait on disk until the database has them
   * (RESULTS_SPOOL_DIR, default `data/pending`; "none": memory only), so a
   * killed process's results are written by the next one.
   */
  resultsSpoolDir?: string;
  /** Profiles whose secret opens the moderation API (MODERATOR_PROFILES, comma-separated ids), beside ADMIN_PASSWORD. */
  moderatorProfiles: string[];
  /** The word filter's list for names and chat (FILTER_LIST_FILE; default the shipped `server/moderation/wordlist.txt`). */
  filterListFile: string;
  /** A WebRTC DataChannel per client for the unreliable frames (DATAGRAMS, UDP_PORT, UDP_PUBLIC_ADDRESS); undefined when off. */
  datagrams?: DatagramConfig;
}

/** The SQLite file used when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_PATH = new URL("../data/arena.sqlite", import.meta.url).pathname;
/** Where finished matches wait on disk by default. */
export const DEFAULT_SPOOL_DIR = new URL("../data/pending", import.meta.url).pathname;

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A bad setting: the message names the variable, the value and what is accepted. */
export class ConfigError extends Error {
  override name = "ConfigError";
}


/**
 * Reads the configuration from environment variables (see the README's table).
 * Unset variables take their defaults; a set but invalid one throws a
 * `ConfigError` naming it, so a typo stops start-up instead of being ignored.
 */
export function loadConfig(env: Env = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const problems: string[] = [];
  const int: IntReader = (name, fallback, min, max) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)} is not an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const onOff = (name: string, fallback: boolean): boolean => {
    const raw = (env[name] ?? "").trim().toLowerCase();
    if (raw === "") return fallback;
    if (raw !== "on" && raw !== "off") problems.push(`${name}=${JSON.stringify(env[name])} is not on or off`);
    return raw === "on" || (raw !== "off" && fallback);
  };

  const tickHz = int("TICK_HZ", DEFAULT_TICK_HZ, 10, 120);
  const logLevel = (env.LOG_LEVEL ?? "info").trim() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL=${JSON.stringify(env.LOG_LEVEL)} is not one of ${LOG_LEVELS.join(", ")}`);
  }
  const config: ServerConfig = {
    port: int("PORT", 2567, 0, 65535),
    host: (env.HOST ?? "0.0.0.0").trim() || "0.0.0.0",
    tickHz,
    patchHz: int("PATCH_HZ", tickHz, 1, 120),
    maxPlayers: int("MAX_PLAYERS", 16, 1, 64),
    maxSpectators: int("MAX_SPECTATORS", 16, 0, 256),
    minPlayers: int("MIN_PLAYERS", 4, 0, 64),
    largeMaxPlayers: int("LARGE_MAX_PLAYERS", LARGE_MAX_PLAYERS, 1, LARGE_MAX_PLAYERS),
    largeMinPlayers: int("LARGE_MIN_PLAYERS", 24, 0, LARGE_MAX_PLAYERS),
    largeInterest: onOff("LARGE_INTEREST", true),
    chatBurst: int("CHAT_BURST", CHAT_BURST, 1, 1000),
    reconnectSeconds: int("RECONNECT_SECONDS", 20, 0, 600),
    maxRewindMs: int("MAX_REWIND_MS", 1000, 0, 2000),
    pingIntervalMs: int("PING_INTERVAL_MS", 3000, 100, 60_000),
    shutdownGraceSeconds: int("SHUTDOWN_GRACE_SECONDS", 5, 0, 300),
    matchSeconds: int("MATCH_SECONDS", MATCH_SECONDS, 10, 3600),
    scoreboardSeconds: int("SCOREBOARD_SECONDS", SCOREBOARD_SECONDS, 1, 300),
    logLevel: LOG_LEVELS.includes(logLevel) ? logLevel : "info",
    clientDir: env.CLIENT_DIR?.trim() || new URL("../dist/client", import.meta.url).pathname,
    security: loadSecurityConfig(env, int, problems),
    redisUrl: redisUrl(env.REDIS_URL, problems),
    publicAddress: publicAddress(env.PUBLIC_ADDRESS, problems),
    replayDir: replayDirFrom(env.REPLAY_DIR, problems),
    database: databaseFrom(env.DATABASE_URL, problems),
    replayRetentionDays: int("REPLAY_RETENTION_DAYS", 30, 0, 36_500),
    resultsQueueLimit: int("RESULTS_QUEUE_LIMIT", 1000, 1, 1_000_000),
    resultsSpoolDir: env.RESULTS_SPOOL_DIR?.trim() === "none" ? undefined : env.RESULTS_SPOOL_DIR?.trim() || DEFAULT_SPOOL_DIR,
    datagrams: loadDatagramConfig(env, problems),
    filterListFile: filterListFrom(env.FILTER_LIST_FILE, problems),
    moderatorProfiles: moderatorsFrom(env.MODERATOR_PROFILES, problems),
    ...overrides,
  };
  if (config.redisUrl !== undefined && config.database.kind !== "postgres") {
    problems.push("REDIS_URL is set but DATABASE_URL is not a postgres:// URL: every process of a cluster must keep its player records in one shared PostgreSQL database, so set DATABASE_URL=postgres://… as well");
  }
  if (config.patchHz > config.tickHz) {
    problems.push(`PATCH_HZ=${config.patchHz} is above TICK_HZ=${config.tickHz}; state cannot change faster than the simulation`);
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  }
  return config;
}

function databaseFrom(raw: string | undefined, problems: string[]): DatabaseLocation {
  const value = raw?.trim();
  if (!value) return { kind: "sqlite", path: DEFAULT_DATABASE_PATH };
  if (value.startsWith("sqlite:")) {
    const path = value.slice("sqlite:".length);
    if (path) return { kind: "sqlite", path };
  } else if (URL.canParse(value) && ["postgres:", "postgresql:"].includes(new URL(value).protocol)) {
    return { kind: "postgres", url: value };
  }
  problems.push(`DATABASE_URL=${JSON.stringify(raw)} is not a postgres://user@host:port/database URL or sqlite:PATH (sqlite::memory: for a database that lives with the process)`);
  return { kind: "sqlite", path: DEFAULT_DATABASE_PATH };
}

function redisUrl(raw: string | undefined, problems: string[]): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (!URL.canParse(value) || !["redis:", "rediss:"].includes(new URL(value).protocol)) {
    problems.push(`REDIS_URL=${JSON.stringify(raw)} is not a redis:// or rediss:// URL`);
    return undefined;
  }
  return value;
}

/** `host`, `host:port`, optionally followed by `/path`: what the SDK puts between `ws(s)://` and `/<processId>/<roomId>`. */
const PUBLIC_ADDRESS = /^[A-Za-z0-9.\-]+(:\d{1,5})?(\/[A-Za-z0-9._~\-/]*[A-Za-z0-9._~\-])?$/;

function publicAddress(raw: string | undefined, problems: string[]): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (!PUBLIC_ADDRESS.test(value)) {
    problems.push(`PUBLIC_ADDRESS=${JSON.stringify(raw)} is not host[:port][/path] (no scheme, no trailing slash), e.g. game.example.com/2568`);
    return undefined;
  }
  return value;
}

/** MODERATOR_PROFILES: profile ids (UUIDs) separated by commas; unset or blank = none. */
function moderatorsFrom(raw: string | undefined, problems: string[]): string[] {
  const ids = (raw ?? "").split(",").map((id) => id.trim().toLowerCase()).filter((id) => id !== "");
  const bad = ids.find((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id));
  if (bad !== undefined) problems.push(`MODERATOR_PROFILES=${JSON.stringify(raw)} holds ${JSON.stringify(bad)}, which is not a profile id`);
  return ids;
}

/** FILTER_LIST_FILE: unset or blank = the shipped list; otherwise a readable file. */
function filterListFrom(raw: string | undefined, problems: string[]): string {
  const path = raw?.trim();
  if (!path) return DEFAULT_FILTER_LIST;
  try {
    accessSync(path, constants.R_OK);
  } catch {
    problems.push(`FILTER_LIST_FILE=${JSON.stringify(raw)} is not a readable file`);
  }
  return path;
}

/** REPLAY_DIR: unset or blank = no recording; otherwise a writable folder, or a path where one can be created. */
function replayDirFrom(raw: string | undefined, problems: string[]): string | undefined {
  const dir = raw?.trim();
  if (!dir) return undefined;
  try {
    if (!statSync(dir).isDirectory()) {
      problems.push(`REPLAY_DIR=${JSON.stringify(raw)} is not a directory`);
      return undefined;
    }
    accessSync(dir, constants.W_OK);
  } catch (error) {
    // A folder that does not exist yet is created at start-up; anything else (no permission) is a problem now.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") problems.push(`REPLAY_DIR=${JSON.stringify(raw)} is not a writable directory`);
  }
  return dir;
}

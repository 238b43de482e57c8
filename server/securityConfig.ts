import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

/** The environment variables, as `process.env` holds them. */
export type Env = Record<string, string | undefined>;

/** Reads one integer variable; a bad value is added to `problems` and the fallback returned. */
export type IntReader = (name: string, fallback: number, min: number, max: number) => number;

/**
 * What protects the server from its clients: who may join (tokens), from which
 * web pages (origins), how much any one client or address may send, and how
 * the server speaks (TLS). Every limit has a documented outcome (README,
 * "Security"); a value of 0 turns a per-address limit off.
 */
export interface SecurityConfig {
  /** Signs and checks guest tokens (HMAC-SHA256). */
  authSecret: string;
  /** AUTH_SECRET was unset: a random secret was made for this process (development only; tokens die with it). */
  authSecretGenerated: boolean;
  /** How long a guest token is valid; clients refresh it before it runs out. */
  tokenTtlSeconds: number;
  /**
   * Web origins (`scheme://host[:port]`) whose pages may call the API and open
   * game sockets, besides the server's own origin; `"*"` lets any page in.
   */
  allowedOrigins: readonly string[] | "*";
  /** Largest WebSocket frame a client may send; a bigger one closes the socket with 1009. */
  maxFrameBytes: number;
  /** Frames a client may send per second; more closes it with 4429. */
  maxMessagesPerSecond: number;
  /** Unknown or invalid messages a client may send per INVALID_MESSAGE_WINDOW_SECONDS; more closes it with 4400. */
  maxInvalidMessages: number;
  /** Inputs a player may have waiting on the server; older ones are dropped beyond it. */
  inputBufferTicks: number;
  /**
   * Token requests and joins (matchmaking, watching) one address may make per
   * minute; more get HTTP 429. 0 = no limit. The defaults leave room for a
   * school or a LAN party behind one address (16 players joining at once).
   */
  joinsPerMinutePerIp: number;
  /** Open TCP connections one address may hold (sockets and pending handshakes); more are refused. 0 = no limit. */
  maxConnectionsPerIp: number;
  /** A client must finish sending its HTTP request head (the WebSocket handshake too) within this many ms. */
  handshakeTimeoutMs: number;
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For. Off, the header is ignored (it can be forged). */
  trustProxy: boolean;
  /** PEM certificate and key: the server speaks HTTPS and WSS itself. */
  tls?: { cert: string; key: string };
  /** Mounts the Colyseus monitor at /monitor behind HTTP Basic auth (user `admin`). Unset: no monitor. */
  adminPassword?: string;
}

/** The Vite dev server (`npm run dev`), allowed by default next to the server's own origin. */
export const DEV_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173"] as const;

/** Shortest AUTH_SECRET accepted: 32 characters, the HMAC-SHA256 key size in bytes. */
const MIN_SECRET_LENGTH = 32;
const MIN_ADMIN_PASSWORD_LENGTH = 8;

/** Reads the security variables; bad values are added to `problems` (see `loadConfig`). */
export function loadSecurityConfig(env: Env, int: IntReader, problems: string[]): SecurityConfig {
  const production = env.NODE_ENV?.trim() === "production";
  const secret = env.AUTH_SECRET?.trim() ?? "";
  if (secret === "" && production) {
    problems.push("AUTH_SECRET is not set; with NODE_ENV=production it is required (32 characters or more, the same on every process)");
  } else if (secret !== "" && secret.length < MIN_SECRET_LENGTH) {
    problems.push(`AUTH_SECRET is ${secret.length} characters long; it must have at least ${MIN_SECRET_LENGTH}`);
  }
  const adminPassword = env.ADMIN_PASSWORD?.trim() || undefined;
  if (adminPassword !== undefined && adminPassword.length < MIN_ADMIN_PASSWORD_LENGTH) {
    problems.push(`ADMIN_PASSWORD is ${adminPassword.length} characters long; it must have at least ${MIN_ADMIN_PASSWORD_LENGTH}`);
  }
  return {
    authSecret: secret || randomBytes(32).toString("base64url"),
    authSecretGenerated: secret === "",
    tokenTtlSeconds: int("TOKEN_TTL_SECONDS", 3600, 60, 30 * 24 * 3600),
    allowedOrigins: readOrigins(env.ALLOWED_ORIGINS, problems),
    maxFrameBytes: int("MAX_FRAME_BYTES", 4096, 512, 1024 * 1024),
    maxMessagesPerSecond: int("MAX_MESSAGES_PER_SECOND", 120, 40, 10_000),
    maxInvalidMessages: int("MAX_INVALID_MESSAGES", 10, 1, 1000),
    inputBufferTicks: int("INPUT_BUFFER_TICKS", 32, 16, 1024),
    joinsPerMinutePerIp: int("JOINS_PER_MINUTE_PER_IP", 120, 0, 100_000),
    maxConnectionsPerIp: int("MAX_CONNECTIONS_PER_IP", 64, 0, 100_000),
    handshakeTimeoutMs: int("HANDSHAKE_TIMEOUT_MS", 10_000, 500, 120_000),
    trustProxy: readBoolean("TRUST_PROXY", env.TRUST_PROXY, problems),
    tls: readTls(env.TLS_CERT, env.TLS_KEY, problems),
    adminPassword,
  };
}

function readOrigins(raw: string | undefined, problems: string[]): readonly string[] | "*" {
  if (raw === undefined || raw.trim() === "") return DEV_ORIGINS;
  if (raw.trim() === "*") return "*";
  const origins: string[] = [];
  for (const entry of raw.split(",").map((part) => part.trim()).filter(Boolean)) {
    const origin = parseOrigin(entry);
    if (origin === undefined) problems.push(`ALLOWED_ORIGINS entry ${JSON.stringify(entry)} is not an origin like https://play.example.com`);
    else origins.push(origin);
  }
  return origins;
}

/** `scheme://host[:port]` in its canonical form, or undefined for anything else (paths, wildcards, junk). */
function parseOrigin(text: string): string | undefined {
  try {
    const url = new URL(text);
    const bare = url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && !text.endsWith("/");
    return (url.protocol === "http:" || url.protocol === "https:") && bare ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function readBoolean(name: string, raw: string | undefined, problems: string[]): boolean {
  const value = raw?.trim().toLowerCase() ?? "";
  if (value === "" || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  problems.push(`${name}=${JSON.stringify(raw)} is not one of 1, 0, true, false`);
  return false;
}

function readTls(certPath: string | undefined, keyPath: string | undefined, problems: string[]): SecurityConfig["tls"] {
  const cert = certPath?.trim() ?? "";
  const key = keyPath?.trim() ?? "";
  if (cert === "" && key === "") return undefined;
  if (cert === "" || key === "") {
    problems.push("TLS_CERT and TLS_KEY go together: set both (PEM files) or neither");
    return undefined;
  }
  const read = (name: string, path: string): string => {
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      problems.push(`${name}=${JSON.stringify(path)} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      return "";
    }
  };
  return { cert: read("TLS_CERT", cert), key: read("TLS_KEY", key) };
}

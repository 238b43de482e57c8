/**
 * Boots the real Arena server in-process for integration tests and hands out
 * real SDK clients. One server at a time per process: Colyseus' matchmaker is
 * a process-wide singleton, and Vitest gives each test file its own process.
 */
import type { Server as HttpServer } from "node:http";
import { matchMaker } from "@colyseus/core";
import type { Client, Room } from "@colyseus/sdk";
import { afterEach, beforeEach } from "vitest";
import type { ArenaView, OwnPlayerView, PlayerInput, PlayerView } from "../../shared/protocol.ts";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { guestClient } from "../../client/net/auth.ts";
import { createArenaServer, type ArenaServer, type ArenaServerOptions } from "../../server/app.ts";
import { loadConfig, type ServerConfig } from "../../server/config.ts";
import { createLog } from "../../server/log.ts";
import type { ArenaRoom } from "../../server/rooms/ArenaRoom.ts";
import type { SecurityConfig } from "../../server/securityConfig.ts";
import type { DatabaseLocation } from "../../server/storage/database.ts";
import { createTestDatabase } from "./postgres.ts";

/** A client's view of an `"arena"` room: the public-contract state, decoded by reflection. */
export type ArenaClientRoom = Room<any, ArenaView>;

/** One structured log line the server wrote (see `server/log.ts`). */
export interface LogRecord {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  [field: string]: unknown;
}

/** What a test may change about the server; everything else is `loadConfig`'s default. */
export type TestServerOptions = Partial<Omit<ServerConfig, "port" | "host" | "security">> & {
  /** Match seed for every room (default 1, so spawns and names are reproducible). */
  seed?: number;
  /**
   * Security settings over the defaults, except that the per-address limits
   * (joins per minute, connections) are off unless given: every test client
   * comes from 127.0.0.1.
   */
  security?: Partial<SecurityConfig>;
} & Pick<ArenaServerOptions, "resultsRetry" | "accountLimits">;

export interface TestServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>`, for the SDK and for `fetch`. */
  readonly url: string;
  readonly config: ServerConfig;
  /** The server itself (its player records, metrics, …). */
  readonly arena: ArenaServer;
  /** Every line logged at `warn` or above since boot. */
  readonly logs: readonly LogRecord[];
  /** A new SDK client with its own guest token (named `name` when given), for tests that need more than `connect`. */
  client(name?: string): Promise<Client>;
  /** Joins (or creates) an `"arena"` room; `name` is passed as the join option when given. */
  connect(name?: string): Promise<ArenaClientRoom>;
  /** Creates a new `"arena"` room (never joins an existing one). */
  createRoom(name?: string): Promise<ArenaClientRoom>;
  /** Joins a specific room; rejects if the server refuses (full, locked, unknown). */
  joinById(roomId: string, name?: string): Promise<ArenaClientRoom>;
  /** The server-side room instance; throws if this process does not host it. */
  serverRoom(roomId: string): ArenaRoom;
  /** Leaves every client this helper connected, then shuts the server down and frees the port. */
  close(): Promise<void>;
}

/**
 * Starts a server on a free loopback port with `warn`-level logs captured in
 * `logs` (not printed), the match seed fixed, and `overrides` applied.
 * Pair every call with `close()`; `useTestServer` does that for you.
 */
export async function startTestServer(overrides: TestServerOptions = {}): Promise<TestServer> {
  const { seed = 1, security, resultsRetry, accountLimits, ...configOverrides } = overrides;
  // An empty environment: the machine's variables must not change what a test sees.
  // No shutdown grace: closing a test server must not wait for rooms to count down.
  const defaults = loadConfig({});
  // Player records: a database that lives with the server (SQLite in memory), or on Redis one PostgreSQL database of its own.
  const scratch = configOverrides.database === undefined && configOverrides.redisUrl !== undefined ? await createTestDatabase() : undefined;
  const database: DatabaseLocation = configOverrides.database ?? (scratch ? { kind: "postgres", url: scratch.url } : { kind: "sqlite", path: ":memory:" });
  const config = loadConfig({}, {
    // No spool on disk unless a test asks: parallel test servers must not pick up each other's results.
    logLevel: "warn", shutdownGraceSeconds: 0, minPlayers: 0, resultsSpoolDir: undefined, ...configOverrides, database, port: 0, host: "127.0.0.1",
    security: { ...defaults.security, joinsPerMinutePerIp: 0, maxConnectionsPerIp: 0, ...security },
  });
  const logs: LogRecord[] = [];
  const log = createLog(config.logLevel, (line) => logs.push(JSON.parse(line) as LogRecord));
  const arena = await createArenaServer(config, { seed, log, resultsRetry, accountLimits });
  const port = await arena.listen();
  const url = `${config.security.tls ? "https" : "http"}://127.0.0.1:${port}`;
  const sdk = await guestClient(url);
  const rooms = new Set<ArenaClientRoom>();

  const track = async (joining: Promise<ArenaClientRoom>): Promise<ArenaClientRoom> => {
    const room = await joining;
    rooms.add(room);
    room.onLeave(() => rooms.delete(room));
    return room;
  };
  const joinOptions = (name: string | undefined) => (name === undefined ? {} : { name });

  return {
    port,
    url,
    config,
    arena,
    logs,
    client: (name) => guestClient(url, name),
    connect: (name) => track(sdk.joinOrCreate<ArenaView>(ROOM_NAME, joinOptions(name))),
    createRoom: (name) => track(sdk.create<ArenaView>(ROOM_NAME, joinOptions(name))),
    joinById: (roomId, name) => track(sdk.joinById<ArenaView>(roomId, joinOptions(name))),
    serverRoom(roomId) {
      const room = matchMaker.getLocalRoomById(roomId);
      if (!room) throw new Error(`room ${roomId} is not hosted by this test server`);
      return room as unknown as ArenaRoom;
    },
    async close() {
      await Promise.allSettled([...rooms].map((room) => room.leave(true)));
      rooms.clear();
      await shutDown(arena);
      await scratch?.drop();
    },
  };
}

/** `close()` of the app, plus waiting for the HTTP listener to be really gone. */
async function shutDown(arena: ArenaServer): Promise<void> {
  const http = (arena.colyseus.transport as { server?: HttpServer }).server;
  const closed = http?.listening ? new Promise<void>((resolve) => http.once("close", () => resolve())) : Promise.resolve();
  await arena.close();
  http?.closeAllConnections();
  await closed;
}

/**
 * Registers `beforeEach`/`afterEach` hooks in the current `describe`: a fresh
 * server per test, closed after it. After closing, a test fails if the server
 * logged anything at `error` level. Returns a getter for the running server.
 */
export function useTestServer(overrides: TestServerOptions = {}): () => TestServer {
  let current: TestServer | undefined;
  beforeEach(async () => {
    current = await startTestServer(overrides);
  });
  afterEach(async () => {
    const server = current;
    current = undefined;
    if (!server) return;
    await server.close();
    const errors = server.logs.filter((record) => record.level === "error");
    if (errors.length > 0) {
      throw new Error(`the server logged errors:\n${errors.map((record) => JSON.stringify(record)).join("\n")}`);
    }
  });
  return () => {
    if (!current) throw new Error("useTestServer: no server is running (only inside a test)");
    return current;
  };
}

export interface WaitOptions {
  /** Deadline (default 2000 ms). */
  timeoutMs?: number;
  /** What was awaited, for the failure message; a function is called at the deadline so it can show the last values. */
  message: string | (() => string);
}

/**
 * Resolves once `predicate()` returns (or resolves to) true, polling every few milliseconds
 * (state patches arrive between polls); rejects at the deadline with
 * "timed out after N ms waiting for <message>". Exceptions from the
 * predicate propagate at once.
 */
export async function waitFor(predicate: () => boolean | Promise<boolean>, { timeoutMs = 2000, message }: WaitOptions): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() >= deadline) {
      const what = typeof message === "function" ? message() : message;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Resolves with the next message of `type` on `room`, or rejects at the deadline. */
export function nextMessage<T>(room: ArenaClientRoom, type: string, timeoutMs = 2000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a "${type}" message on ${room.sessionId}`));
    }, timeoutMs);
    const stop = room.onMessage(type, (payload: T) => {
      clearTimeout(timer);
      stop();
      resolve(payload);
    });
  });
}

/** Collects every message of `type` that reaches `room` from now on. */
export function collectMessages<T>(room: ArenaClientRoom, type: string): T[] {
  const received: T[] = [];
  room.onMessage(type, (payload: T) => received.push(payload));
  return received;
}

/** Resolves once the server-side room has run `ticks` more fixed steps. */
export async function waitForTicks(server: TestServer, roomId: string, ticks: number): Promise<void> {
  const world = server.serverRoom(roomId).world;
  const target = world.tick + ticks;
  const tickMs = 1000 / server.config.tickHz;
  await waitFor(() => world.tick >= target, {
    timeoutMs: 1000 + ticks * tickMs * 4,
    message: () => `server tick ${target} (at ${world.tick})`,
  });
}

/** Stages `input` on the handle (fields not given keep their last value) and sends it once. */
export function sendInput(room: ArenaClientRoom, input: Partial<PlayerInput>): number {
  const handle = inputOf(room);
  Object.assign(handle.data, input);
  return handle.send();
}

/**
 * Holds `input` for `ticks` server ticks, as a client holding a control does:
 * sends it, then waits for the room's next tick before sending again.
 */
export async function holdInputFor(server: TestServer, room: ArenaClientRoom, input: Partial<PlayerInput>, ticks: number): Promise<void> {
  for (let i = 0; i < ticks; i++) {
    sendInput(room, input);
    await waitForTicks(server, room.roomId, 1);
  }
}

/** The room's input handle (the SDK hands out one per room). */
export function inputOf(room: ArenaClientRoom) {
  return room.input<PlayerInput>();
}

/** The own player as `room`'s client has decoded it (with its private fields), or undefined before it arrives. */
export function ownPlayerIn(room: ArenaClientRoom): OwnPlayerView | undefined {
  return room.state.players?.get(room.sessionId) as OwnPlayerView | undefined;
}

/** A player as `room`'s client has decoded it (its own by default), or undefined before it arrives. */
export function playerIn(room: ArenaClientRoom, sessionId: string = room.sessionId): PlayerView | undefined {
  return room.state.players?.get(sessionId);
}

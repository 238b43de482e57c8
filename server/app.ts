import type { AddressInfo } from "node:net";
import { ErrorCode, LobbyRoom, ServerError, defineRoom, defineServer, type Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { GAME_ROOM_NAMES, LARGE_ROOM_NAME } from "../shared/largeMode.ts";
import { LOBBY_ROOM_NAME, ROOM_NAME } from "../shared/protocol.ts";
import { makeRules } from "../shared/rules.ts";
import type { ServerConfig } from "./config.ts";
import { mountClientFiles } from "./http/clientFiles.ts";
import { createHttpServerFor } from "./http/httpServer.ts";
import { mountProcessRoutes } from "./http/processRoutes.ts";
import { mountWatchRoute } from "./http/watchRoute.ts";
import { createLog, type Log } from "./log.ts";
import { createMetrics, type ArenaMetrics } from "./metrics.ts";
import { mountReplayRoutes, replaySettings } from "./replays.ts";
import type { AccountLimits } from "./http/accountRoutes.ts";
import { mountPlayerRoutes } from "./http/playerRoutes.ts";
import { PlayerRecords } from "./players/playerRecords.ts";
import type { RetryPolicy } from "./players/resultQueue.ts";
import { ArenaRoom } from "./rooms/ArenaRoom.ts";
import { LargeRoom, largeRoomSettings } from "./rooms/LargeRoom.ts";
import type { ArenaSettings } from "./rooms/settings.ts";
import { adminAuth, mountAdmin } from "./security/admin.ts";
import { mountAdminRoutes } from "./http/adminRoutes.ts";
import { Moderation } from "./moderation/moderation.ts";
import { moderatorPage } from "./moderation/moderatorPage.ts";
import { WordFilter } from "./moderation/wordFilter.ts";
import { mountAuthRoutes } from "./security/authRoutes.ts";
import { Gate } from "./security/gate.ts";
import { GuestTokens, describeTokenProblem } from "./security/tokens.ts";
import { answerMatchmakingForRegistry, guardRegistryRoutes } from "./registry/answers.ts";
import { LocalRooms } from "./registry/localRooms.ts";
import { sharedMatchmaking, type Matchmaking } from "./scaleOut.ts";
import { MoveStore } from "./migration/leases.ts";
import { RoomMover } from "./migration/mover.ts";
import { DrainRequests } from "./migration/drainRequests.ts";
import { mountDrainRoute } from "./http/drainRoute.ts";
import { SharedPortTransport } from "./migration/sharedPort.ts";
import { DatagramService } from "./datagrams/service.ts";
import { registerDatagramMetrics } from "./datagrams/metrics.ts";

export interface ArenaServer {
  readonly colyseus: Server;
  readonly log: Log;
  /** This server's metrics (its own registry), served at `/metrics`. */
  readonly metrics: ArenaMetrics;
  /** Profiles, stats, match history and recordings (`server/players/`). */
  readonly records: PlayerRecords;
  /** Every client's DataChannel (`server/datagrams/`): the UDP port, the channels open. */
  readonly datagrams: DatagramService;
  /** Starts listening (after migrating the database); resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /** Disconnects everyone, disposes rooms and closes the port. */
  close(): Promise<void>;
  /** Calls `listener` when an admin asks this process to drain (`POST /api/admin/drain`). */
  onDrainRequested(listener: () => void): void;
}

export interface ArenaServerOptions {
  /** Fixes every room's match seed (tests). */
  seed?: number;
  log?: Log;
  /** Retry timing of the match results' queue (tests shorten it). */
  resultsRetry?: Partial<Omit<RetryPolicy, "limit">>;
  /** Login, claim and profile-creation limits (tests tighten them). */
  accountLimits?: AccountLimits;
}

/**
 * Builds the game server: Colyseus with the `"arena"` room over WebSockets,
 * and on the same port the HTTP routes (auth, player data, admin, `/watch`,
 * `/healthz`, `/metrics`, replays, the built client at `/`). The composition
 * root: it makes the parts and wires them; each lives in its own module.
 * With `config.redisUrl` the process joins the others on that Redis
 * (`scaleOut.ts`, which loads the Redis clients then: hence asynchronous).
 */
export async function createArenaServer(config: ServerConfig, options: ArenaServerOptions = {}): Promise<ArenaServer> {
  const log = options.log ?? createLog(config.logLevel);
  const rooms = new LocalRooms();
  const matchmaking = await sharedMatchmaking(config.redisUrl, log, rooms);
  const metrics = createMetrics(rooms, matchmaking.registry);
  const records = new PlayerRecords({
    database: config.database, replayRetentionDays: config.replayRetentionDays, resultsQueueLimit: config.resultsQueueLimit,
    spoolDir: config.resultsSpoolDir, log,
    retry: options.resultsRetry,
  });
  let stopPlayerRoutes = () => {};
  // Set as the drain begins: /healthz answers 503 while the drain is planned, before Colyseus shuts down.
  let draining = false;
  const settings: ArenaSettings = {
    rules: makeRules({
      tickHz: config.tickHz,
      matchSeconds: config.matchSeconds,
      scoreboardSeconds: config.scoreboardSeconds,
    }),
    patchHz: config.patchHz,
    maxPlayers: config.maxPlayers,
    maxSpectators: config.maxSpectators,
    minPlayers: config.minPlayers,
    chatBurst: config.chatBurst,
    reconnectSeconds: config.reconnectSeconds,
    shutdownGraceSeconds: config.shutdownGraceSeconds,
    maxRewindMs: config.maxRewindMs,
    log,
    metrics: metrics.rooms,
    seed: options.seed,
    limits: config.security,
    replay: replaySettings(config, records.sink),
  };
  const moderation = new Moderation({
    store: records.moderation, filter: WordFilter.fromFile(config.filterListFile), log,
    rooms: () => rooms.live(GAME_ROOM_NAMES) as unknown as ArenaRoom[],
  });
  settings.moderation = moderation;
  const mover = roomMoverFor(config, matchmaking, metrics, log);
  settings.moves = mover;
  const drains = new DrainRequests(matchmaking.moves && { presence: matchmaking.moves.presence, store: new MoveStore(matchmaking.moves.redis) });
  drains.onDrain(() => mover?.removing());
  const datagrams = new DatagramService(config.datagrams, config.security.maxFrameBytes, log);
  settings.datagrams = datagrams;
  registerDatagramMetrics(metrics.registry, datagrams);
  const tokens = new GuestTokens(config.security.authSecret, config.security.tokenTtlSeconds);
  /** Joins need a valid guest token of a profile nobody banned, checked at matchmaking. */
  const authorise = (token: string | undefined) => {
    const check = tokens.check(token);
    const banned = check.ok ? moderation.refusal({ profileId: check.claims.profileId }) : undefined;
    if (check.ok && banned === undefined) return check.claims;
    metrics.rooms.refused(check.ok ? "banned" : `token_${check.problem}`);
    throw new ServerError(ErrorCode.AUTH_FAILED, banned ?? describeTokenProblem(check.ok ? "invalid" : check.problem));
  };
  class GuardedArenaRoom extends ArenaRoom {
    static override async onAuth(token: string | undefined) {
      return authorise(token);
    }
  }
  class GuardedLargeRoom extends LargeRoom {
    static override async onAuth(token: string | undefined) {
      return authorise(token);
    }
  }
  const httpServer = createHttpServerFor(config);
  // The registry's 503s sit behind the security gate (guarded first, so the gate's check runs first).
  guardRegistryRoutes(httpServer, matchmaking.registry);
  const gate = new Gate(config.security, (reason) => metrics.rooms.refused(reason), {
    refusal: (address) => moderation.refusal({ address }),
    connected: (sessionId, address, socket) => moderation.connected(sessionId, address, socket),
  });
  const admin = config.security.adminPassword === undefined ? undefined : adminAuth(config.security.adminPassword, config.security.trustProxy);
  gate.guard(httpServer);
  // Heartbeat: a client that has not answered the previous ping when the next
  // one is due is terminated, i.e. a dead peer is dropped within two intervals.
  const transportOptions = {
    server: httpServer,
    pingInterval: config.pingIntervalMs,
    pingMaxRetries: 1,
    maxPayload: config.security.maxFrameBytes,
  };
  // With Redis, rooms outlive the process: a successor may share the port, and rooms written
  // by the previous process are restored before it takes connections (server/migration/).
  const transport = mover
    ? new SharedPortTransport(transportOptions, () => mover.restoreWritten().catch((error: unknown) => log.error("restoring rooms failed", { error })))
    : new WebSocketTransport(transportOptions);
  if (config.redisUrl !== undefined && config.publicAddress === undefined) {
    log.warn("REDIS_URL is set without PUBLIC_ADDRESS: clients will reach rooms in other processes only if every process answers at the address they used for matchmaking");
  }
  const colyseus = defineServer({
    ...matchmaking.shared,
    publicAddress: config.publicAddress,
    rooms: {
      // Quick play (joinOrCreate) fills the fullest room that still has a player seat
      // (a room locks itself while its player seats are all taken).
      [ROOM_NAME]: defineRoom(GuardedArenaRoom, { settings }).enableRealtimeListing().sortBy({ players: -1 }),
      [LARGE_ROOM_NAME]: defineRoom(GuardedLargeRoom, { settings: largeRoomSettings(settings, config) }).enableRealtimeListing().sortBy({ players: -1 }),
      [LOBBY_ROOM_NAME]: defineRoom(LobbyRoom),
    },
    transport,
    greet: false,
    logger: log.colyseus,
    // Signals are handled by server/main.ts, which bounds the shutdown time.
    gracefullyShutdown: false,
    express: (app) => {
      app.disable("x-powered-by");
      mountAuthRoutes(app, tokens, async (secret) => (await records.profiles.bySecret(secret))?.id, moderation);
      if (admin) mountAdmin(app, admin);
      if (admin) mountDrainRoute(app, admin, drains);
      if (admin || config.moderatorProfiles.length > 0) {
        mountAdminRoutes(app, { admin, moderators: config.moderatorProfiles, profileOf: (secret) => records.profiles.bySecret(secret) }, moderation);
      }
      // The page for moderators' profiles: its files hold nothing secret; what it shows comes from the API, with the player's secret.
      if (config.moderatorProfiles.length > 0) app.use(moderatorPage());
      stopPlayerRoutes = mountPlayerRoutes(app, records, tokens, {
        trustProxy: config.security.trustProxy, log, limits: options.accountLimits,
        moderation: { banned: (profileId) => moderation.refusal({ profileId }), acceptableName: (name) => moderation.filter.passes(name) },
      });
      mountWatchRoute(app, { tokens, metrics: metrics.rooms, registry: matchmaking.registry });
      mountProcessRoutes(app, { rooms, registry: matchmaking.registry, clustered: config.redisUrl !== undefined, metrics, draining: () => draining });
      if (config.replayDir) mountReplayRoutes(app, config.replayDir);
      mountClientFiles(app, config.clientDir);
    },
  });

  const stopAnswering = answerMatchmakingForRegistry(matchmaking.registry);

  return {
    colyseus,
    log,
    metrics,
    records,
    datagrams,
    async listen() {
      await records.start();
      await matchmaking.ready();
      await colyseus.listen(config.port, config.host);
      await moderation.start();
      const port = (transport.server?.address() as AddressInfo).port;
      await datagrams.start(config.host, port);
      rooms.follow();
      matchmaking.start();
      await mover?.start();
      await drains.start();
      return port;
    },
    onDrainRequested: (listener) => drains.onDrain(listener),
    async close() {
      draining = true;
      gate.close();
      admin?.close();
      moderation.stop();
      // Rooms that move (to a successor sharing the port, or to the next process here) take their
      // players' reconnections there: this process takes no new connection. A drain in place keeps
      // answering (503 on /healthz) for its grace period.
      if (mover && (await mover.beginDrain()).kind !== "drain") httpServer.close();
      matchmaking.stop();
      await colyseus.gracefullyShutdown(false);
      datagrams.close();
      stopAnswering();
      stopPlayerRoutes();
      await records.close();
    },
  };
}

/** With Redis, this process's side of moving rooms between processes (server/migration/); none without. */
function roomMoverFor(config: ServerConfig, matchmaking: Matchmaking, metrics: ArenaMetrics, log: Log): RoomMover | undefined {
  const shared = matchmaking.moves;
  // Rooms move only between processes reachable at one fixed address: none without one (PORT=0, no PUBLIC_ADDRESS).
  const address = config.publicAddress ?? (config.port !== 0 ? `${config.host}:${config.port}` : undefined);
  if (!shared || address === undefined) return undefined;
  return new RoomMover({
    store: new MoveStore(shared.redis),
    presence: shared.presence,
    log,
    metrics: metrics.moves,
    address,
    roomName: ROOM_NAME,
    restartWaitMs: Math.max(config.reconnectSeconds, 10) * 1000,
    detach: (room) => shared.detach(room),
  });
}

/**
 * The seam: every reach past Colyseus' public API (server/colyseusSeams.ts
 * and the subclasses in server/registry/guarded.ts), one test per reach, named
 * after it. A Colyseus upgrade that moves one of them fails here by name.
 */
import { readFileSync } from "node:fs";
import { matchMaker, type IRoomCache, type LobbyRoom, type Room } from "@colyseus/core";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import {
  announceToLobbies, goneListing, interceptMatchmaking, listingOf, LOBBY_CHANNEL, PROCESS_CHANNEL_PREFIX, PROCESS_STATS_KEY, processStatsEntry,
  reconnectLocally, resyncLobbies, roomIsUp,
} from "../../server/colyseusSeams.ts";
import { GuardedRedisDriver, GuardedRedisPresence } from "../../server/registry/guarded.ts";
import { createLog } from "../../server/log.ts";
import { REGISTRY_CLIENT_OPTIONS, whenReady } from "../../server/registry/redisClients.ts";
import { LOBBY_ROOM_NAME } from "../../shared/protocol.ts";
import { ownRedisAvailable, startOwnRedis, useOwnRedis, type OwnRedis } from "../helpers/ownRedis.ts";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

const SEAM_PACKAGES = ["@colyseus/core", "@colyseus/redis-driver", "@colyseus/redis-presence", "ioredis"] as const;

describe("the Colyseus versions the seam was written for", () => {
  it.each(SEAM_PACKAGES)("%s is pinned exactly, and that version is installed", (name) => {
    const pinned = (packageJson.dependencies as Record<string, string>)[name];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    // Read from the file: some of these packages do not export their package.json.
    const installed = JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), "utf8")) as { version: string };
    expect(installed.version).toBe(pinned);
  });
});

describe.skipIf(!ownRedisAvailable)("the reaches into Colyseus, on a Redis of the test's own", () => {
  let redis: OwnRedis;
  let server: TestServer;
  let inspect: Redis;

  beforeAll(async () => {
    redis = await startOwnRedis();
    server = await startTestServer({ redisUrl: redis.url });
    inspect = new Redis(redis.url);
  }, 30_000);
  afterAll(async () => {
    inspect?.disconnect();
    await server?.close();
    await redis?.close();
  }, 30_000);

  async function serverRoomOfNewGame(): Promise<Room> {
    const room = await server.createRoom("Seam");
    return server.serverRoom(room.roomId) as unknown as Room;
  }

  it("room._listing is the room's registry entry, as the driver stores it", async () => {
    const room = await serverRoomOfNewGame();
    const listing = listingOf(room);
    expect(listing.roomId).toBe(room.roomId);
    expect(listing.processId).toBe(matchMaker.processId);
    const stored = JSON.parse((await inspect.hget("roomcaches", room.roomId))!) as { roomId: string; clients: number };
    expect(stored).toMatchObject({ roomId: room.roomId, clients: listing.clients });
  });

  it("room._internalState tells a live room from one that is disposing", async () => {
    const room = await serverRoomOfNewGame();
    expect(roomIsUp(room)).toBe(true);
    await room.disconnect();
    expect(roomIsUp(room)).toBe(false);
  });

  it(`each process listens on its IPC channel "${PROCESS_CHANNEL_PREFIX}<processId>"`, async () => {
    expect(await inspect.pubsub("CHANNELS", `${PROCESS_CHANNEL_PREFIX}*`)).toContain(`${PROCESS_CHANNEL_PREFIX}${matchMaker.processId}`);
  });

  it(`the per-process stats live in the "${PROCESS_STATS_KEY}" hash as "rooms,ccu"`, async () => {
    await serverRoomOfNewGame();
    await waitFor(async () => (await inspect.hget(PROCESS_STATS_KEY, matchMaker.processId)) === processStatsEntry()[2], {
      timeoutMs: 3000, message: "Colyseus' own stats write to match processStatsEntry()",
    });
  });

  it("matchMaker.controller.invokeMethod is what POST /matchmake calls", async () => {
    const seen: string[] = [];
    const restore = interceptMatchmaking(async (call) => {
      seen.push(`${call.method} ${call.roomName}`);
      return call.next();
    });
    try {
      await server.connect("Seen");
    } finally {
      restore();
    }
    expect(seen).toEqual(["joinOrCreate arena"]);
  });

  it("room.checkReconnectionToken and matchMaker.buildSeatReservation answer a reconnection from the room", async () => {
    const player = await server.createRoom("Back");
    const [roomId, token] = player.reconnectionToken.split(":");
    const reservation = reconnectLocally(roomId!, token);
    expect(reservation).toMatchObject({ roomId, sessionId: player.sessionId, name: "arena", processId: matchMaker.processId });
    expect(() => reconnectLocally(roomId!, "not-a-token")).toThrow(/invalid or expired/);
    expect(reconnectLocally("no-such-room", token)).toBeUndefined();
  });

  it("updateLobby({ _listing }) tells lobbies a room is gone", async () => {
    const room = await serverRoomOfNewGame();
    const lobby = await (await server.client()).joinOrCreate(LOBBY_ROOM_NAME);
    const gone: string[] = [];
    lobby.onMessage("rooms", () => {});
    lobby.onMessage("+", () => {});
    lobby.onMessage("-", (roomId: string) => gone.push(roomId));
    announceToLobbies(goneListing(room.roomId), true);
    await waitFor(() => gone.includes(room.roomId), { message: "the lobby to hear the room is gone" });
    await lobby.leave();
  });

  it(`LobbyRoom keeps the list it sends in \`rooms\`, its clients "-" a room gone, and a "${LOBBY_CHANNEL}" notice "<roomId>,0" makes it read a room`, async () => {
    const unheard = await serverRoomOfNewGame();
    const lobby = await (await server.client()).joinOrCreate(LOBBY_ROOM_NAME);
    const added: string[] = [];
    const gone: string[] = [];
    lobby.onMessage("rooms", () => {});
    lobby.onMessage("+", ([roomId]: [string, unknown]) => added.push(roomId));
    lobby.onMessage("-", (roomId: string) => gone.push(roomId));
    const lobbyRoom = matchMaker.getLocalRoomById(lobby.roomId) as LobbyRoom;
    expect(lobbyRoom.rooms.map((entry) => entry.roomId)).toContain(unheard.roomId);
    // Two notices lost: one for a room that ended, one for a room that came.
    lobbyRoom.rooms.push({ ...listingOf(unheard), roomId: "ended-unheard" } as IRoomCache);
    lobbyRoom.rooms.splice(lobbyRoom.rooms.findIndex((entry) => entry.roomId === unheard.roomId), 1);
    const presence = matchMaker.presence as GuardedRedisPresence;
    await resyncLobbies([lobbyRoom], (channel, notice) => presence.deliverLocally(channel, notice));
    await waitFor(() => gone.includes("ended-unheard") && added.includes(unheard.roomId), { message: "the lobby's client told of both" });
    expect(lobbyRoom.rooms.map((entry) => entry.roomId)).toContain(unheard.roomId);
    expect(lobbyRoom.rooms.map((entry) => entry.roomId)).not.toContain("ended-unheard");
    await lobby.leave();
  });

  it("RedisPresence keeps `pub`, `sub` and `subscriptions` where a subclass reaches them", async () => {
    const presence = new GuardedRedisPresence(new Redis(redis.url), { failed: () => {} }, createLog("silent"));
    try {
      await presence.subscribe("seam-topic", () => {});
      expect(await presence.commands.ping()).toBe("PONG");
      await presence.restoreSubscriptions();
      expect(await inspect.pubsub("CHANNELS", "seam-topic")).toEqual(["seam-topic"]);
      expect(presence.listener).not.toBe(presence.commands);
    } finally {
      presence.shutdown();
    }
  });

  it("RedisDriver's persist and remove write the `roomcaches` hash", async () => {
    const driver = new GuardedRedisDriver(new Redis(redis.url), { failed: () => {} });
    try {
      const room = await serverRoomOfNewGame();
      await driver.removeOrFail(room.roomId);
      expect(await inspect.hexists("roomcaches", room.roomId)).toBe(0);
      await driver.persistOrFail(listingOf(room));
      expect(await inspect.hexists("roomcaches", room.roomId)).toBe(1);
    } finally {
      await driver.shutdown();
    }
  });
});

describe.skipIf(!ownRedisAvailable)("RedisDriver's shared registry read, on a Redis of the test's own", () => {
  const ownRedis = useOwnRedis();

  it("is kept in `_concurrentRoomCacheRequest`, and forgotten after a failure so the next query reads again", async () => {
    const redis = ownRedis();
    const connection = new Redis(redis.url, REGISTRY_CLIENT_OPTIONS);
    connection.on("error", () => {});
    await whenReady([connection], createLog("silent"));
    const driver = new GuardedRedisDriver(connection, { failed: () => {} });
    try {
      const reading = driver.query({});
      expect((driver as unknown as { _concurrentRoomCacheRequest?: unknown })._concurrentRoomCacheRequest).toBeInstanceOf(Promise);
      expect(await reading).toEqual([]);
      redis.pause();
      try {
        await expect(driver.query({})).rejects.toThrow(/timed out/);
      } finally {
        redis.resume();
      }
      // Colyseus' driver alone would answer every later query with the same failure.
      expect(await driver.query({})).toEqual([]);
    } finally {
      await driver.shutdown();
    }
  }, 20_000);
});

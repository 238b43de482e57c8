/**
 * Three real server processes on one Redis: matchmaking through any of them
 * reaches rooms in all of them; a drained process moves its rooms to the others; a
 * killed one drops out of the list and out of matchmaking. The Redis is the
 * file's own (its own port): another suite's processes on a shared Redis
 * would join this cluster and be handed its rooms.
 */
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configureReconnection } from "../../client/net/reconnection.ts";
import { followRoomMoves } from "../../client/net/roomFollow.ts";
import { ArenaSession } from "../../client/net/session.ts";
import { LOBBY_ROOM_NAME, ServerMessage, type ChatBroadcast, type RoomListing } from "../../shared/protocol.ts";
import { sdkAt, startCluster, takeSeat, watchThrough, type Cluster, type ClusterMember, type Seat } from "../helpers/cluster.ts";
import { ownRedisAvailable, startOwnRedis, type OwnRedis } from "../helpers/ownRedis.ts";
import { lastingKeys } from "../helpers/redis.ts";
import { scrape } from "../helpers/registry.ts";
import { collectMessages, waitFor } from "../helpers/server.ts";

describe.skipIf(!ownRedisAvailable)("three processes on one Redis", () => {
  let ownRedis: OwnRedis;
  let inspect: Redis;
  const redis = () => inspect;
  let cluster: Cluster;
  const seats: Seat[] = [];
  const seat = async (...args: Parameters<typeof takeSeat>) => {
    const taken = await takeSeat(...args);
    seats.push(taken);
    return taken;
  };
  const members = () => cluster.members.filter(({ server }) => server.child.exitCode === null && server.child.signalCode === null);

  beforeAll(async () => {
    ownRedis = await startOwnRedis();
    inspect = new Redis(ownRedis.url);
    cluster = await startCluster(3, ownRedis.url);
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    inspect?.disconnect();
    await ownRedis?.close();
  }, 30_000);
  // Every test starts with no game rooms anywhere.
  afterEach(async () => {
    // A room whose socket is already closed (a drained process's) has nothing to leave.
    await Promise.allSettled(seats.splice(0).filter(({ room }) => room.connection.isOpen).map(({ room }) => room.leave(true)));
    let left = "";
    await waitFor(async () => {
      const [listed, counted] = await Promise.all([redis().hgetall("roomcaches"), redis().hgetall("roomcount")]);
      left = JSON.stringify({ listed: Object.keys(listed), counted });
      return Object.keys(listed).length === 0 && roomsCounted(counted) === 0;
    }, { timeoutMs: 5000, message: () => `every room to be disposed and uncounted (${left})` });
  }, 15_000);

  /** One room per process in `on`, each created through the first one: new rooms go to the least loaded process. */
  async function roomOnEach(on: readonly ClusterMember[]): Promise<Seat[]> {
    const created: Seat[] = [];
    for (const [index] of on.entries()) created.push(await seat(on[0]!.url, "create", { name: `Host${index}` }));
    expect(new Set(created.map(({ address }) => address)).size).toBe(on.length);
    return created;
  }

  it("quick play through different processes lands in one room, where chat reaches everyone", async () => {
    const [a, b, c] = members();
    const ann = await seat(a.url, "joinOrCreate", { name: "Ann" });
    const bob = await seat(b.url, "joinOrCreate", { name: "Bob" });
    const cy = await seat(c.url, "joinOrCreate", { name: "Cy" });
    expect([bob.room.roomId, cy.room.roomId]).toEqual([ann.room.roomId, ann.room.roomId]);
    expect(new Set([ann.address, bob.address, cy.address]).size).toBe(1);

    const heardByBob = collectMessages<ChatBroadcast>(bob.room, ServerMessage.chat);
    const heardByCy = collectMessages<ChatBroadcast>(cy.room, ServerMessage.chat);
    ann.room.send(ServerMessage.chat, { text: "hello from A" });
    const fromAnn = (lines: ChatBroadcast[]) => lines.some((line) => line.from === "Ann" && line.text === "hello from A");
    await waitFor(() => fromAnn(heardByBob) && fromAnn(heardByCy), { message: "Ann's line to reach Bob and Cy" });
  });

  it("a private code made through one process joins through another and can be watched through a third", async () => {
    const [a, b, c] = members();
    const host = await seat(a.url, "create", { name: "Host", private: true });
    const code = host.room.roomId;
    const friend = await seat(b.url, "joinById", { name: "Friend" }, code);
    expect(friend.room.roomId).toBe(code);
    expect(friend.address).toBe(host.address);
    await waitFor(() => host.room.state.players?.get(friend.room.sessionId)?.name === "Friend", { message: "the friend in the host's room" });

    const watcher = await watchThrough(c.url, code.toLowerCase(), "Eve");
    seats.push({ room: watcher, address: host.address });
    await waitFor(() => host.room.state.spectators === 1, { message: "the watcher to be counted" });
  });

  it("the lobby and /metrics count the rooms and players of every process", async () => {
    const created = await roomOnEach(members());
    const lobby = await watchLobby(members()[2]!.url);
    await waitFor(() => created.every(({ room }) => lobby.rooms.get(room.roomId)?.players === 1), {
      message: "every process's room listed with its player",
    });
    await lobby.room.leave();
    for (const member of members()) {
      const metrics = await scrape(member.url);
      expect(metrics).toMatchObject({ arena_rooms: 1, arena_cluster_processes: 3, arena_cluster_rooms: 3, arena_cluster_connected_clients: 3 });
    }
  });

  it("leaves no Redis keys or subscriptions behind once its rooms are gone", async () => {
    const keysBefore = await lastingKeys(redis());
    const created = await roomOnEach(members());
    const lobby = await watchLobby(members()[0]!.url);
    const roomChannels = [...created.map(({ room }) => room.roomId), lobby.room.roomId].map((roomId) => `$${roomId}`);
    expect(await redis().pubsub("CHANNELS", "$*")).toEqual(expect.arrayContaining(roomChannels));

    await Promise.all([lobby.room.leave(), ...seats.splice(0).map(({ room }) => room.leave())]);
    await waitFor(async () => {
      const channels = new Set(await redis().pubsub("CHANNELS", "$*") as string[]);
      return roomChannels.every((channel) => !channels.has(channel))
        && JSON.stringify(await lastingKeys(redis())) === JSON.stringify(keysBefore);
    }, { timeoutMs: 5000, message: "room channels unsubscribed and the keys back to what they were" });
  });

  it("draining a process seats nobody new there, and its rooms move to the others with their players", async () => {
    const rooms = await roomOnEach(members());
    const players = [...rooms];
    for (const { room } of rooms) players.push(await seat(members()[0]!.url, "joinById", { name: "Guest" }, room.roomId));
    const draining = members().find(({ address }) => address === rooms[0]!.address)!;
    const others = members().filter((member) => member !== draining);
    const leaving = players.filter(({ address }) => address === draining.address);
    const staying = players.filter((player) => !leaving.includes(player));
    expect(leaving).toHaveLength(2);
    // Their clients follow a move as the contract shows, through a process the load balancer still routes to.
    const back = leaving.map(({ room }) => {
      configureReconnection(room);
      followRoomMoves(room, others[0]!.url);
      return new Promise<void>((resolve) => room.onReconnect.once(() => resolve()));
    });
    const sessions = leaving.map(({ room }) => `${room.roomId}/${room.sessionId}`);

    draining.server.child.kill("SIGTERM");
    await waitFor(() => draining.server.logs.some((line) => line.msg === "shutting down"), { message: "the drain to begin" });
    for (const how of ["joinOrCreate", "create", "joinOrCreate"] as const) {
      expect((await seat(others[0]!.url, how, { name: "New" })).address).not.toBe(draining.address);
    }

    expect(await draining.server.exited).toBe(0);
    await Promise.all(back);
    expect(leaving.map(({ room }) => `${room.roomId}/${room.sessionId}`)).toEqual(sessions);
    const [moved] = draining.server.logs.filter((line) => line.msg === "room moved");
    expect(others.map(({ address }) => address)).toContain(moved!.address);
    // The players elsewhere were never disturbed.
    for (const player of staying) expect(player.room.connection.isOpen).toBe(true);
    await cluster.add();
  }, 30_000);

  it("a game client whose process drains follows its room to another process, same seat", async () => {
    // A private room, and a game client matchmaking through another process (the load balancer's choice).
    const host = await seat(members()[0]!.url, "create", { name: "Host", private: true });
    const draining = members().find(({ address }) => address === host.address)!;
    const front = members().find((member) => member !== draining)!;
    configureReconnection(host.room);
    followRoomMoves(host.room, front.url);
    const game = await ArenaSession.enter(front.url, { kind: "code", code: host.room.roomId, name: "Gamer" });
    await waitFor(() => game.state.players?.size === 2, { message: "the client in the private room" });
    const sessionId = game.sessionId;
    const statuses = new Set<string>();
    const watchStatus = setInterval(() => statuses.add(game.moving ? "moving" : game.status), 5);
    try {
      draining.server.child.kill("SIGTERM");
      expect(await draining.server.exited).toBe(0);
      await waitFor(() => game.status === "connected" && game.me?.name === "Gamer" && statuses.has("moving") && host.room.connection.isOpen, {
        timeoutMs: 10_000, message: () => `the client back in its room (status ${game.status}, seen ${[...statuses]})`,
      });
      expect([game.sessionId, game.roomId]).toEqual([sessionId, host.room.roomId]);
      expect([...statuses].sort()).toEqual(["connected", "moving"]);
    } finally {
      clearInterval(watchStatus);
      await game.leave();
    }
    await cluster.add();
  }, 30_000);

  it("a killed process: the others keep ticking, its rooms leave the list within 10 s, and nobody is sent there", async () => {
    const rooms = await roomOnEach(members());
    const victim = members().find(({ address }) => address === rooms[0]!.address)!;
    const survivors = members().filter((member) => member !== victim);
    const survivingRoom = rooms[1]!.room;
    const deadRoomId = rooms[0]!.room.roomId;
    // A lobby open before the crash, in a process that survives it (a new room goes to the least
    // loaded process, the one asked on a tie), must hear of the removal as it happens.
    const lobby = await watchLobby(survivors[0]!.url);
    expect(lobby.address()).toBe(survivors[0]!.address);
    await waitFor(() => rooms.every(({ room }) => lobby.rooms.has(room.roomId)), { message: "every room in the lobby" });

    victim.server.child.kill("SIGKILL");
    const killedAt = performance.now();
    const timeLeftAtKill = survivingRoom.state.timeLeft;
    const newcomers = await Promise.all(["joinOrCreate", "joinOrCreate", "create", "joinOrCreate"].map((how, index) =>
      seat(survivors[index % 2]!.url, how as "joinOrCreate" | "create", { name: `Late${index}` })));
    for (const { address } of newcomers) expect(address).not.toBe(victim.address);

    await waitFor(() => !lobby.rooms.has(deadRoomId) && lobby.rooms.has(survivingRoom.roomId), {
      timeoutMs: Math.max(0, 10_000 - (performance.now() - killedAt)),
      message: "the dead process's room to leave the lobby",
    });
    await lobby.room.leave();
    await waitFor(() => survivingRoom.state.timeLeft < timeLeftAtKill, { timeoutMs: 3000, message: "the surviving room's clock to run" });
    expect(await scrape(survivors[0]!.url)).toMatchObject({ arena_cluster_processes: 2 });
  }, 30_000);
});

/** Rooms counted in Colyseus' shared stats hash (`processId → "rooms,ccu"`), lobby rooms included. */
function roomsCounted(stats: Record<string, string>): number {
  return Object.values(stats).reduce((sum, value) => sum + Number(value.split(",")[0]), 0);
}

/** A lobby client joined through `url`, the listing of each room it was told about, and where the lobby lives. */
async function watchLobby(url: string) {
  let address = "";
  const room = await (await sdkAt(url, (host) => { address = host; })).joinOrCreate(LOBBY_ROOM_NAME);
  const rooms = new Map<string, RoomListing>();
  type Listed = { roomId: string; metadata: RoomListing };
  room.onMessage("rooms", (list: Listed[]) => {
    rooms.clear();
    for (const listed of list) rooms.set(listed.roomId, listed.metadata);
  });
  room.onMessage("+", ([roomId, listed]: [string, Listed]) => rooms.set(roomId, listed.metadata));
  room.onMessage("-", (roomId: string) => rooms.delete(roomId));
  /** The PUBLIC_ADDRESS of the process holding the lobby room. */
  return { room, rooms, address: () => address };
}

import { Client, type Room } from "@colyseus/sdk";
import { describe, expect, it } from "vitest";
import { LOBBY_ROOM_NAME, ROOM_NAME, ServerMessage, type RoomListing } from "../../shared/protocol.ts";
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from "../../server/rooms/roomCode.ts";
import { holdInputFor, nextMessage, playerIn, sendInput, useTestServer, waitFor, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";
import { backends } from "../helpers/redis.ts";

interface Listed {
  roomId: string;
  clients: number;
  metadata: RoomListing;
}

/** A lobby client and the live list of rooms it was told about. */
async function watchLobby(server: TestServer) {
  const lobby = await new Client(server.url).joinOrCreate(LOBBY_ROOM_NAME);
  const rooms = new Map<string, Listed>();
  lobby.onMessage("rooms", (list: Listed[]) => {
    rooms.clear();
    for (const room of list) rooms.set(room.roomId, room);
  });
  lobby.onMessage("+", ([roomId, room]: [string, Listed]) => rooms.set(roomId, room));
  lobby.onMessage("-", (roomId: string) => rooms.delete(roomId));
  return { lobby, rooms };
}

/** Takes a spectator seat through the server's watch route. */
async function watch(server: TestServer, roomId: string, name = "Watcher"): Promise<ArenaClientRoom> {
  const client = await server.client();
  const response = await fetch(`${server.url}/watch/${roomId}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${client.auth.token}` },
    body: JSON.stringify({ name }),
  });
  if (!response.ok) throw new Error(`watch refused: ${response.status} ${JSON.stringify(await response.json())}`);
  const reservation = await response.json() as Parameters<Client["consumeSeatReservation"]>[0];
  return client.consumeSeatReservation(reservation) as Promise<ArenaClientRoom>;
}

describe.each(backends(11))("finding and sharing rooms ($name)", ({ redisUrl }) => {
  describe("lobby", () => {
    const server = useTestServer({ redisUrl });

    it("lists a new public room and follows its player count live", async () => {
      const { lobby, rooms } = await watchLobby(server());
      const ann = await server().connect("Ann");
      await waitFor(() => rooms.get(ann.roomId)?.metadata.players === 1, { message: "the room in the lobby with 1 player" });
      const listed = rooms.get(ann.roomId)!.metadata;
      expect(listed).toMatchObject({ maxPlayers: 16, phase: "playing", open: true });
      expect(listed.timeLeft).toBeGreaterThan(0);
      const bob = await server().connect("Bob");
      await waitFor(() => rooms.get(ann.roomId)?.metadata.players === 2, { message: "2 players in the lobby" });
      await bob.leave(true);
      await waitFor(() => rooms.get(ann.roomId)?.metadata.players === 1, { message: "back to 1 player" });
      await lobby.leave();
    });

    it("never lists a private room; only its code joins it", async () => {
      const { lobby, rooms } = await watchLobby(server());
      const host = await (await server().client()).create(ROOM_NAME, { name: "Host", private: true }) as ArenaClientRoom;
      const code = host.roomId;
      expect(code).toHaveLength(ROOM_CODE_LENGTH);
      for (const character of code) expect(ROOM_CODE_ALPHABET).toContain(character);

      // Quick play does not land in it: it makes a public room instead.
      const stranger = await server().connect("Stranger");
      expect(stranger.roomId).not.toBe(code);
      await waitFor(() => rooms.has(stranger.roomId), { message: "the public room in the lobby" });
      expect(rooms.has(code)).toBe(false);

      const friend = await (await server().client()).joinById(code, { name: "Friend" }) as ArenaClientRoom;
      expect(friend.roomId).toBe(code);
      await waitFor(() => playerIn(host, friend.sessionId)?.name === "Friend", { message: "the friend in the private room" });
      await Promise.all([lobby.leave(), friend.leave(), host.leave()]);
    });

    it("quick play fills the fullest open room before the others", async () => {
      const small = await server().createRoom("Solo");
      const big = await server().createRoom("Ann");
      await (await server().client()).joinById(big.roomId, { name: "Bob" });
      const joined = await server().connect("Carol");
      expect(joined.roomId).toBe(big.roomId);
      expect(small.roomId).not.toBe(big.roomId);
    });
  });

  describe("capacity and spectators", () => {
    const server = useTestServer({ redisUrl, maxPlayers: 2, maxSpectators: 2 });

    it("a full room refuses another player but can be watched, and watchers see everything", async () => {
      const ann = await server().connect("Ann");
      const bob = await server().connect("Bob");
      expect(bob.roomId).toBe(ann.roomId);
      await expect((await server().client()).joinById(ann.roomId, { name: "Late" })).rejects.toThrow(/locked|full/i);
      // Quick play sends the latecomer to a new room instead.
      const late = await server().connect("Late");
      expect(late.roomId).not.toBe(ann.roomId);

      const watcher = await watch(server(), ann.roomId, "Eve");
      expect(watcher.roomId).toBe(ann.roomId);
      await waitFor(() => watcher.state.players?.size === 2, { message: "the watcher to receive both players" });
      await waitFor(() => playerIn(ann)?.name !== undefined && ann.state.spectators === 1, { message: "the spectator count" });
      expect(playerIn(watcher, watcher.sessionId)).toBeUndefined();
    });

    it("ignores a spectator's inputs, with a reason, and lets it take a free seat", async () => {
      const ann = await server().connect("Ann");
      const watcher = await watch(server(), ann.roomId, "Eve");
      const refused = nextMessage<{ reason: string }>(watcher, ServerMessage.inputRefused);
      sendInput(watcher, { moveX: 1, moveY: 0 });
      expect((await refused).reason).toMatch(/spectator/i);
      expect(playerIn(ann, watcher.sessionId)).toBeUndefined();

      watcher.send("takeSeat");
      await waitFor(() => playerIn(ann, watcher.sessionId)?.name === "Eve", { message: "Eve to get a seat" });
      await waitFor(() => ann.state.spectators === 0, { message: "the spectator count to drop" });
    });

    it("refuses takeSeat while every player seat is taken", async () => {
      const ann = await server().connect("Ann");
      await (await server().client()).joinById(ann.roomId, { name: "Bob" });
      const watcher = await watch(server(), ann.roomId);
      const refusal = nextMessage<{ reason: string }>(watcher, ServerMessage.seatRefused);
      watcher.send("takeSeat");
      expect((await refusal).reason).toMatch(/taken/);
    });

    it("answers a watch request for an unknown room with 404 and a sentence", async () => {
      const { auth } = await server().client();
      const response = await fetch(`${server().url}/watch/NOPE9`, { method: "POST", headers: { authorization: `Bearer ${auth.token}` } });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: string }).error).toMatch(/No game/);
    });
  });
});

export type { Room };

describe("private player data", () => {
  const server = useTestServer();

  it("sends a player's reload to that player only, never to other players or spectators", async () => {
    const ann = await server().connect("Ann");
    const bob = await server().connect("Bob");
    const watcher = await watch(server(), ann.roomId);
    let annSawOwnReload = false;
    let othersSawIt = false;
    const check = () => {
      if ((playerIn(ann)?.reloadTicks ?? 0) > 0) annSawOwnReload = true;
      if ((playerIn(bob, ann.sessionId)?.reloadTicks ?? 0) > 0 || (playerIn(watcher, ann.sessionId)?.reloadTicks ?? 0) > 0) othersSawIt = true;
    };
    ann.onStateChange(check);
    bob.onStateChange(check);
    watcher.onStateChange(check);
    for (let i = 0; i < 20 && !annSawOwnReload; i++) await holdInputFor(server(), ann, { fire: true, aim: 0 }, 1);
    await waitFor(() => annSawOwnReload, { message: "Ann to see her own reload" });
    expect(othersSawIt).toBe(false);
    expect(playerIn(bob, ann.sessionId)?.reloadTicks ?? 0).toBe(0);
  });
});

import { rawSocketOf } from "../../testkit/sdkOverWs.ts";
import { Client } from "@colyseus/sdk";
import { describe, expect, it } from "vitest";
import { holdInputFor, playerIn, useTestServer, waitFor, type ArenaClientRoom } from "../helpers/server.ts";

/** The SDK skips reconnecting during the first 5 s of a room by default; these clients must not. */
function reconnectAtOnce(room: ArenaClientRoom): ArenaClientRoom {
  room.reconnection.minUptime = 0;
  return room;
}

/** Records, at every patch `observer` receives, whether `sessionId` was in its players map. */
function watchPresence(observer: ArenaClientRoom, sessionId: string) {
  const seen = { patches: 0, missing: 0, disconnected: 0 };
  observer.onStateChange(() => {
    seen.patches++;
    const player = playerIn(observer, sessionId);
    if (!player) seen.missing++;
    else if (!player.connected) seen.disconnected++;
  });
  return seen;
}

describe("connection lifecycle", () => {
  describe("a connection cut mid-match", () => {
    const server = useTestServer({ reconnectSeconds: 10 });

    it("comes back to the same seat and score, inputs resume, and nobody sees the player vanish", async () => {
      const alice = reconnectAtOnce(await server().connect("Alice"));
      const bob = await server().connect("Bob");
      const serverRoom = server().serverRoom(alice.roomId);
      await waitFor(() => playerIn(bob, alice.sessionId) !== undefined, { message: "Bob to see Alice" });
      serverRoom.world.players.get(alice.sessionId)!.score = 3;
      await waitFor(() => playerIn(alice)?.score === 3, { message: "Alice's score to reach her" });
      const presence = watchPresence(bob, alice.sessionId);
      const sessionId = alice.sessionId;
      let drops = 0;
      let reconnects = 0;
      alice.onDrop(() => drops++);
      alice.onReconnect(() => reconnects++);

      rawSocketOf(alice).terminate();
      await waitFor(() => reconnects === 1, { timeoutMs: 5000, message: "Alice to reconnect" });

      expect(drops).toBe(1);
      expect(alice.sessionId).toBe(sessionId);
      const seat = serverRoom.world.players.get(sessionId)!;
      await waitFor(() => seat.connected, { message: "the seat to be marked connected again" });
      expect(seat.score).toBe(3);
      expect(playerIn(alice)?.score).toBe(3);

      // Inputs resume: holding a direction moves the player again.
      const before = { x: seat.x, y: seat.y };
      const direction = before.x < 800 ? 1 : -1;
      await holdInputFor(server(), alice, { moveX: direction, moveY: 0 }, 10);
      await waitFor(() => (seat.x - before.x) * direction > 20, { message: () => `Alice to move after reconnecting (x ${before.x} → ${seat.x})` });

      expect(presence.missing).toBe(0);
      expect(presence.patches).toBeGreaterThan(0);
    });

    it("resyncs on return: what was removed while away is gone from the client's state", async () => {
      const alice = reconnectAtOnce(await server().connect("Alice"));
      const bob = await server().connect("Bob");
      await waitFor(() => playerIn(alice, bob.sessionId) !== undefined, { message: "Alice to see Bob" });
      let reconnected = false;
      alice.onReconnect(() => { reconnected = true; });

      rawSocketOf(alice).terminate();
      await bob.leave(true); // while Alice is away (her first retry waits at least 100 ms)
      expect(reconnected).toBe(false);
      await waitFor(() => reconnected, { timeoutMs: 5000, message: "Alice to reconnect" });
      await waitFor(() => playerIn(alice, bob.sessionId) === undefined, { message: "Bob to be gone from Alice's state" });
      expect(alice.state.players.size).toBe(1);
    });

    it("marks a dropped player disconnected, frozen and out of reach of shots while its seat is held", async () => {
      const alice = await server().connect("Alice");
      alice.reconnection.enabled = false; // stay away: the seat is held, nobody comes back
      const bob = await server().connect("Bob");
      const serverRoom = server().serverRoom(alice.roomId);
      const seat = serverRoom.world.players.get(alice.sessionId)!;
      rawSocketOf(alice).terminate();
      await waitFor(() => playerIn(bob, alice.sessionId)?.connected === false, { message: "Bob to see Alice disconnected" });
      expect(seat.hp).toBe(100);
      const spot = { x: seat.x, y: seat.y };

      // Put Bob right next to Alice, aiming at her, and fire for a second.
      const bobSeat = serverRoom.world.players.get(bob.sessionId)!;
      bobSeat.x = seat.x - 60 < 30 ? seat.x + 60 : seat.x - 60;
      bobSeat.y = seat.y;
      bobSeat.shielded = false;
      const aim = Math.atan2(seat.y - bobSeat.y, seat.x - bobSeat.x);
      const shotsBefore = serverRoom.world.nextProjectileId;
      await holdInputFor(server(), bob, { moveX: 0, moveY: 0, aim, fire: true }, 30);
      await waitFor(() => serverRoom.world.nextProjectileId - shotsBefore >= 3, { message: "Bob's shots to be fired" });
      await waitFor(() => serverRoom.world.projectiles.size === 0, { message: "the shots to fly past" });
      expect(seat.hp).toBe(100);
      expect(seat.alive).toBe(true);
      expect({ x: seat.x, y: seat.y }).toEqual(spot);
    });
  });

  describe("heartbeat", () => {
    const PING_MS = 300;
    const server = useTestServer({ reconnectSeconds: 10, pingIntervalMs: PING_MS });

    it("drops a peer that keeps its socket open but stops answering pings, and holds its seat", async () => {
      const alice = reconnectAtOnce(await server().connect("Alice"));
      const serverRoom = server().serverRoom(alice.roomId);
      const seat = serverRoom.world.players.get(alice.sessionId)!;
      seat.score = 2;
      const socket = rawSocketOf(alice);

      socket._socket.pause(); // reads stop: pings pile up unanswered, the socket stays open
      // Dropped within two ping intervals, plus a second of slack for a loaded machine.
      await waitFor(() => !seat.connected, { timeoutMs: 2 * PING_MS + 1000, message: "the server to drop the silent peer" });
      expect(serverRoom.world.players.get(alice.sessionId)).toBe(seat);
      expect(seat.score).toBe(2);

      // Once it reads again it notices the dead socket and takes its seat back.
      socket._socket.resume();
      await waitFor(() => seat.connected, { timeoutMs: 5000, message: "the peer to reconnect" });
      expect(serverRoom.world.players.get(alice.sessionId)!.score).toBe(2);
    });
  });

  describe("after the reconnection window", () => {
    const server = useTestServer({ reconnectSeconds: 1 });

    it("removes the player, and a late reconnect is refused with a clear error", async () => {
      const alice = await server().connect("Alice");
      alice.reconnection.enabled = false;
      const bob = await server().connect("Bob");
      const token = alice.reconnectionToken;
      const left: number[] = [];
      alice.onLeave((code) => left.push(code));
      rawSocketOf(alice).terminate();
      await waitFor(() => playerIn(bob, alice.sessionId)?.connected === false, { message: "the seat to be held" });
      await waitFor(() => playerIn(bob, alice.sessionId) === undefined, { timeoutMs: 4000, message: "the seat to expire" });
      expect(left).toHaveLength(1);

      const late = new Client(server().url).reconnect(token);
      await expect(late).rejects.toThrow(/expired|not found|invalid/i);
      // The room itself is fine: a new player can join it.
      const carol = await (await server().client()).joinById(bob.roomId, { name: "Carol" });
      expect(carol.roomId).toBe(bob.roomId);
      await carol.leave();
    });
  });
});


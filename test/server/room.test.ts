import { describe, expect, it } from "vitest";
import { PLAYER_MAX_HP, WORLD_HEIGHT, WORLD_WIDTH } from "../../shared/constants.ts";
import { generatedName } from "../../shared/names.ts";
import { hashString } from "../../shared/rng.ts";
import {
  inputOf, playerIn, sendInput, useTestServer, waitFor, type ArenaClientRoom,
} from "../helpers/server.ts";
import { backends } from "../helpers/redis.ts";

/** Waits until `room`'s decoded state lists exactly the players of `everyone`. */
async function waitUntilSeesExactly(room: ArenaClientRoom, everyone: readonly ArenaClientRoom[]): Promise<void> {
  const ids = () => {
    const seen: string[] = [];
    room.state.players?.forEach((_player, id) => seen.push(id));
    return seen.sort();
  };
  const wanted = everyone.map((other) => other.sessionId).sort();
  await waitFor(() => ids().join() === wanted.join(), {
    message: () => `${room.sessionId} to see players [${wanted}] (sees [${ids()}])`,
  });
}

describe.each(backends(12))("arena room ($name)", ({ redisUrl }) => {
  describe("joining", () => {
    const server = useTestServer({ redisUrl });

    it("adds the player under its sessionId with the public-contract fields", async () => {
      const room = await server().connect("Ann");
      await waitUntilSeesExactly(room, [room]);

      const me = playerIn(room)!;
      expect(me.name).toBe("Ann");
      expect(me.hp).toBe(PLAYER_MAX_HP);
      expect(me.hp).toBe(100);
      expect(me.score).toBe(0);
      expect(me.alive).toBe(true);
      expect(me.x).toBeGreaterThan(0);
      expect(me.x).toBeLessThan(WORLD_WIDTH);
      expect(me.y).toBeGreaterThan(0);
      expect(me.y).toBeLessThan(WORLD_HEIGHT);
      // The client sees what the server holds.
      const onServer = server().serverRoom(room.roomId).state.players.get(room.sessionId)!;
      expect({ x: me.x, y: me.y }).toStrictEqual({ x: onServer.x, y: onServer.y });
    });

    it("exposes the match phase, the time left and the projectiles collection", async () => {
      const room = await server().connect("Ann");
      await waitUntilSeesExactly(room, [room]);

      expect(room.state.phase).toBe("playing");
      expect(room.state.timeLeft).toBeGreaterThan(0);
      expect(room.state.timeLeft).toBeLessThanOrEqual(server().config.matchSeconds);
      expect(room.state.projectiles).toBeDefined();
      expect(room.state.projectiles.size).toBe(0);
      expect(typeof room.state.projectiles.forEach).toBe("function");
    });

    it("trims the requested name", async () => {
      const room = await server().connect("  Ann Lee \t");
      await waitUntilSeesExactly(room, [room]);
      expect(playerIn(room)!.name).toBe("Ann Lee");
    });

    it.each([
      ["empty", ""],
      ["only spaces", "   "],
      ["40 characters", "x".repeat(40)],
      ["a control character", "bad\u0007name"],
      ["a line break", "two\nlines"],
      ["absent", undefined],
    ])("gives a generated name when the requested one is %s", async (_case, requested) => {
      const room = await server().connect(requested);
      await waitUntilSeesExactly(room, [room]);
      const name = playerIn(room)!.name;
      expect(name).toBe(generatedName(hashString(room.sessionId)));
      expect(name.length).toBeGreaterThanOrEqual(1);
      expect(name.length).toBeLessThanOrEqual(16);
    });
  });

  describe("two players", () => {
    const server = useTestServer({ redisUrl });

    it("each sees both players, with the other's name", async () => {
      const ann = await server().connect("Ann");
      const bob = await server().connect("Bob");
      expect(bob.roomId).toBe(ann.roomId);
      await waitUntilSeesExactly(ann, [ann, bob]);
      await waitUntilSeesExactly(bob, [ann, bob]);

      expect(playerIn(ann, bob.sessionId)!.name).toBe("Bob");
      expect(playerIn(bob, ann.sessionId)!.name).toBe("Ann");
      expect(playerIn(ann)!.name).toBe("Ann");
      expect(playerIn(bob)!.name).toBe("Bob");
    });

    it("a movement by one is seen by the other", async () => {
      const ann = await server().connect("Ann");
      const bob = await server().connect("Bob");
      await waitUntilSeesExactly(ann, [ann, bob]);
      const start = { ...playerIn(ann, bob.sessionId)! };
      const moves = 5;
      for (let i = 0; i < moves; i++) sendInput(bob, { moveX: start.x < WORLD_WIDTH / 2 ? 1 : -1, moveY: 0 });
      await waitFor(() => inputOf(bob).lastProcessed >= moves, { message: `Bob's ${moves} inputs acknowledged` });

      const onServer = server().serverRoom(ann.roomId).state.players.get(bob.sessionId)!;
      expect(onServer.x).not.toBe(start.x);
      await waitFor(() => playerIn(ann, bob.sessionId)?.x === onServer.x, {
        message: () => `Ann to see Bob at x=${onServer.x} (sees ${playerIn(ann, bob.sessionId)?.x})`,
      });
      expect(playerIn(ann, bob.sessionId)!.y).toBe(onServer.y);
    });
  });

  describe("leaving", () => {
    const server = useTestServer({ redisUrl });

    it("removes the player from every other client's state", async () => {
      const ann = await server().connect("Ann");
      const bob = await server().connect("Bob");
      const cat = await server().connect("Cat");
      for (const room of [ann, bob, cat]) await waitUntilSeesExactly(room, [ann, bob, cat]);

      const bobId = bob.sessionId;
      await bob.leave();
      await waitUntilSeesExactly(ann, [ann, cat]);
      await waitUntilSeesExactly(cat, [ann, cat]);
      expect(server().serverRoom(ann.roomId).state.players.has(bobId)).toBe(false);
    });
  });

  describe("seats", () => {
    const server = useTestServer({ redisUrl, maxPlayers: 2 });

    it("refuses a third player when maxPlayers is 2, while the two keep playing", async () => {
      const ann = await server().connect("Ann");
      const bob = await server().joinById(ann.roomId, "Bob");
      await waitUntilSeesExactly(ann, [ann, bob]);

      // Colyseus locks a room when its last seat is taken, and says so.
      await expect(server().joinById(ann.roomId, "Cat")).rejects.toThrow(/locked|full/i);
      // A joinOrCreate finds no seat either and gets a room of its own.
      const cat = await server().connect("Cat");
      expect(cat.roomId).not.toBe(ann.roomId);

      const bobStart = { ...playerIn(ann, bob.sessionId)! };
      sendInput(bob, { moveX: bobStart.x < WORLD_WIDTH / 2 ? 1 : -1, moveY: 0 });
      await waitFor(() => playerIn(ann, bob.sessionId)!.x !== bobStart.x, {
        message: "Ann to see Bob move after the refusal",
      });
      expect(server().serverRoom(ann.roomId).state.players.size).toBe(2);
      expect(ann.connection.isOpen && bob.connection.isOpen).toBe(true);
    });
  });
});

import { describe, expect, it } from "vitest";
import { playerIn, useTestServer, waitFor, type ArenaClientRoom } from "../helpers/server.ts";

/** The bots in `room`'s state, by id. */
function botsIn(room: ArenaClientRoom) {
  const bots = new Map<string, { x: number; y: number; score: number }>();
  room.state.players?.forEach((player, id) => { if (player.bot) bots.set(id, player); });
  return bots;
}

describe("bots", () => {
  const server = useTestServer({ minPlayers: 4 });

  it("fill a room with one person up to MIN_PLAYERS, move, fight and score", { timeout: 60_000 }, async () => {
    const ann = await server().connect("Ann");
    await waitFor(() => botsIn(ann).size === 3, { message: () => `3 bots (have ${botsIn(ann).size})` });
    const start = new Map([...botsIn(ann)].map(([id, bot]) => [id, { x: bot.x, y: bot.y }]));
    await waitFor(() => [...botsIn(ann)].every(([id, bot]) => Math.hypot(bot.x - start.get(id)!.x, bot.y - start.get(id)!.y) > 50), {
      timeoutMs: 10_000, message: "every bot to move",
    });
    const serverRoom = server().serverRoom(ann.roomId);
    await waitFor(() => [...serverRoom.state.projectiles.values()].some((shot) => shot.owner.startsWith("bot-")), {
      timeoutMs: 20_000, message: "a bot to fire",
    });
    await waitFor(() => [...botsIn(ann).values()].some((bot) => bot.score > 0), { timeoutMs: 45_000, message: "a bot to score" });
  });

  it("leave as people join, and come back when people leave", async () => {
    const ann = await server().connect("Ann");
    await waitFor(() => botsIn(ann).size === 3, { message: "3 bots" });
    const bob = await server().connect("Bob");
    expect(bob.roomId).toBe(ann.roomId);
    await waitFor(() => botsIn(ann).size === 2, { message: "a bot to make room for Bob" });
    const carol = await server().connect("Carol");
    await waitFor(() => botsIn(ann).size === 1 && playerIn(ann, carol.sessionId) !== undefined, { message: "a bot to make room for Carol" });
    await carol.leave(true);
    await waitFor(() => botsIn(ann).size === 2, { message: "a bot to come back" });
    expect(ann.state.players.size).toBe(4);
  });

  it("do not keep a room alive: it closes when the last person leaves", async () => {
    const ann = await server().connect("Ann");
    const roomId = ann.roomId;
    await waitFor(() => server().serverRoom(roomId).state.players.size === 4, { message: "4 players" });
    await ann.leave(true);
    const hosted = () => {
      try {
        server().serverRoom(roomId);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => !hosted(), { message: "the room to close" });
  });
});

describe("bots in a full room", () => {
  const server = useTestServer({ minPlayers: 16 });

  it("each have a name of their own, even past the list of bot names", async () => {
    const ann = await server().connect("Ann");
    await waitFor(() => botsIn(ann).size === 15, { message: () => `15 bots (have ${botsIn(ann).size})` });
    const names: string[] = [];
    ann.state.players.forEach((player) => names.push(player.name));
    expect(new Set(names).size).toBe(16);
    expect(names).toContain("Bot Ada 2");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { largeMap } from "../../shared/largeMap.ts";
import { LARGE_ROOM_NAME, MAX_VIEW } from "../../shared/largeMode.ts";
import type { JoinOptions } from "../../shared/protocol.ts";
import type { LargeRoom } from "../../server/rooms/LargeRoom.ts";
import { sendInput, startTestServer, waitFor, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";

/** A large room's client: the arena's view of the state, and the large mode's own fields. */
type LargeClientRoom = ArenaClientRoom & {
  state: ArenaClientRoom["state"] & { mapSeed: number; roster: Map<string, { name: string; score: number }>; heat: number[] };
};

describe("the large mode's room (server/rooms/LargeRoom.ts)", () => {
  let server: TestServer;
  const joined: ArenaClientRoom[] = [];
  beforeEach(async () => {
    server = await startTestServer({ largeMinPlayers: 0 });
  });
  afterEach(async () => {
    // A client the server closed never answers a leave: half a second each is enough for those that can.
    await Promise.allSettled(joined.splice(0).map((room) => Promise.race([room.leave(true), new Promise((resolve) => setTimeout(resolve, 500))])));
    await server.close();
  });

  async function join(name: string, options: JoinOptions = {}, roomId?: string): Promise<LargeClientRoom> {
    const client = await server.client(name);
    const room = roomId ? await client.joinById(roomId, { name, ...options }) : await client.joinOrCreate(LARGE_ROOM_NAME, { name, ...options });
    room.onMessage("*", () => {});
    joined.push(room as ArenaClientRoom);
    return room as unknown as LargeClientRoom;
  }

  const serverRoom = (room: ArenaClientRoom) => server.serverRoom(room.roomId) as unknown as LargeRoom;

  /** Puts a player at (x, y), standing, unprotected (the world's plain player: the next tick publishes it). */
  function place(room: ArenaClientRoom, sessionId: string, x: number, y: number): void {
    const player = serverRoom(room).world.players.get(sessionId)!;
    Object.assign(player, { x, y, vx: 0, vy: 0, shielded: false, shieldUntilTick: 0 });
  }

  it("plays on the map of its seed, which every client gets, and lists itself as large", async () => {
    const ann = await join("Ann");
    const room = serverRoom(ann);
    await waitFor(() => ann.state.mapSeed !== undefined && ann.state.mapSeed !== 0, { message: "the map seed" });
    expect(ann.state.mapSeed).toBe(room.world.seed);
    expect(room.map).toEqual(largeMap(ann.state.mapSeed));
    expect(room.metadata).toMatchObject({ mode: "large", players: 1, maxPlayers: server.config.largeMaxPlayers });
    await waitFor(() => ann.state.roster?.get(ann.sessionId)?.name === "Ann", { message: "Ann in the roster" });
    expect(ann.state.heat.length).toBe(48);
  });

  it("sends each client the players within its view and the margin: one walking in appears, one walking out vanishes; the roster keeps everyone", async () => {
    const ann = await join("Ann");
    const bob = await join("Bob", {}, ann.roomId);
    place(ann, ann.sessionId, 250, 250);
    place(ann, bob.sessionId, 3750, 2750);
    await waitFor(() => ann.state.roster?.get(bob.sessionId)?.name === "Bob", { message: "Bob in Ann's roster" });
    // Bob joined at a spawn point, maybe in Ann's view: he leaves her state once the view drops him,
    // which her client sees when that patch has reached it (not after a count of server ticks).
    await waitFor(() => ann.state.players.get(bob.sessionId) === undefined, {
      message: () => `Bob gone from Ann's state while far away (at ${ann.state.players.get(bob.sessionId)?.x})`,
    });
    expect(ann.state.players.get(ann.sessionId)).toBeDefined();
    place(ann, bob.sessionId, 750, 250);
    await waitFor(() => ann.state.players.get(bob.sessionId)?.x === 750, { message: () => `Bob in Ann's state at 750 (${ann.state.players.get(bob.sessionId)?.x})` });
    // Bob sees Ann too, but not her private fields.
    await waitFor(() => bob.state.players.get(ann.sessionId) !== undefined, { message: "Ann in Bob's state" });
    expect((bob.state.players.get(ann.sessionId) as unknown as { body?: unknown }).body).toBeUndefined();
    expect((ann.state.players.get(ann.sessionId) as unknown as { body?: { x: number } }).body?.x).toBe(250);
    place(ann, bob.sessionId, 2750, 1750);
    await waitFor(() => ann.state.players.get(bob.sessionId) === undefined, { message: "Bob gone from Ann's state" });
    expect(ann.state.roster.get(bob.sessionId)?.name).toBe("Bob");
  });

  it("sends a player in the view's margin its position every other patch, and one on the screen every patch", async () => {
    const ann = await join("Ann");
    const bob = await join("Bob", {}, ann.roomId);
    const cara = await join("Cara", {}, ann.roomId);
    const room = serverRoom(ann);
    place(ann, ann.sessionId, 1000, 1000);
    // 750 u below Ann: beyond the screen's 600 u and FULL_RATE_MARGIN, within the margin's 760 u.
    place(ann, bob.sessionId, 1000, 1750);
    place(ann, cara.sessionId, 1250, 1000);
    await waitFor(() => ann.state.players.get(bob.sessionId)?.y === 1750 && ann.state.players.get(cara.sessionId)?.x === 1250,
      { message: "Bob and Cara in Ann's state" });
    await waitFor(() => room.halfRateOf(ann.sessionId).join() === bob.sessionId, { message: () => `Bob alone at half rate (${room.halfRateOf(ann.sessionId)})` });
    // At half rate Bob still moves on Ann's screen, and once on it he is sent every patch again.
    place(ann, bob.sessionId, 1000, 1740);
    await waitFor(() => ann.state.players.get(bob.sessionId)?.y === 1740, { message: "Bob's move in Ann's state" });
    place(ann, bob.sessionId, 1000, 1500);
    await waitFor(() => room.halfRateOf(ann.sessionId).length === 0 && ann.state.players.get(bob.sessionId)?.y === 1500,
      { message: "Bob on Ann's screen at full rate" });
  });

  it("plays a whole match with a hundred players, bots filling it, each client sent a part of them", async () => {
    await server.close();
    server = await startTestServer({ largeMinPlayers: 100, matchSeconds: 10, scoreboardSeconds: 2 });
    const ann = await join("Ann");
    const room = serverRoom(ann);
    await waitFor(() => room.world.players.size === 100, { message: () => `100 players (${room.world.players.size})` });
    let kills = 0;
    ann.onMessage("kill", () => kills++);
    const lines: string[] = [];
    ann.onMessage("chat", (line: { text: string }) => lines.push(line.text));
    await waitFor(() => room.world.phase === "scoreboard", { timeoutMs: 30_000, message: () => `the match to end (${room.world.timeLeft} s left)` });
    expect(kills).toBeGreaterThan(10);
    // The kill feed tells each kill; no chat line repeats it to a hundred clients.
    expect(lines.filter((text) => text.includes("eliminated"))).toEqual([]);
    await waitFor(() => ann.state.roster.size === 100, { message: "everyone in Ann's roster" });
    expect(ann.state.players.size).toBeLessThan(100);
    expect(room.metadata).toMatchObject({ players: 100, maxPlayers: 100 });
  }, 60_000);

  it("with LARGE_INTEREST=off sends everyone everything, however far", async () => {
    await server.close();
    server = await startTestServer({ largeMinPlayers: 0, largeInterest: false });
    const ann = await join("Ann");
    const bob = await join("Bob", {}, ann.roomId);
    place(ann, ann.sessionId, 250, 250);
    place(ann, bob.sessionId, 3750, 2750);
    await waitFor(() => ann.state.players.get(bob.sessionId)?.x === 3750, { message: "far Bob in Ann's state" });
    // Still only the own player's private fields.
    expect((ann.state.players.get(bob.sessionId) as unknown as { body?: unknown }).body).toBeUndefined();
  });

  it("shows a projectile fired from beyond the view before it hits the player", async () => {
    const ann = await join("Ann", { view: { width: 640, height: 480 } });
    const bob = await join("Bob", {}, ann.roomId);
    const room = serverRoom(ann);
    expect(room.viewOf(ann.sessionId).size).toEqual({ width: 640, height: 480 });
    place(ann, ann.sessionId, 250, 250);
    place(ann, bob.sessionId, 1000, 250);
    await waitFor(() => ann.state.players.get(ann.sessionId)?.x === 250, { message: "Ann in place" });
    await waitFor(() => ann.state.players.get(bob.sessionId) === undefined, { message: "Bob out of Ann's small view" });
    // Bob fires at Ann along the clear lane between the blocks, one input a tick, from where Ann cannot see him.
    const seen = new Set<string>();
    const firing = setInterval(() => {
      place(ann, bob.sessionId, 1000, 250);
      sendInput(bob, { moveX: 0, moveY: 0, aim: Math.PI, fire: true });
    }, 1000 / server.config.tickHz);
    const hp = () => room.world.players.get(ann.sessionId)?.hp ?? 100;
    try {
      await waitFor(() => {
        ann.state.projectiles.forEach((shot, id) => { if (shot.owner === bob.sessionId) seen.add(id); });
        return hp() < 100;
      }, { timeoutMs: 10_000, message: () => `Ann hit (hp ${hp()}, Bob's shots seen ${seen.size})` });
    } finally {
      clearInterval(firing);
    }
    expect(seen.size).toBeGreaterThan(0);
    expect(ann.state.players.get(bob.sessionId)).toBeUndefined();
  });

  it("gives a smaller view less, and a spectator the view of the player it follows", async () => {
    const ann = await join("Ann", { view: { width: 100, height: 50_000 } });
    const bob = await join("Bob", {}, ann.roomId);
    const watcher = await join("Watcher", { spectate: true }, ann.roomId);
    const room = serverRoom(ann);
    expect(room.viewOf(ann.sessionId).size).toEqual({ width: 640, height: 1200 });
    expect(room.viewOf(bob.sessionId).size).toEqual(MAX_VIEW);
    place(ann, ann.sessionId, 250, 250);
    place(ann, bob.sessionId, 1000, 250);
    // 750 u apart: within Bob's 800 + 160, beyond Ann's 320 + 160.
    await waitFor(() => bob.state.players.get(ann.sessionId) !== undefined, { message: "Ann in Bob's wide view" });
    await waitFor(() => ann.state.players.get(bob.sessionId) === undefined, { message: "Bob out of Ann's narrow view" });
    watcher.send("follow", { sessionId: bob.sessionId });
    await waitFor(() => room.viewOf(watcher.sessionId).follow === bob.sessionId, { message: "the watcher following Bob" });
    place(ann, ann.sessionId, 3750, 2750);
    // `?.`: the watcher's state may not hold a players map yet (none of it sent so far).
    await waitFor(() => watcher.state.players?.get(bob.sessionId) !== undefined && watcher.state.players?.get(ann.sessionId) === undefined,
      { message: "the watcher seeing Bob and not Ann" });
    watcher.send("follow", { sessionId: ann.sessionId });
    await waitFor(() => watcher.state.players?.get(ann.sessionId) !== undefined && watcher.state.players?.get(bob.sessionId) === undefined,
      { message: "the watcher seeing Ann and not Bob" });
  });
});

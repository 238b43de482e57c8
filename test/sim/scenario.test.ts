import { describe, expect, it } from "vitest";
import { ARENA_MAP, type ArenaMap } from "../../shared/map.ts";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { rerunReplay } from "../../shared/replayRun.ts";
import { scenario } from "../../sim/scenario.ts";

const FIRE_RIGHT = { aim: 0, fire: true };

describe("scenarios", () => {
  describe("players", () => {
    it("a placed player stands where it was put, alive and unprotected; a joiner spawns on a spawn point, protected", () => {
      const s = scenario().join("placed", { at: [100, 60] }).join("joiner");
      expect(s.player("placed")).toMatchObject({ x: 100, y: 60, alive: true, shielded: false, hp: 100 });
      expect(ARENA_MAP.spawnPoints).toContainEqual({ x: s.player("joiner").x, y: s.player("joiner").y });
      expect(s.player("joiner").shielded).toBe(true);
    });

    it("sets the fields given in state", () => {
      expect(scenario().join("a", { at: [100, 60], state: { hp: 25 } }).player("a").hp).toBe(25);
    });

    it("refuses a second player with the same id, and names a missing one", () => {
      expect(() => scenario().join("a").join("a")).toThrow(/already joined/);
      expect(() => scenario().player("nobody")).toThrow(/no player nobody/);
    });
  });

  describe("inputs", () => {
    it("holds one input every tick", () => {
      const s = scenario().join("a", { at: [100, 60], inputs: { moveX: 1 } }).run(10);
      expect(s.player("a").x).toBeGreaterThan(130);
    });

    it("follows a timeline, each entry from its tick on, null sending nothing", () => {
      const s = scenario().join("a", { at: [100, 60], inputs: { 0: FIRE_RIGHT, 1: null } }).run(30);
      expect(s.world.nextProjectileId).toBe(2);
    });

    it("asks a script each tick, with the player and the world", () => {
      const s = scenario().join("a", { at: [100, 60], inputs: (tick) => ({ moveY: tick < 5 ? 1 : 0 }) }).run(40);
      expect(s.player("a").vy).toBe(0);
      expect(s.player("a").y).toBeGreaterThan(70);
    });

    it("takes inputs as a room does: float32 on the wire, then into their domain", () => {
      const s = scenario().join("a", { at: [100, 60], inputs: { moveX: Infinity, aim: NaN } }).run(1);
      const held = scenario().join("a", { at: [100, 60], inputs: { moveX: 0, aim: 0 } }).run(1);
      expect(s.player("a")).toEqual(held.player("a"));
    });

    it("send changes what a player sends: sending nothing freezes it where it is", () => {
      const s = scenario().join("a", { at: [100, 60], inputs: { moveX: 1 } }).run(10).send("a", {}).run(60);
      expect(s.player("a").vx).toBe(0);
      const { x } = s.send("a", { moveX: 1 }).run(5).send("a", null).run(5).player("a");
      expect(s.run(10).player("a").x).toBe(x);
    });
  });

  describe("running", () => {
    it("runUntil stops in the tick of the event, and throws when it never comes", () => {
      const s = scenario().join("a", { at: [100, 60], inputs: FIRE_RIGHT }).join("b", { at: [400, 60] }).runUntil("hit");
      expect(s.eventsOf("hit")).toEqual([{ type: "hit", shooter: "a", victim: "b", projectile: "1" }]);
      expect(s.tick).toBeLessThan(15);
      expect(() => scenario().join("a").runUntil("kill", 30)).toThrow(/no kill event within 30 ticks/);
    });

    it("runUntil takes a condition too", () => {
      const s = scenario().join("a", { at: [100, 60], inputs: { moveX: 1 } }).runUntil((one) => one.player("a").x > 300);
      expect(s.player("a").x).toBeGreaterThan(300);
    });

    it("seconds runs whole ticks of play", () => {
      expect(scenario({ rules: { tickHz: 20 } }).seconds(1.5).tick).toBe(30);
    });
  });

  describe("the room's comings and goings", () => {
    it("a dropped player is frozen and cannot be hit; back again it can", () => {
      const s = scenario().join("a", { at: [100, 60], inputs: FIRE_RIGHT }).join("b", { at: [400, 60], inputs: { moveY: 1 } }).drop("b").run(30);
      expect(s.player("b")).toMatchObject({ x: 400, y: 60, hp: 100 });
      s.reconnect("b").send("b", null).run(30);
      expect(s.player("b").hp).toBeLessThan(100);
    });

    it("a player who leaves is gone, and its shots fly on", () => {
      const s = scenario().join("a", { at: [100, 60], inputs: FIRE_RIGHT }).run(1).leave("a");
      expect(s.world.players.has("a")).toBe(false);
      expect(s.world.projectiles.size).toBe(1);
    });
  });

  describe("bots", () => {
    it("bots fight through the shared brain, the same way every time", () => {
      const play = () => scenario({ seed: 3 }).join("a", { bot: "hard" }).join("b", { bot: "easy" }).join("c", { bot: "normal" }).seconds(30);
      const first = play();
      expect(first.eventsOf("hit").length).toBeGreaterThan(5);
      expect(play().hash()).toBe(first.hash());
    });
  });

  describe("rules and maps", () => {
    it("plays under changed tuning values", () => {
      const s = scenario({ rules: { tuning: { projectileDamage: 60 } } })
        .join("a", { at: [100, 60], inputs: FIRE_RIGHT }).join("b", { at: [400, 60] }).runUntil("hit");
      expect(s.player("b").hp).toBe(40);
    });

    it("plays on a custom map: its size bounds the players, its walls stop them", () => {
      const map: ArenaMap = { width: 400, height: 300, walls: [{ x: 200, y: 0, w: 20, h: 300 }], spawnPoints: [{ x: 50, y: 50 }] };
      const s = scenario({ rules: { map } }).join("a", { inputs: { moveX: 1, moveY: 1 } }).seconds(3);
      expect(s.player("a")).toMatchObject({ x: 200 - 18, y: 300 - 18 });
    });
  });

  describe("invariants", () => {
    it("hold in a fight of bots", () => {
      const s = scenario({ invariants: true, rules: { matchSeconds: 20, scoreboardSeconds: 2 } });
      for (const id of ["a", "b", "c", "d"]) s.join(id, { bot: "hard" });
      s.join("person", { inputs: (tick) => ({ moveX: Math.sin(tick / 9), moveY: Math.cos(tick / 7), aim: tick, fire: tick % 3 === 0 }) });
      expect(s.seconds(45).violations).toEqual([]);
      expect(s.eventsOf("kill").length).toBeGreaterThan(3);
    });

    it("catch a player walking into a wall when the wall check is off", () => {
      const s = scenario({ invariants: true, rules: { faults: { wallCheckOff: true } } }).join("a", { at: [800, 400], inputs: { moveY: 1 } }).run(20);
      expect(s.violations[0].what).toMatch(/^a at \(800, .+\) overlaps the wall/);
    });
  });

  describe("recording", () => {
    it("records a replay that re-runs to the same hash at every tick", () => {
      const s = scenario({ record: true }).join("a", { bot: "normal" }).join("b", { inputs: { moveX: -0.3, aim: 2, fire: true } }).run(20);
      s.drop("b").run(5).reconnect("b").join("c").run(10).leave("a").run(5);
      const replay = decodeReplay(s.replay());
      expect(replay.header.checkpoints.snapshots).toHaveLength(40);
      expect(rerunReplay(replay)).toMatchObject({ ticks: 40, finalHash: s.hash(), matches: true, firstMismatchTick: undefined });
    });

    it("carries changed rules and planted faults into the replay", () => {
      const rules = { tuning: { projectileDamage: 30 }, faults: { wallCheckOff: true } };
      const header = decodeReplay(scenario({ record: true, rules }).run(1).replay()).header;
      expect(header.rules).toMatchObject(rules);
    });
  });
});

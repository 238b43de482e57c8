import { describe, expect, it } from "vitest";
import { PLAYER_MAX_HP, PROJECTILE_SPEED } from "../../shared/constants.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { createWorld } from "../../shared/world.ts";
import type { WorldEvent, WorldState } from "../../shared/worldState.ts";
import { makeRules } from "../../shared/rules.ts";
import {
  addPlayer, fightingBots, input, killsByPlayer, placePlayer, runTicks, stepOnce,
} from "../helpers/sim.ts";

const rules = makeRules({ matchSeconds: 10, scoreboardSeconds: 2 });
const LANE_Y = 60;

/** A fresh world with two players standing in open ground. */
function twoPlayers(): WorldState {
  const world = createWorld(5, rules);
  placePlayer(world, "a", rules, 200, LANE_Y);
  placePlayer(world, "b", rules, 600, LANE_Y);
  return world;
}

/** Steps until the scoreboard shows; returns the events of the last step. */
function playToScoreboard(world: WorldState): WorldEvent[] {
  let events: WorldEvent[] = [];
  while (world.phase === "playing") events = stepOnce(world, rules);
  return events;
}

describe("match", () => {
  it("resolves its lengths to ticks", () => {
    expect(rules.matchTicks).toBe(10 * rules.tickHz);
    expect(rules.scoreboardTicks).toBe(2 * rules.tickHz);
  });

  describe("clock", () => {
    it("a new world starts match 1, playing, with the full match on the clock", () => {
      const world = createWorld(5, rules);
      expect(world).toMatchObject({ tick: 0, matchNumber: 1, phase: "playing", phaseEndTick: rules.matchTicks, timeLeft: 10 });
    });

    it("after matchTicks the scoreboard shows, announced by one matchEnd event", () => {
      const world = twoPlayers();
      const events = runTicks(world, rules, rules.matchTicks - 1, () => undefined);
      expect(world.phase).toBe("playing");
      expect(events.filter((event) => event.type === "matchEnd")).toEqual([]);
      expect(stepOnce(world, rules)).toContainEqual({ type: "matchEnd", matchNumber: 1 });
      expect(world.phase).toBe("scoreboard");
      expect(world.timeLeft).toBe(2);
    });

    it("timeLeft counts down in whole seconds, each second lasting tickHz ticks", () => {
      const world = twoPlayers();
      const shown: number[] = [world.timeLeft];
      for (let i = 0; i < rules.matchTicks - 1; i++) {
        stepOnce(world, rules);
        shown.push(world.timeLeft);
      }
      expect(shown.every(Number.isInteger)).toBe(true);
      const expected = Array.from({ length: 10 }, (_, second) => Array<number>(rules.tickHz).fill(10 - second)).flat();
      expect(shown).toEqual(expected);
    });

    it("the scoreboard lasts scoreboardTicks, then match 2 starts with a matchStart event", () => {
      const world = twoPlayers();
      playToScoreboard(world);
      const during = runTicks(world, rules, rules.scoreboardTicks - 1, () => undefined);
      expect(world.phase).toBe("scoreboard");
      expect(during.filter((event) => event.type === "matchStart")).toEqual([]);
      expect(stepOnce(world, rules)).toContainEqual({ type: "matchStart", matchNumber: 2 });
      expect(world).toMatchObject({ phase: "playing", matchNumber: 2, timeLeft: 10 });
      expect(world.phaseEndTick).toBe(world.tick + rules.matchTicks);
    });

    it("phases keep cycling: three matches end and three more start in the expected ticks", () => {
      const world = twoPlayers();
      const events = runTicks(world, rules, 3 * (rules.matchTicks + rules.scoreboardTicks), () => undefined);
      const phases = events.filter((event) => event.type === "matchEnd" || event.type === "matchStart");
      expect(phases).toEqual([
        { type: "matchEnd", matchNumber: 1 }, { type: "matchStart", matchNumber: 2 },
        { type: "matchEnd", matchNumber: 2 }, { type: "matchStart", matchNumber: 3 },
        { type: "matchEnd", matchNumber: 3 }, { type: "matchStart", matchNumber: 4 },
      ]);
    });
  });

  describe("scoreboard", () => {
    it("nobody can fire", () => {
      const world = twoPlayers();
      playToScoreboard(world);
      const before = world.nextProjectileId;
      runTicks(world, rules, rules.scoreboardTicks - 1, (id) => input({ aim: id === "a" ? 0 : Math.PI, fire: true }));
      expect(world.nextProjectileId).toBe(before);
      expect(world.projectiles.size).toBe(0);
    });

    it("a shot that reaches a player during the scoreboard is spent without damage", () => {
      const world = twoPlayers();
      playToScoreboard(world);
      const b = world.players.get("b")!;
      // In flight from a, two ticks short of b.
      world.projectiles.set("99", {
        x: b.x - 60, y: b.y, vx: PROJECTILE_SPEED, vy: 0, owner: "a", expireTick: world.tick + 100, lagMs: 0,
      });
      const events = runTicks(world, rules, 5, () => undefined);
      expect(world.projectiles.size).toBe(0);
      expect(b.hp).toBe(PLAYER_MAX_HP);
      expect(events.filter((event) => event.type === "kill")).toEqual([]);
    });

    it("the same shot during the match does damage", () => {
      const world = twoPlayers();
      const b = world.players.get("b")!;
      world.projectiles.set("99", {
        x: b.x - 60, y: b.y, vx: PROJECTILE_SPEED, vy: 0, owner: "a", expireTick: world.tick + 100, lagMs: 0,
      });
      runTicks(world, rules, 5, () => undefined);
      expect(b.hp).toBeLessThan(PLAYER_MAX_HP);
    });

    it("players can still move", () => {
      const world = twoPlayers();
      playToScoreboard(world);
      const a = world.players.get("a")!;
      const startX = a.x;
      runTicks(world, rules, 10, () => input({ moveX: 1 }));
      expect(a.x).toBeGreaterThan(startX + 20);
    });
  });

  describe("new match", () => {
    it("resets scores and deaths, brings everyone back alive with full hp and clears projectiles", () => {
      const world = twoPlayers();
      const a = world.players.get("a")!;
      const b = world.players.get("b")!;
      Object.assign(a, { score: 3, deaths: 2 });
      Object.assign(b, { score: 1, deaths: 4, hp: 50 });
      playToScoreboard(world);
      // Dead when the scoreboard ends, with a respawn far away, and a shot hanging in the air.
      Object.assign(b, { alive: false, hp: 0, respawnTick: world.tick + 10_000 });
      world.projectiles.set("99", { x: 800, y: 400, vx: 0, vy: 0, owner: "a", expireTick: world.tick + 10_000, lagMs: 0 });
      runTicks(world, rules, rules.scoreboardTicks - 1, () => undefined);
      expect(world.projectiles.has("99")).toBe(true);
      expect(stepOnce(world, rules)).toContainEqual({ type: "matchStart", matchNumber: 2 });
      for (const player of [a, b]) {
        expect(player).toMatchObject({ score: 0, deaths: 0, alive: true, hp: PLAYER_MAX_HP, shielded: true, vx: 0, vy: 0 });
        expect(ARENA_MAP.spawnPoints).toContainEqual({ x: player.x, y: player.y });
      }
      expect(world.projectiles.size).toBe(0);
    });
  });

  describe("scoring", () => {
    it("over a long fight, each player's score is its kills and its deaths the times it was killed", () => {
      const longRules = makeRules({ matchSeconds: 90, scoreboardSeconds: 2 });
      const world = createWorld(21, longRules);
      for (let i = 0; i < 6; i++) addPlayer(world, `p${i}`, longRules);
      const events = runTicks(world, longRules, longRules.matchTicks - 1, fightingBots(world, 8));
      expect(world.phase).toBe("playing");
      const kills = killsByPlayer(events);
      const deaths = new Map<string, number>();
      for (const event of events) {
        if (event.type === "kill") deaths.set(event.victim, (deaths.get(event.victim) ?? 0) + 1);
      }
      expect([...kills.values()].reduce((sum, n) => sum + n, 0)).toBeGreaterThan(10);
      world.players.forEach((player, id) => {
        expect(player.score, `${id}'s score`).toBe(kills.get(id) ?? 0);
        expect(player.deaths, `${id}'s deaths`).toBe(deaths.get(id) ?? 0);
      });
      // The final tick: the scores stand on the scoreboard.
      const last = runTicks(world, longRules, 1, fightingBots(world, 8));
      expect(last).toContainEqual({ type: "matchEnd", matchNumber: 1 });
      const finalKills = killsByPlayer([...events, ...last]);
      world.players.forEach((player, id) => expect(player.score).toBe(finalKills.get(id) ?? 0));
    });
  });
});

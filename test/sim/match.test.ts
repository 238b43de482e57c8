import { describe, expect, it } from "vitest";
import { PLAYER_MAX_HP, PROJECTILE_SPEED } from "../../shared/constants.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { makeRules } from "../../shared/rules.ts";
import { scenario, type Inputs, type Scenario } from "../../sim/scenario.ts";

const RULES = { matchSeconds: 10, scoreboardSeconds: 2 };
const rules = makeRules(RULES);
const LANE_Y = 60;

/** Two players standing in open ground in 10 s matches with 2 s scoreboards, sending `inputs` if given. */
function twoPlayers(inputs?: (id: string) => Inputs): Scenario {
  return scenario({ seed: 5, rules: RULES })
    .join("a", { at: [200, LANE_Y], inputs: inputs?.("a") })
    .join("b", { at: [600, LANE_Y], inputs: inputs?.("b") });
}

/** A shot from `a`, two ticks short of `b`, flying at it. */
function shotAtB(s: Scenario): Scenario {
  const b = s.player("b");
  s.world.projectiles.set("99", { x: b.x - 60, y: b.y, vx: PROJECTILE_SPEED, vy: 0, owner: "a", expireTick: s.tick + 100, lagMs: 0 });
  return s;
}

describe("match", () => {
  it("resolves its lengths to ticks", () => {
    expect(rules.matchTicks).toBe(10 * rules.tickHz);
    expect(rules.scoreboardTicks).toBe(2 * rules.tickHz);
  });

  describe("clock", () => {
    it("a new world starts match 1, playing, with the full match on the clock", () => {
      expect(scenario({ rules: RULES }).world).toMatchObject({ tick: 0, matchNumber: 1, phase: "playing", phaseEndTick: rules.matchTicks, timeLeft: 10 });
    });

    it("after matchTicks the scoreboard shows, announced by one matchEnd event", () => {
      const s = twoPlayers().run(rules.matchTicks - 1);
      expect(s.world.phase).toBe("playing");
      expect(s.run(1).events).toEqual([{ type: "matchEnd", matchNumber: 1 }]);
      expect(s.world).toMatchObject({ phase: "scoreboard", timeLeft: 2 });
    });

    it("timeLeft counts down in whole seconds, each second lasting tickHz ticks", () => {
      const s = twoPlayers();
      const shown = [s.world.timeLeft, ...Array.from({ length: rules.matchTicks - 1 }, () => s.run(1).world.timeLeft)];
      expect(shown).toEqual(Array.from({ length: 10 }, (_, second) => Array<number>(rules.tickHz).fill(10 - second)).flat());
    });

    it("the scoreboard lasts scoreboardTicks, then match 2 starts with a matchStart event", () => {
      const s = twoPlayers().runUntil("matchEnd").run(rules.scoreboardTicks - 1);
      expect(s.world.phase).toBe("scoreboard");
      expect(s.run(1).eventsOf("matchStart")).toEqual([{ type: "matchStart", matchNumber: 2 }]);
      expect(s.world).toMatchObject({ phase: "playing", matchNumber: 2, timeLeft: 10, phaseEndTick: s.tick + rules.matchTicks });
    });

    it("phases keep cycling: three matches end and three more start", () => {
      const s = twoPlayers().run(3 * (rules.matchTicks + rules.scoreboardTicks));
      expect(s.events.filter((event) => event.type === "matchEnd" || event.type === "matchStart").map((event) => `${event.type} ${"matchNumber" in event ? event.matchNumber : ""}`))
        .toEqual(["matchEnd 1", "matchStart 2", "matchEnd 2", "matchStart 3", "matchEnd 3", "matchStart 4"]);
    });
  });

  describe("scoreboard", () => {
    it("nobody can fire", () => {
      const s = twoPlayers((id) => ({ aim: id === "a" ? 0 : Math.PI, fire: true })).runUntil("matchEnd");
      const before = s.world.nextProjectileId;
      s.world.projectiles.clear();
      expect(s.run(rules.scoreboardTicks - 1).world.nextProjectileId).toBe(before);
    });

    it("a shot that reaches a player during the scoreboard is spent without damage; the same shot during the match does damage", () => {
      const during = shotAtB(twoPlayers().runUntil("matchEnd")).run(5);
      expect(during.world.projectiles.size).toBe(0);
      expect(during.player("b").hp).toBe(PLAYER_MAX_HP);
      expect(shotAtB(twoPlayers()).run(5).player("b").hp).toBeLessThan(PLAYER_MAX_HP);
    });

    it("players can still move", () => {
      const s = twoPlayers().runUntil("matchEnd").send("a", { moveX: 1 });
      const { x } = s.player("a");
      expect(s.run(10).player("a").x).toBeGreaterThan(x + 20);
    });
  });

  describe("new match", () => {
    it("resets scores and deaths, brings everyone back alive with full hp and clears projectiles", () => {
      const s = twoPlayers();
      Object.assign(s.player("a"), { score: 3, deaths: 2 });
      Object.assign(s.player("b"), { score: 1, deaths: 4, hp: 50 });
      s.runUntil("matchEnd");
      // Dead when the scoreboard ends, with a respawn far away, and a shot hanging in the air.
      Object.assign(s.player("b"), { alive: false, hp: 0, respawnTick: s.tick + 10_000 });
      s.world.projectiles.set("99", { x: 800, y: 400, vx: 0, vy: 0, owner: "a", expireTick: s.tick + 10_000, lagMs: 0 });
      s.runUntil("matchStart");
      for (const id of ["a", "b"]) {
        expect(s.player(id)).toMatchObject({ score: 0, deaths: 0, alive: true, hp: PLAYER_MAX_HP, shielded: true, vx: 0, vy: 0 });
        expect(ARENA_MAP.spawnPoints).toContainEqual({ x: s.player(id).x, y: s.player(id).y });
      }
      expect(s.world.projectiles.size).toBe(0);
    });
  });

  describe("scoring", () => {
    it("over a long fight, each player's score is its kills and its deaths the times it was killed, to the scoreboard", () => {
      const s = scenario({ seed: 21, rules: { matchSeconds: 90, scoreboardSeconds: 2 } });
      for (const id of ["p0", "p1", "p2", "p3", "p4", "p5"]) s.join(id, { bot: "hard" });
      s.runUntil("matchEnd", 90 * 30);
      expect(s.eventsOf("kill").length).toBeGreaterThan(10);
      s.world.players.forEach((player, id) => {
        expect(player.score, `${id}'s score`).toBe(s.eventsOf("kill").filter((kill) => kill.killer === id).length);
        expect(player.deaths, `${id}'s deaths`).toBe(s.eventsOf("kill").filter((kill) => kill.victim === id).length);
      });
    });
  });
});

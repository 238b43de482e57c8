import { describe, expect, it } from "vitest";
import {
  PLAYER_MAX_HP, PLAYER_RADIUS, PROJECTILE_DAMAGE, PROJECTILE_RADIUS, PROJECTILE_SPEED,
} from "../../shared/constants.ts";
import { segmentWallTime } from "../../shared/geometry.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { FACING, snap } from "../../shared/precision.ts";
import { makeRules } from "../../shared/rules.ts";
import { scenario, type JoinOptions, type Scenario } from "../../sim/scenario.ts";

const rules = makeRules();
/** A horizontal lane no wall crosses anywhere (the first test checks it), for staged duels. */
const LANE_Y = 60;
const FIRE_RIGHT = { aim: 0, fire: true };
/** Fires once, on the first tick, then sends nothing. */
const ONE_SHOT = { 0: FIRE_RIGHT, 1: null };
const MUZZLE = PLAYER_RADIUS + PROJECTILE_RADIUS + 1;
const hitsToKill = Math.ceil(PLAYER_MAX_HP / PROJECTILE_DAMAGE);

/** A shooter on the lane at `shooterX` sending `inputs`, and a target further along it if given. */
function duel(shooterX: number, inputs: JoinOptions["inputs"], targetX?: number, target: JoinOptions = {}): Scenario {
  const s = scenario().join("shooter", { at: [shooterX, LANE_Y], inputs });
  return targetX === undefined ? s : s.join("target", { at: [targetX, LANE_Y], ...target });
}

describe("combat", () => {
  it("stages duels in a lane that no wall crosses", () => {
    for (const wall of ARENA_MAP.walls) {
      expect(segmentWallTime(PLAYER_RADIUS, LANE_Y, ARENA_MAP.width - 2 * PLAYER_RADIUS, 0, PLAYER_RADIUS, wall)).toBe(Infinity);
    }
  });

  describe("firing", () => {
    it.each([1, 2, 7, 8, 9, 16, 17, 40])("holding fire for %i ticks fires ceil(ticks / fireCooldownTicks) shots", (ticks) => {
      const s = duel(100, FIRE_RIGHT).run(ticks);
      expect(s.world.nextProjectileId - 1).toBe(Math.ceil(ticks / rules.fireCooldownTicks));
    });

    it("is ready again fireCooldownTicks inputs after a shot, trigger held or not", () => {
      const s = duel(100, { 0: FIRE_RIGHT, 1: {}, [rules.fireCooldownTicks]: FIRE_RIGHT }).run(rules.fireCooldownTicks + 1);
      expect(s.world.nextProjectileId - 1).toBe(2);
    });

    it("launches from the muzzle at PROJECTILE_SPEED along the aim, owned by the shooter, and moves it in the same tick", () => {
      const [shot] = duel(100, ONE_SHOT).run(1).world.projectiles.values();
      expect(shot).toMatchObject({ owner: "shooter", vx: PROJECTILE_SPEED, vy: 0, y: LANE_Y });
      expect(shot.x).toBeCloseTo(100 + MUZZLE + PROJECTILE_SPEED * rules.dt, 3);
    });

    it("aims the shot where the input aims, and the player faces there", () => {
      const s = duel(800, { aim: Math.PI / 2, fire: true }).run(1);
      const [shot] = s.world.projectiles.values();
      expect(shot.vx).toBeCloseTo(0, 3);
      expect(shot.vy).toBeCloseTo(PROJECTILE_SPEED, 3);
      expect(s.player("shooter").aim).toBe(Math.PI / 2);
    });

    it.each([0, 1, -2.5, Math.PI - 1e-9, Math.PI, -Math.PI, 3 * Math.PI, -7, 1e6])("stores a facing of %d on the wire's 256 directions in [-π, π), half a step from the aim at most", (aim) => {
      const { aim: faced } = duel(800, { aim: Math.fround(aim) }).run(1).player("shooter");
      expect(snap(FACING, faced)).toBe(faced);
      expect(faced).toBeGreaterThanOrEqual(-Math.PI);
      expect(faced).toBeLessThan(Math.PI);
      expect(Math.cos(faced - Math.fround(aim))).toBeGreaterThanOrEqual(Math.cos(Math.PI / 256) - 1e-12);
    });

    it("a dead player cannot fire", () => {
      const s = scenario().join("shooter", { at: [100, LANE_Y], inputs: FIRE_RIGHT, state: { alive: false, hp: 0, respawnTick: 1_000 } }).run(20);
      expect(s.world.nextProjectileId).toBe(1);
    });

    it("a player pressed against a wall and aiming into it fires into the wall: no projectile appears", () => {
      // Wall {760, 120, 80, 120}: stand against its left face.
      const s = scenario().join("shooter", { at: [760 - PLAYER_RADIUS, 180], inputs: FIRE_RIGHT }).run(1);
      expect(s.world.nextProjectileId).toBe(1);
    });

    it("firing drops the shooter's protection at once", () => {
      const s = scenario().join("shooter", { at: [100, LANE_Y], inputs: { 0: { aim: 0 }, 1: FIRE_RIGHT }, state: { shielded: true, shieldUntilTick: 1_000 } });
      expect(s.run(1).player("shooter").shielded).toBe(true);
      expect(s.run(1).player("shooter").shielded).toBe(false);
    });
  });

  describe("hits", () => {
    it("a projectile hits a player in its path and deals PROJECTILE_DAMAGE, and is spent", () => {
      const s = duel(100, ONE_SHOT, 500).runUntil("hit");
      expect(s.player("target")).toMatchObject({ hp: PLAYER_MAX_HP - PROJECTILE_DAMAGE, alive: true });
      expect(s.world.projectiles.size).toBe(0);
      expect(s.eventsOf("kill")).toEqual([]);
    });

    it("takes the flight time to arrive: no hit before the shot has covered the distance", () => {
      const gap = 700 - PLAYER_RADIUS - PROJECTILE_RADIUS - (100 + MUZZLE);
      expect(duel(100, ONE_SHOT, 700).runUntil("hit").tick).toBe(Math.ceil(gap / (PROJECTILE_SPEED * rules.dt)));
    });

    // Regression: a shot with no wall ahead "hit" the first living player in
    // the world's player order, wherever it stood (shared/world.ts, stepProjectiles).
    it("a shot aimed away from a player never hits it", () => {
      const s = duel(800, { 0: { aim: Math.PI, fire: true }, 1: null }, 1200).run(rules.projectileLifetimeTicks + 1);
      expect(s.player("target").hp).toBe(PLAYER_MAX_HP);
    });

    it("a player far off the shot's line is not hit", () => {
      const s = duel(100, FIRE_RIGHT).join("bystander", { at: [1500, 1100] }).run(rules.projectileLifetimeTicks);
      expect(s.player("bystander").hp).toBe(PLAYER_MAX_HP);
      expect(s.events).toEqual([]);
    });

    it("hits only the first of two players in line", () => {
      const s = duel(100, ONE_SHOT, 400).join("behind", { at: [600, LANE_Y] }).run(30);
      expect(s.player("target").hp).toBe(PLAYER_MAX_HP - PROJECTILE_DAMAGE);
      expect(s.player("behind").hp).toBe(PLAYER_MAX_HP);
    });

    it("a shooter cannot hit itself, and the same shot from someone else does hit", () => {
      const through = (owner: string) => {
        const s = duel(300, undefined);
        s.world.projectiles.set("7", { x: 290, y: LANE_Y, vx: PROJECTILE_SPEED, vy: 0, owner, expireTick: 100, lagMs: 0 });
        return s.run(1);
      };
      expect(through("shooter").player("shooter").hp).toBe(PLAYER_MAX_HP);
      expect(through("someone").player("shooter").hp).toBe(PLAYER_MAX_HP - PROJECTILE_DAMAGE);
    });

    it("a shielded player takes no damage, and the shot is spent on it", () => {
      const s = duel(100, ONE_SHOT, 500, { state: { shielded: true, shieldUntilTick: 1_000 } }).run(30);
      expect(s.player("target").hp).toBe(PLAYER_MAX_HP);
      expect(s.world.projectiles.size).toBe(0);
    });

    it("a dead player is not hit: the shot flies through where it lies", () => {
      const s = duel(100, ONE_SHOT, 400, { state: { alive: false, hp: 0, respawnTick: 1_000 } }).run(16);
      const [shot] = s.world.projectiles.values();
      expect(shot.x).toBeGreaterThan(400 + PLAYER_RADIUS);
    });
  });

  describe("kills", () => {
    it(`${hitsToKill} hits kill: alive false, deaths + 1, shooter score + 1, one kill event`, () => {
      const s = duel(100, FIRE_RIGHT, 500).runUntil("kill");
      expect(s.eventsOf("hit")).toHaveLength(hitsToKill);
      expect(s.eventsOf("kill")).toEqual([{ type: "kill", killer: "shooter", victim: "target" }]);
      expect(s.player("shooter")).toMatchObject({ score: 1, deaths: 0 });
      expect(s.player("target")).toMatchObject({ score: 0, deaths: 1, alive: false, hp: 0 });
    });

    it("the victim drops dead where it stood and its inputs neither move it nor fire", () => {
      const s = duel(100, ONE_SHOT, 500, { inputs: { moveX: -0.2 }, state: { hp: PROJECTILE_DAMAGE } }).runUntil("kill");
      const { x, y } = s.player("target");
      s.send("target", { moveY: 1, aim: Math.PI, fire: true }).run(10);
      expect(s.player("target")).toMatchObject({ x, y, vx: 0, vy: 0, alive: false });
      expect(s.world.nextProjectileId).toBe(2);
    });
  });

  describe("expiry", () => {
    it("a shot that hits nothing flies for exactly projectileLifetimeTicks steps, then is gone", () => {
      expect(100 + PROJECTILE_SPEED * rules.dt * (rules.projectileLifetimeTicks + 2)).toBeLessThan(ARENA_MAP.width);
      const s = duel(100, ONE_SHOT).run(rules.projectileLifetimeTicks);
      expect(s.world.projectiles.size).toBe(1);
      expect(s.run(1).world.projectiles.size).toBe(0);
    });
  });
});

import { describe, expect, it } from "vitest";
import {
  PLAYER_MAX_HP, PLAYER_RADIUS, PROJECTILE_DAMAGE, PROJECTILE_RADIUS, PROJECTILE_SPEED,
} from "../../shared/constants.ts";
import { segmentWallTime } from "../../shared/geometry.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { createWorld } from "../../shared/world.ts";
import type { ProjectileState, WorldState } from "../../shared/worldState.ts";
import { makeRules } from "../../shared/rules.ts";
import { FACING, snap } from "../../shared/precision.ts";
import {
  DUEL_LANE_Y, duel as stageDuel, holdInput, input, placePlayer, runTicks, stepOnce,
} from "../helpers/sim.ts";

const rules = makeRules();
const LANE_Y = DUEL_LANE_Y;
const FIRE_RIGHT = input({ aim: 0, fire: true });
const duel = (shooterX: number, targetX?: number) => stageDuel(rules, shooterX, targetX);

function onlyProjectile(world: WorldState): [string, ProjectileState] {
  expect(world.projectiles.size).toBe(1);
  return [...world.projectiles][0];
}

describe("combat", () => {
  it("stages duels in a lane that no wall crosses", () => {
    const width = ARENA_MAP.width - 2 * PLAYER_RADIUS;
    for (const wall of ARENA_MAP.walls) {
      expect(segmentWallTime(PLAYER_RADIUS, LANE_Y, width, 0, PLAYER_RADIUS, wall)).toBe(Infinity);
    }
  });

  describe("firing", () => {
    it.each([1, 2, 7, 8, 9, 16, 17, 40])("holding fire for %i ticks fires ceil(ticks / fireCooldownTicks) shots", (ticks) => {
      const world = duel(100);
      const firstId = world.nextProjectileId;
      const seen = new Set<string>();
      for (let i = 0; i < ticks; i++) {
        stepOnce(world, rules, { shooter: FIRE_RIGHT });
        world.projectiles.forEach((_shot, id) => seen.add(id));
      }
      const expected = Math.ceil(ticks / rules.fireCooldownTicks);
      expect(world.nextProjectileId - firstId).toBe(expected);
      expect(seen.size).toBe(expected);
    });

    it("is ready again fireCooldownTicks inputs after a shot, trigger held or not", () => {
      const world = duel(100);
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      for (let i = 1; i < rules.fireCooldownTicks; i++) stepOnce(world, rules, { shooter: input() });
      const before = world.nextProjectileId;
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      expect(world.nextProjectileId).toBe(before + 1);
    });

    it("launches from the muzzle at PROJECTILE_SPEED along the aim, owned by the shooter", () => {
      const world = duel(100);
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      const [, shot] = onlyProjectile(world);
      const muzzle = PLAYER_RADIUS + PROJECTILE_RADIUS + 1;
      expect(shot.owner).toBe("shooter");
      expect(shot.vx).toBe(PROJECTILE_SPEED);
      expect(shot.vy).toBe(0);
      // Fired and moved once in the same tick.
      expect(shot.x).toBeCloseTo(100 + muzzle + PROJECTILE_SPEED * rules.dt, 3);
      expect(shot.y).toBe(LANE_Y);
    });

    it("aims the shot where the input aims", () => {
      const world = duel(800);
      stepOnce(world, rules, { shooter: input({ aim: Math.PI / 2, fire: true }) });
      const [, shot] = onlyProjectile(world);
      expect(shot.vx).toBeCloseTo(0, 3);
      expect(shot.vy).toBeCloseTo(PROJECTILE_SPEED, 3);
      expect(world.players.get("shooter")!.aim).toBe(Math.PI / 2);
    });

    it("stores where the player faces on the wire's 256 directions inside [-π, π), pointing where the input aimed", () => {
      const world = duel(800);
      const shooter = world.players.get("shooter")!;
      for (const aim of [0, 1, -2.5, Math.PI - 1e-9, Math.PI, -Math.PI, 3 * Math.PI, -7, 1e6]) {
        stepOnce(world, rules, { shooter: input({ aim }) });
        expect(snap(FACING, shooter.aim), `aim ${aim}`).toBe(shooter.aim);
        expect(shooter.aim, `aim ${aim}`).toBeGreaterThanOrEqual(-Math.PI);
        expect(shooter.aim, `aim ${aim}`).toBeLessThan(Math.PI);
        // Half a step (π/256) at most from the input's direction.
        expect(Math.cos(shooter.aim - aim), `aim ${aim}`).toBeGreaterThanOrEqual(Math.cos(Math.PI / 256) - 1e-12);
      }
    });

    it("a dead player cannot fire", () => {
      const world = duel(100);
      Object.assign(world.players.get("shooter")!, { alive: false, respawnTick: 1_000 });
      runTicks(world, rules, 20, holdInput(FIRE_RIGHT));
      expect(world.nextProjectileId).toBe(1);
    });

    it("a player pressed against a wall and aiming into it fires into the wall: no projectile appears", () => {
      // Wall {760, 120, 80, 120}: stand against its left face.
      const world = createWorld(1, rules);
      placePlayer(world, "shooter", rules, 760 - PLAYER_RADIUS, 180);
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      expect(world.projectiles.size).toBe(0);
      expect(world.nextProjectileId).toBe(1);
    });

    it("firing drops the shooter's protection at once", () => {
      const world = duel(100);
      const shooter = world.players.get("shooter")!;
      Object.assign(shooter, { shielded: true, shieldUntilTick: 1_000 });
      stepOnce(world, rules, { shooter: input({ aim: 0 }) });
      expect(shooter.shielded).toBe(true);
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      expect(shooter.shielded).toBe(false);
    });
  });

  describe("hits", () => {
    it("a projectile hits a player in its path and deals PROJECTILE_DAMAGE", () => {
      const world = duel(100, 500);
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      const flightTicks = Math.ceil(400 / (PROJECTILE_SPEED * rules.dt)) + 1;
      const events = runTicks(world, rules, flightTicks, () => undefined);
      const target = world.players.get("target")!;
      expect(target.hp).toBe(PLAYER_MAX_HP - PROJECTILE_DAMAGE);
      expect(target.alive).toBe(true);
      expect(world.projectiles.size).toBe(0);
      expect(events.filter((event) => event.type === "kill")).toEqual([]);
    });

    it("takes the flight time to arrive: no hit before the shot has covered the distance", () => {
      const world = duel(100, 700);
      const target = world.players.get("target")!;
      const muzzle = PLAYER_RADIUS + PROJECTILE_RADIUS + 1;
      const gap = 700 - PLAYER_RADIUS - PROJECTILE_RADIUS - (100 + muzzle);
      const arrivalStep = Math.ceil(gap / (PROJECTILE_SPEED * rules.dt));
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      let hitOnStep = 0;
      for (let step = 2; step <= arrivalStep + 2 && hitOnStep === 0; step++) {
        stepOnce(world, rules);
        if (target.hp < PLAYER_MAX_HP) hitOnStep = step;
      }
      expect(hitOnStep).toBe(arrivalStep);
    });

    // Regression: a shot with no wall ahead "hit" the first living player in
    // the world's player order, wherever it stood (shared/world.ts, stepProjectiles).
    it("a shot aimed away from a player never hits it", () => {
      const world = duel(800, 1200);
      stepOnce(world, rules, { shooter: input({ aim: Math.PI, fire: true }) });
      runTicks(world, rules, rules.projectileLifetimeTicks, () => undefined);
      expect(world.players.get("target")!.hp).toBe(PLAYER_MAX_HP);
    });

    it("a player far off the shot's line is not hit", () => {
      const world = duel(100);
      placePlayer(world, "bystander", rules, 1500, 1100);
      const events = runTicks(world, rules, rules.projectileLifetimeTicks, holdInput(FIRE_RIGHT));
      expect(world.players.get("bystander")!.hp).toBe(PLAYER_MAX_HP);
      expect(events).toEqual([]);
    });

    it("hits only the first of two players in line", () => {
      const world = duel(100, 400);
      placePlayer(world, "behind", rules, 600, LANE_Y);
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      runTicks(world, rules, 30, () => undefined);
      expect(world.players.get("target")!.hp).toBe(PLAYER_MAX_HP - PROJECTILE_DAMAGE);
      expect(world.players.get("behind")!.hp).toBe(PLAYER_MAX_HP);
    });

    it("a shooter cannot hit itself", () => {
      const world = duel(300);
      const shooter = world.players.get("shooter")!;
      // A shot of its own passing straight through it.
      world.projectiles.set("own", {
        x: shooter.x - 10, y: shooter.y, vx: PROJECTILE_SPEED, vy: 0, owner: "shooter", expireTick: 100, lagMs: 0,
      });
      stepOnce(world, rules);
      expect(shooter.hp).toBe(PLAYER_MAX_HP);
      expect(world.projectiles.has("own")).toBe(true);
    });

    it("the same shot from someone else does hit", () => {
      const world = duel(300);
      const shooter = world.players.get("shooter")!;
      world.projectiles.set("other", {
        x: shooter.x - 10, y: shooter.y, vx: PROJECTILE_SPEED, vy: 0, owner: "someone", expireTick: 100, lagMs: 0,
      });
      stepOnce(world, rules);
      expect(shooter.hp).toBe(PLAYER_MAX_HP - PROJECTILE_DAMAGE);
      expect(world.projectiles.has("other")).toBe(false);
    });

    it("a shielded player takes no damage, and the shot is spent on it", () => {
      const world = duel(100, 500);
      Object.assign(world.players.get("target")!, { shielded: true, shieldUntilTick: 1_000 });
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      runTicks(world, rules, 30, () => undefined);
      expect(world.players.get("target")!.hp).toBe(PLAYER_MAX_HP);
      expect(world.projectiles.size).toBe(0);
    });

    it("a dead player is not hit: the shot flies through where it lies", () => {
      const world = duel(100, 400);
      Object.assign(world.players.get("target")!, { alive: false, respawnTick: 1_000 });
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      runTicks(world, rules, 15, () => undefined);
      const [, shot] = onlyProjectile(world);
      expect(shot.x).toBeGreaterThan(400 + PLAYER_RADIUS);
      expect(world.players.get("target")!.hp).toBe(PLAYER_MAX_HP);
    });
  });

  describe("kills", () => {
    const hitsToKill = Math.ceil(PLAYER_MAX_HP / PROJECTILE_DAMAGE);

    it(`${hitsToKill} hits kill: alive false, deaths + 1, shooter score + 1, one kill event`, () => {
      const world = duel(100, 500);
      const target = world.players.get("target")!;
      const shooter = world.players.get("shooter")!;
      const hpAfterEachHit: number[] = [];
      const events = runTicks(world, rules, rules.fireCooldownTicks * (hitsToKill + 2), (id) => {
        if (hpAfterEachHit.at(-1) !== target.hp) hpAfterEachHit.push(target.hp);
        return id === "shooter" && target.deaths === 0 ? FIRE_RIGHT : undefined;
      });
      expect(hpAfterEachHit)
        .toEqual(Array.from({ length: hitsToKill + 1 }, (_, hit) => Math.max(0, PLAYER_MAX_HP - hit * PROJECTILE_DAMAGE)));
      expect(events.filter((event) => event.type === "kill")).toEqual([{ type: "kill", killer: "shooter", victim: "target" }]);
      expect(shooter.score).toBe(1);
      expect(shooter.deaths).toBe(0);
      expect(target.deaths).toBe(1);
      expect(target.score).toBe(0);
    });

    it("the victim drops dead where it stood and its inputs neither move it nor fire", () => {
      const world = duel(100, 500);
      const target = world.players.get("target")!;
      target.hp = PROJECTILE_DAMAGE;
      // Walking slowly along the lane into the shot: still moving when it dies.
      const walk = input({ moveX: -0.2 });
      const events = [
        ...stepOnce(world, rules, { shooter: FIRE_RIGHT, target: walk }),
        ...runTicks(world, rules, 20, (id) => (id === "target" ? walk : undefined)),
      ];
      expect(events.some((event) => event.type === "kill")).toBe(true);
      expect(target.alive).toBe(false);
      const at = { x: target.x, y: target.y };
      const shotsBefore = world.nextProjectileId;
      runTicks(world, rules, 10, (id) => (id === "target" ? input({ moveY: 1, aim: Math.PI, fire: true }) : undefined));
      expect(target).toMatchObject({ ...at, vx: 0, vy: 0, alive: false });
      expect(world.nextProjectileId).toBe(shotsBefore);
    });
  });

  describe("expiry", () => {
    it("a shot that hits nothing fades after projectileLifetimeTicks", () => {
      // The lane is long enough that the shot fades before it reaches the far edge.
      expect(100 + PROJECTILE_SPEED * rules.dt * (rules.projectileLifetimeTicks + 2)).toBeLessThan(ARENA_MAP.width);
      const world = duel(100);
      stepOnce(world, rules, { shooter: FIRE_RIGHT });
      let alive = 1;
      while (world.projectiles.size > 0 && alive < rules.projectileLifetimeTicks + 5) {
        stepOnce(world, rules);
        alive++;
      }
      expect(world.projectiles.size).toBe(0);
      // Alive (and moving) for exactly projectileLifetimeTicks steps, gone in the next.
      expect(alive - 1).toBe(rules.projectileLifetimeTicks);
    });
  });
});

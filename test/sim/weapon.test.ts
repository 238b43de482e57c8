import { describe, expect, it } from "vitest";
import { PROJECTILE_DAMAGE, PROJECTILE_RADIUS, PROJECTILE_SPEED } from "../../shared/constants.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { stepWorld } from "../../shared/world.ts";
import type { LagCompensation, WorldEvent } from "../../shared/worldState.ts";
import { makeRules } from "../../shared/rules.ts";
import { flyProjectile, launch, pullTrigger, type Flight } from "../../shared/weapon.ts";
import { DUEL_LANE_Y, duel, input, placePlayer } from "../helpers/sim.ts";

const rules = makeRules();

describe("weapon", () => {
  describe("trigger", () => {
    it("fires on the first pull and then once per cooldown, counting inputs", () => {
      const weapon = { reloadTicks: 0 };
      const fired = Array.from({ length: 30 }, () => pullTrigger(weapon, true, 8));
      expect(fired.filter(Boolean)).toHaveLength(4);
      expect(fired.indexOf(true)).toBe(0);
      expect(fired.indexOf(true, 1)).toBe(8);
    });

    it("keeps reloading while the trigger is released", () => {
      const weapon = { reloadTicks: 0 };
      pullTrigger(weapon, true, 8);
      for (let i = 0; i < 7; i++) pullTrigger(weapon, false, 8);
      expect(pullTrigger(weapon, true, 8)).toBe(true);
    });
  });

  describe("client dead reckoning", () => {
    /** Fires once from (x, y) towards `aim`; flies a client copy beside the server's; returns both histories. */
    function flyBeside(x: number, y: number, aim: number) {
      const world = duel(rules, x);
      world.players.get("shooter")!.y = y;
      stepWorld(world, new Map([["shooter", [input({ aim, fire: true })]]]), rules, []);
      const [shot] = [...world.projectiles.values()];
      const reckoned: Flight = { x: shot.x, y: shot.y, vx: shot.vx, vy: shot.vy };
      let ticks = 0;
      let flying = true;
      while (world.projectiles.size > 0) {
        stepWorld(world, new Map(), rules, []);
        flying = flyProjectile(reckoned, rules.dt, ARENA_MAP);
        ticks++;
        const server = [...world.projectiles.values()][0];
        if (server) {
          expect(Math.abs(reckoned.x - server.x), `x at tick ${ticks}`).toBeLessThan(1e-3);
          expect(Math.abs(reckoned.y - server.y), `y at tick ${ticks}`).toBeLessThan(1e-3);
        }
      }
      return { ticks, flying, reckoned };
    }

    it("flies a projectile exactly where the server's step puts it, tick after tick", () => {
      const { ticks } = flyBeside(100, DUEL_LANE_Y, 0);
      expect(ticks).toBe(rules.projectileLifetimeTicks);
    });

    it("flown in one go from where it was fired (as clients draw it), stops at the world's edge", () => {
      const flight: Flight = { x: 1500, y: 700, vx: 900, vy: -300 };
      expect(flyProjectile(flight, 1, ARENA_MAP)).toBe(false);
      expect(flight.x).toBeCloseTo(ARENA_MAP.width - PROJECTILE_RADIUS, 9);
      expect(flight.y).toBeCloseTo(700 - 300 * (95 / 900), 9);
    });

    it("stops where the server's projectile meets a wall, in the same tick", () => {
      // From below the top-centre pillar (x 760–840, y 120–240), straight up into it.
      const { ticks, flying, reckoned } = flyBeside(800, 400, -Math.PI / 2);
      expect(ticks).toBeLessThan(10);
      expect(flying).toBe(false);
      expect(reckoned.y).toBeGreaterThanOrEqual(240);
    });

    it("launches from the muzzle at projectile speed, and not at all from inside a wall", () => {
      const flight = launch(800, DUEL_LANE_Y, Math.PI / 2, ARENA_MAP)!;
      expect(Math.hypot(flight.vx, flight.vy)).toBeCloseTo(PROJECTILE_SPEED, 3);
      expect(flight.y).toBeGreaterThan(DUEL_LANE_Y);
      // Pressed against the left face of the centre cross (x = 640), aiming into it.
      expect(launch(640 - 19, 600, 0, ARENA_MAP)).toBeUndefined();
    });
  });

  describe("lag compensation", () => {
    /** A history in which every target stood `offsetX` to the left of where it is now, `lagMs` ago and earlier. */
    function history(viewLagMs: number, offsetX: number): LagCompensation {
      return {
        viewLagMs: () => viewLagMs,
        positionAt: (_targetId, target, lagMs, out) => {
          out.x = lagMs > 0 ? target.x - offsetX : target.x;
          out.y = target.y;
          return out;
        },
      };
    }

    function fireAcrossTheLane(lagCompensation: LagCompensation) {
      // The target stands 100 u below the lane now; the shooter saw it on the lane.
      const world = duel(rules, 100);
      const target = placePlayer(world, "target", rules, 500, DUEL_LANE_Y + 100);
      const events: WorldEvent[] = [];
      stepWorld(world, new Map([["shooter", [input({ aim: 0, fire: true })]]]), rules, events, lagCompensation);
      for (let i = 0; i < 40; i++) stepWorld(world, new Map(), rules, events, lagCompensation);
      return target;
    }

    it("judges a shot against where the shooter saw the target", () => {
      const seenOnTheLane: LagCompensation = {
        viewLagMs: () => 200,
        positionAt: (_targetId, target, lagMs, out) => {
          out.x = target.x;
          out.y = lagMs > 0 ? DUEL_LANE_Y : target.y;
          return out;
        },
      };
      expect(fireAcrossTheLane(seenOnTheLane).hp).toBe(100 - PROJECTILE_DAMAGE);
    });

    it("misses a target that is only in the shot's path now, not in what the shooter saw", () => {
      expect(fireAcrossTheLane(history(200, 0)).hp).toBe(100);
    });

    it("records the shooter's view lag on the projectile", () => {
      const world = duel(rules, 100);
      stepWorld(world, new Map([["shooter", [input({ aim: 0, fire: true })]]]), rules, [], history(180, 0));
      expect([...world.projectiles.values()][0].lagMs).toBe(180);
    });
  });
});

import { describe, expect, it } from "vitest";
import { PLAYER_MAX_HP, PROJECTILE_DAMAGE, SPAWN_SAFE_DISTANCE } from "../../shared/constants.ts";
import { ARENA_MAP, type Point } from "../../shared/map.ts";
import { spawnPlayer } from "../../shared/spawning.ts";
import { createWorld } from "../../shared/world.ts";
import { newPlayer, type WorldState } from "../../shared/worldState.ts";
import { makeRules } from "../../shared/rules.ts";
import { input, placePlayer } from "../helpers/sim.ts";
import { scenario } from "../../sim/scenario.ts";

const rules = makeRules();
const FIRE_RIGHT = input({ aim: 0, fire: true });
const points = ARENA_MAP.spawnPoints;

/** Where `id` would spawn in `world` right now (the world is left as it was). */
function spawnPointFor(world: WorldState, id: string): Point {
  const player = newPlayer(id);
  spawnPlayer(world, id, player, rules);
  return { x: player.x, y: player.y };
}

/** A world at `tick` with a living enemy standing on each of `blocked`. */
function worldWithEnemiesOn(blocked: readonly Point[], tick = 0, alive = true): WorldState {
  const world = createWorld(11, rules);
  world.tick = tick;
  for (const [i, point] of blocked.entries()) placePlayer(world, `enemy${i}`, rules, point.x, point.y, { alive });
  return world;
}

describe("spawning", () => {
  describe("spawnPlayer", () => {
    it("puts a player on a spawn point, at rest, with full hp, spawn protection and a ready weapon", () => {
      const world = createWorld(11, rules);
      world.tick = 500;
      const player = { ...newPlayer("ann"), x: 3, y: 4, vx: 50, vy: -9, hp: 0, respawnTick: 480, reloadTicks: 5 };
      spawnPlayer(world, "ann", player, rules);
      expect(points).toContainEqual({ x: player.x, y: player.y });
      expect(player).toMatchObject({
        vx: 0, vy: 0, hp: PLAYER_MAX_HP, alive: true, shielded: true,
        shieldUntilTick: 500 + rules.protectionTicks, respawnTick: 0, reloadTicks: 0,
      });
    });

    it("is decided by (match seed, tick, player id) and spreads players over the map", () => {
      const chosen = new Set<string>();
      for (let tick = 0; tick < 40; tick++) {
        for (const id of ["ann", "bob", "cyd"]) {
          const point = spawnPointFor(worldWithEnemiesOn([], tick), id);
          expect(spawnPointFor(worldWithEnemiesOn([], tick), id)).toEqual(point);
          chosen.add(`${point.x},${point.y}`);
        }
      }
      expect(chosen.size).toBeGreaterThanOrEqual(points.length - 2);
    });

    it.each(points.map((point, index) => [index, point.x, point.y] as const))(
      "when living enemies stand on every other point, it picks the free one: #%i (%i, %i)",
      (index, x, y) => {
        const world = worldWithEnemiesOn(points.filter((_, other) => other !== index));
        expect(spawnPointFor(world, "ann")).toEqual({ x, y });
      },
    );

    it("an enemy just beyond SPAWN_SAFE_DISTANCE does not block a point", () => {
      const free = worldWithEnemiesOn([]);
      const drawn = spawnPointFor(free, "ann");
      const world = worldWithEnemiesOn([{ x: drawn.x + SPAWN_SAFE_DISTANCE + 1, y: drawn.y }]);
      expect(spawnPointFor(world, "ann")).toEqual(drawn);
    });

    it("an enemy close by does block it", () => {
      const drawn = spawnPointFor(worldWithEnemiesOn([]), "ann");
      const world = worldWithEnemiesOn([{ x: drawn.x + SPAWN_SAFE_DISTANCE - 1, y: drawn.y }]);
      expect(spawnPointFor(world, "ann")).not.toEqual(drawn);
    });

    it("dead enemies and the player itself do not block a point", () => {
      const drawn = spawnPointFor(worldWithEnemiesOn([]), "ann");
      expect(spawnPointFor(worldWithEnemiesOn(points, 0, false), "ann")).toEqual(drawn);
      const alone = worldWithEnemiesOn([]);
      placePlayer(alone, "ann", rules, drawn.x, drawn.y);
      expect(spawnPointFor(alone, "ann")).toEqual(drawn);
    });

    it("when every point has an enemy close by, it still spawns on the point it drew", () => {
      const drawn = spawnPointFor(worldWithEnemiesOn([]), "ann");
      expect(spawnPointFor(worldWithEnemiesOn(points), "ann")).toEqual(drawn);
    });
  });

  describe("respawn", () => {
    /** A target on its last hit, shot dead; the scenario stands right after the step with the kill. */
    const killTarget = () => scenario()
      .join("shooter", { at: [100, 60], inputs: { 0: FIRE_RIGHT, 1: null } })
      .join("target", { at: [500, 60], state: { hp: PROJECTILE_DAMAGE } })
      .runUntil("kill");

    it("the dead player respawns after exactly respawnTicks", () => {
      const s = killTarget();
      const killed = s.tick;
      expect(s.runUntil("respawn").tick - killed).toBe(rules.respawnTicks);
      expect(s.eventsOf("respawn")).toEqual([{ type: "respawn", player: "target" }]);
    });

    it("comes back on one of the map's spawn points, alive, at rest, with full hp and shielded", () => {
      const target = killTarget().run(rules.respawnTicks).player("target");
      expect(ARENA_MAP.spawnPoints).toContainEqual({ x: target.x, y: target.y });
      expect(target).toMatchObject({ alive: true, hp: PLAYER_MAX_HP, shielded: true, vx: 0, vy: 0 });
    });

    it("spawn protection ends after protectionTicks", () => {
      const s = killTarget().run(rules.respawnTicks);
      const respawned = s.tick;
      expect(s.runUntil((one) => !one.player("target").shielded).tick - respawned).toBe(rules.protectionTicks);
    });
  });
});

/**
 * Projectiles on the wire are sent once, where they were when fired; the
 * client's ProjectileDisplay flies them to the present. What a watching
 * client draws must follow the server's projectile, not stay at its birth.
 */
import { describe, expect, it } from "vitest";
import { ArenaSession } from "../../client/net/session.ts";
import { PROJECTILE_LIFETIME_SECONDS, PROJECTILE_SPEED } from "../../shared/constants.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { IDLE_INPUT } from "../../shared/protocol.ts";
import { makeRules } from "../../shared/rules.ts";
import { flyProjectile, launch } from "../../shared/weapon.ts";
import { playerIn, useTestServer, waitFor } from "../helpers/server.ts";

describe("projectile display", () => {
  const server = useTestServer({ minPlayers: 0 });

  it("draws a shot where the server has it, flown on from where it was fired", async () => {
    const player = await server().connect("Player");
    await waitFor(() => playerIn(player) !== undefined, { message: "the player's own state" });
    // A spectator: it draws every shot, and nobody it could be is in the line of fire.
    const watcher = await ArenaSession.enter(server().url, { kind: "watch", roomId: player.roomId, name: "Watcher" });
    try {
      const world = server().serverRoom(player.roomId).world;
      const lifetimeTicks = makeRules({ tickHz: server().config.tickHz }).projectileLifetimeTicks;
      // A shot along the longest free line from the player (a bystander: it fires nothing itself).
      const from = playerIn(player)!;
      const flight = launch(from.x, from.y, longestFreeAim(from), ARENA_MAP)!;
      const firedAt = world.tick;
      world.projectiles.set("test-shot", { ...flight, owner: "nobody", expireTick: firedAt + lifetimeTicks, lagMs: 0 });
      const drawn = () => {
        watcher.update(performance.now(), IDLE_INPUT);
        const shots: Array<{ x: number; y: number }> = [];
        watcher.prediction.projectiles.forEach((x, y) => shots.push({ x, y }));
        return shots;
      };
      // Once its spawn has surely reached the watcher (four ticks of flight), follow it.
      await waitFor(() => world.tick >= firedAt + 4, { message: "four ticks of flight" });
      let compared = 0;
      while (world.projectiles.has("test-shot") && compared < 20) {
        const onScreen = drawn();
        expect(onScreen).toHaveLength(1);
        const shot = world.projectiles.get("test-shot")!;
        // Within a tick and a half of flight: the drawing is at the client's present, the server at its last tick.
        expect(Math.hypot(onScreen[0].x - shot.x, onScreen[0].y - shot.y)).toBeLessThan((1.5 * PROJECTILE_SPEED) / server().config.tickHz);
        compared++;
        // The next comparison after the next tick: the server's projectile has moved, the client flies its own.
        const tick = world.tick;
        await waitFor(() => world.tick > tick || !world.projectiles.has("test-shot"), { message: "the next tick" });
      }
      expect(compared).toBe(20);
    } finally {
      await watcher.leave();
    }
  });
});

/** Of 32 directions, the one a shot from `from` flies farthest along before a wall stops it. */
function longestFreeAim(from: { x: number; y: number }): number {
  let best = 0;
  let bestDistance = 0;
  for (let i = 0; i < 32; i++) {
    const aim = (i / 32) * 2 * Math.PI;
    const flight = launch(from.x, from.y, aim, ARENA_MAP);
    if (!flight) continue;
    const start = { x: flight.x, y: flight.y };
    flyProjectile(flight, PROJECTILE_LIFETIME_SECONDS, ARENA_MAP);
    const distance = Math.hypot(flight.x - start.x, flight.y - start.y);
    if (distance > bestDistance) {
      best = aim;
      bestDistance = distance;
    }
  }
  return best;
}

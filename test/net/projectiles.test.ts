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
      const serverRoom = server().serverRoom(player.roomId);
      const world = serverRoom.world;
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
        // The moment drawn: the server's clock as the watcher estimates it (what the display flies shots to).
        return { shots, atMs: watcher.serverNow };
      };
      // The step after `firedAt` flies the shot first and publishes it, stamped with the room clock.
      await waitFor(() => world.tick > firedAt, { message: "the step that publishes the shot" });
      const published = serverRoom.state.projectiles.get("test-shot")!;
      const publishedAtTick = firedAt + 1;
      const tickMs = 1000 / server().config.tickHz;
      await waitFor(() => drawn().shots.length === 1, { timeoutMs: 5000, message: "the shot on the watcher's screen" });
      // Followed for 20 ticks of its flight, compared at every tick the test sees.
      const until = world.tick + 20;
      let compared = 0;
      while (world.tick < until) {
        const { shots: onScreen, atMs } = drawn();
        expect(onScreen).toHaveLength(1);
        const shot = world.projectiles.get("test-shot")!;
        // The drawing is at the watcher's present on the room clock; the server's projectile where its
        // last step left it. The server's projectile is flown on to the drawing's moment: by the room clock
        // since that step, and by what the clock ran ahead of the steps since the shot was published.
        // On a quiet machine that is nothing; a late server runs its steps in catch-up batches stamped
        // with one clock reading, and drops the time it cannot catch up (over five steps at once), so
        // its clock runs ahead of its world, and the shot, flown by the clock, is drawn ahead of it.
        const aheadMs = atMs - serverRoom.clock.elapsedTime;
        expect(Math.abs(aheadMs), "the watcher's clock against the room's").toBeLessThan(1000);
        const clockAheadOfStepsMs = (serverRoom.clock.elapsedTime - published.bornMs) - (world.tick - publishedAtTick) * tickMs;
        const serverAtDrawing = flownFor(shot, aheadMs + clockAheadOfStepsMs);
        // Within a tick and a half: a step's position is up to a tick behind the clock reading it ran at.
        expect(Math.hypot(onScreen[0].x - serverAtDrawing.x, onScreen[0].y - serverAtDrawing.y)).toBeLessThan((1.5 * PROJECTILE_SPEED) / server().config.tickHz);
        compared++;
        // The next comparison after the next tick: the server's projectile has moved, the client flies its own.
        const tick = world.tick;
        await waitFor(() => world.tick > tick, { message: "the next tick" });
      }
      // Twenty on a quiet machine; fewer where the server ran its late steps several at once.
      expect(compared).toBeGreaterThan(1);
    } finally {
      await watcher.leave();
    }
  });
});

/** Where `shot` is `ms` later (earlier when negative: back along the free line it came by). */
function flownFor(shot: { x: number; y: number; vx: number; vy: number }, ms: number): { x: number; y: number } {
  if (ms < 0) return { x: shot.x + (shot.vx * ms) / 1000, y: shot.y + (shot.vy * ms) / 1000 };
  const flight = { x: shot.x, y: shot.y, vx: shot.vx, vy: shot.vy };
  flyProjectile(flight, ms / 1000, ARENA_MAP);
  return flight;
}

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

import type { Predict, PredictedSpawns, SpawnsOptions } from "@colyseus/sdk/predict";
import { ARENA_MAP } from "../../shared/map.ts";
import type { PlayerInput, ProjectileView } from "../../shared/protocol.ts";
import { flyProjectile, shoot, type Flight, type Weapon } from "../../shared/weapon.ts";

/**
 * Projectiles on screen. The own shots appear the instant the trigger is
 * pulled (a predicted spawn, through the SDK's `predict.spawns`), flown by the
 * shared `flyProjectile`, and hand over to the authoritative projectile when it
 * arrives (same sprite id; the server's `bornMs` lets the SDK continue the
 * flight without a jump). Everyone's projectiles are dead-reckoned with the
 * same function between snapshots: they fly straight, so the present is known.
 * A prediction the server never confirms (it did not fire) fades after a
 * round-trip-based timeout.
 */
export class ProjectileDisplay {
  private readonly spawns: PredictedSpawns<ProjectileView, Flight>;
  /** The own weapon, predicted input by input exactly as the server counts it. */
  private readonly weapon: Weapon = { reloadTicks: 0 };
  private readonly cooldownTicks: () => number;
  /** Predicted shots so far (for measurements). */
  predicted = 0;

  constructor(predict: Predict, ownSessionId: () => string, cooldownTicks: () => number) {
    this.cooldownTicks = cooldownTicks;
    // The state is decoded by reflection (untyped), so the collection's element type is stated here.
    const spawnsOf = predict.spawns.bind(predict) as unknown as (
      key: "projectiles", options: SpawnsOptions<ProjectileView, Flight>,
    ) => PredictedSpawns<ProjectileView, Flight>;
    this.spawns = spawnsOf("projectiles", {
      owned: (shot) => shot.owner === ownSessionId(),
      spawnTime: (shot) => shot.bornMs,
      fields: ["x", "y"],
      step: (flight, dt) => { flyProjectile(flight, dt, ARENA_MAP); },
    });
  }

  /**
   * One live (not replayed) predicted step of the own player, after its
   * movement: pulls the trigger like the server will, and shows the shot now.
   */
  onOwnStep(player: { x: number; y: number; alive: boolean }, input: PlayerInput, playing: boolean): void {
    if (!player.alive) {
      // The server resets the weapon when the player respawns; dead players never fire.
      this.weapon.reloadTicks = 0;
      return;
    }
    const { flight } = shoot(player, this.weapon, input.fire, input.aim, playing, this.cooldownTicks(), ARENA_MAP);
    if (!flight) return;
    this.spawns.spawn(flight);
    this.predicted++;
  }

  /** Calls `draw` with where each projectile is this frame. */
  forEach(draw: (x: number, y: number) => void): void {
    for (const entry of this.spawns.entries()) {
      draw(this.spawns.value(entry, "x"), this.spawns.value(entry, "y"));
    }
  }

  /** A reconnect restarts the input count: the weapon's prediction restarts with it. */
  reset(): void {
    this.weapon.reloadTicks = 0;
  }
}

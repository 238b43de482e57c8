import type { Predict, PredictedSpawns, SpawnsOptions } from "@colyseus/sdk/predict";
import type { ArenaMap } from "../../shared/map.ts";
import type { PlayerInput, ProjectileView } from "../../shared/protocol.ts";
import { flyProjectile, shoot, type Flight, type Weapon } from "../../shared/weapon.ts";

/** Told of each shot once, when it appears: who fired, where it started (world units), its direction (radians). */
export type ShotListener = (owner: string, x: number, y: number, angle: number) => void;

/** Per projectile: whether the shot listeners were told of it (kept across the predicted → confirmed handoff). */
interface ShotMark {
  announced: boolean;
}

/**
 * Projectiles on screen. The own shots appear the instant the trigger is
 * pulled (a predicted spawn, through the SDK's `predict.spawns`), flown by the
 * shared `flyProjectile`, and hand over to the authoritative projectile when it
 * arrives (same sprite id). The server sends a projectile once, where it was
 * at `bornMs`, and its removal: they fly straight, so every frame each one is
 * flown from there to the present by the same function (own shots to the
 * shooter's present, `bornMs` minus the measured input lead, so the handoff
 * continues the predicted flight without a jump). A prediction the server
 * never confirms (it did not fire) fades after a round-trip-based timeout.
 */
export class ProjectileDisplay {
  private readonly spawns: PredictedSpawns<ProjectileView, Flight, ShotMark>;
  private readonly shotListeners = new Set<ShotListener>();
  private readonly ownSessionId: () => string;
  /** The own weapon, predicted input by input exactly as the server counts it. */
  private readonly weapon: Weapon = { reloadTicks: 0 };
  private readonly cooldownTicks: () => number;
  /** Predicted shots so far (for measurements). */
  predicted = 0;

  private readonly serverNow: () => number;
  /** Reused for each projectile's flight from its birth to now. */
  private readonly flight: Flight = { x: 0, y: 0, vx: 0, vy: 0 };

  /** The room's map: shots stop at its walls. */
  private readonly map: () => ArenaMap;

  /** `serverNow`: the server's clock as this client estimates it (ms since the room started); `map`: the room's map. */
  constructor(predict: Predict, ownSessionId: () => string, cooldownTicks: () => number, serverNow: () => number, map: () => ArenaMap) {
    this.cooldownTicks = cooldownTicks;
    this.map = map;
    this.serverNow = serverNow;
    this.ownSessionId = ownSessionId;
    // The state is decoded by reflection (untyped), so the collection's element type is stated here.
    const spawnsOf = predict.spawns.bind(predict) as unknown as (
      key: "projectiles", options: SpawnsOptions<ProjectileView, Flight, ShotMark>,
    ) => PredictedSpawns<ProjectileView, Flight, ShotMark>;
    this.spawns = spawnsOf("projectiles", {
      owned: (shot) => shot.owner === ownSessionId(),
      spawnTime: (shot) => shot.bornMs,
      // Pending (own, not yet confirmed) shots only; confirmed ones are flown from their birth in forEach.
      step: (flight, dt) => { flyProjectile(flight, dt, this.map()); },
      data: () => ({ announced: false }),
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
    const { flight } = shoot(player, this.weapon, input.fire, input.aim, playing, this.cooldownTicks(), this.map());
    if (!flight) return;
    this.spawns.spawn(flight).data.announced = true;
    this.predicted++;
    this.announce(this.ownSessionId(), flight.x, flight.y, Math.atan2(flight.vy, flight.vx));
  }

  /**
   * Calls `listener` for every new shot: the own ones the moment they are
   * predicted, everyone else's in the first frame drawn after the server's
   * projectile arrives. Returns an unsubscribe.
   */
  onShot(listener: ShotListener): () => void {
    this.shotListeners.add(listener);
    return () => this.shotListeners.delete(listener);
  }

  /**
   * Calls `draw` with where each projectile is this frame, its id (the same
   * from the predicted shot to the server's) and whether it is the own player's.
   */
  forEach(draw: (x: number, y: number, id: number, own: boolean) => void): void {
    const now = this.serverNow();
    const flight = this.flight;
    const map = this.map();
    const me = this.ownSessionId();
    for (const entry of this.spawns.entries()) {
      const shot = entry.server;
      if (!shot) {
        draw(entry.local!.x, entry.local!.y, entry.id, true);
        continue;
      }
      if (!entry.data.announced) {
        entry.data.announced = true;
        this.announce(shot.owner, shot.x, shot.y, Math.atan2(shot.vy, shot.vx));
      }
      flight.x = shot.x;
      flight.y = shot.y;
      flight.vx = shot.vx;
      flight.vy = shot.vy;
      flyProjectile(flight, Math.max(0, now - shot.bornMs + entry.leadMs) / 1000, map);
      draw(flight.x, flight.y, entry.id, shot.owner === me);
    }
  }

  private announce(owner: string, x: number, y: number, angle: number): void {
    for (const listener of this.shotListeners) listener(owner, x, y, angle);
  }

  /** A reconnect restarts the input count: the weapon's prediction restarts with it. */
  reset(): void {
    this.weapon.reloadTicks = 0;
  }
}

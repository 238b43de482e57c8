import type { TestServer } from "./server.ts";
import { waitFor } from "./server.ts";

type ServerRoom = ReturnType<TestServer["serverRoom"]>;

/**
 * One player's shots as the server fired them, by projectile id, with their
 * velocity (u/s). Every projectile is seen as the world's step adds it: the
 * room's state alone misses a shot into a nearby wall, which lives a few
 * ticks, when a busy machine's room runs its late ticks back to back.
 * `record()` also collects what the state holds, and says how many so far.
 */
export class ShotLog {
  readonly seen = new Map<string, { vx: number; vy: number }>();
  /** Shots seen before the last `startOver`: still flying for up to 1.2 s, never counted again. */
  private readonly earlier = new Set<string>();
  private readonly room: ServerRoom;
  private readonly owner: string;

  constructor(room: ServerRoom, owner: string) {
    this.room = room;
    this.owner = owner;
    const projectiles = room.world.projectiles;
    const add = projectiles.set;
    projectiles.set = (id, shot) => {
      if (shot.owner === owner) this.note(id, shot);
      return add.call(projectiles, id, shot);
    };
  }

  /** Collects the owner's projectiles now in the room; returns how many shots were seen so far. */
  record(): number {
    this.room.state.projectiles.forEach((shot, id) => {
      if (shot.owner === this.owner) this.note(id, shot);
    });
    return this.seen.size;
  }

  /** Counts from nothing again: the shots seen so far (some may still be flying) are left out from now on. */
  startOver(): void {
    for (const id of this.seen.keys()) this.earlier.add(id);
    this.seen.clear();
  }

  private note(id: string, shot: { vx: number; vy: number }): void {
    if (!this.seen.has(id) && !this.earlier.has(id)) this.seen.set(id, { vx: shot.vx, vy: shot.vy });
  }

  /** Waits until the room has run `ticks` more steps, recording all along. */
  async recordFor(ticks: number): Promise<void> {
    const world = this.room.world;
    const target = world.tick + ticks;
    await waitFor(() => {
      this.record();
      return world.tick >= target;
    }, { timeoutMs: 5000 + ticks * 150, message: () => `server tick ${target} (at ${world.tick})` });
  }

  /** The direction each shot flies (radians), oldest first. */
  get directions(): number[] {
    return [...this.seen.values()].map((shot) => Math.atan2(shot.vy, shot.vx));
  }
}

/** The smaller angle between two directions (radians, 0…π). */
export function angleGap(a: number, b: number): number {
  const gap = Math.abs(a - b) % (2 * Math.PI);
  return gap > Math.PI ? 2 * Math.PI - gap : gap;
}

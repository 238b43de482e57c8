/**
 * What the netcheck's shooter saw: its shots, flown along the path its screen
 * showed them, judged against the target as its screen showed the target from
 * the moment of firing. This is the "fair hit" the server's lag compensation
 * is measured against.
 */
import { PLAYER_RADIUS, PROJECTILE_LIFETIME_SECONDS, PROJECTILE_RADIUS } from "../shared/constants.ts";
import { segmentCircleTime } from "../shared/geometry.ts";
import { ARENA_MAP } from "../shared/map.ts";
import { flyProjectile, type Flight } from "../shared/weapon.ts";

/** One shot the shooter fired, and what its screen made of it so far. */
export interface Shot {
  flight: Flight;
  firedAt: number;
  /** The shooter's view time when it fired: the screen's timeline the shot is judged on. */
  viewTime: number;
  /** How far into its flight (ms) the shot has been judged. */
  judgedMs: number;
  /** The shot's number among the shooter's, 0-based; matches the server's order of its projectiles. */
  index: number;
  onScreenHit: boolean;
  decided: boolean;
}

/**
 * The target's snapshots as the shooter received them, on the server's clock,
 * so a shot can be judged against the screen's timeline at the moment it was
 * fired (the SDK keeps no history it could be asked for).
 */
export class SampleTrack {
  /** Where the target is taken to be before any snapshot arrived. */
  private readonly before: { x: number; y: number };
  private readonly times: number[] = [];
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];

  constructor(before: { x: number; y: number }) {
    this.before = before;
  }

  /** Server time of the newest snapshot (0 before the first). */
  get newest(): number {
    return this.times.at(-1) ?? 0;
  }

  record(time: number, x: number, y: number): void {
    if (time <= 0 || time === this.times.at(-1)) return;
    this.times.push(time);
    this.xs.push(x);
    this.ys.push(y);
  }

  at(time: number): { x: number; y: number } {
    const n = this.times.length;
    if (n === 0) return this.before;
    if (time <= this.times[0]) return { x: this.xs[0], y: this.ys[0] };
    for (let i = n - 1; i > 0; i--) {
      if (this.times[i - 1] <= time) {
        if (time >= this.times[i]) return { x: this.xs[i], y: this.ys[i] };
        const u = (time - this.times[i - 1]) / (this.times[i] - this.times[i - 1]);
        return { x: this.xs[i - 1] + (this.xs[i] - this.xs[i - 1]) * u, y: this.ys[i - 1] + (this.ys[i] - this.ys[i - 1]) * u };
      }
    }
    return { x: this.xs[n - 1], y: this.ys[n - 1] };
  }
}

/** Step of the on-screen judgement along a shot's flight. */
const JUDGE_STEP_MS = 4;

/**
 * Flies each undecided shot along the path the shooter's screen shows it, and
 * decides whether it met the target as the screen showed the target from the
 * moment of firing on: the target's received snapshots, played on the timeline
 * the screen had at fire time. (The screen's own timeline can shift a little
 * later, when the clock estimate moves; "what the shooter saw when firing" is
 * what a fair server honours.) A stretch of flight is judged only once the
 * snapshots covering it have arrived.
 */
export function judgeOnScreen(shots: Shot[], target: SampleTrack, now: number): void {
  const reach = PLAYER_RADIUS + PROJECTILE_RADIUS;
  const lifetimeMs = PROJECTILE_LIFETIME_SECONDS * 1000;
  for (const shot of shots) {
    while (!shot.decided && shot.judgedMs + JUDGE_STEP_MS <= Math.min(now - shot.firedAt, lifetimeMs)) {
      const time = shot.viewTime + shot.judgedMs + JUDGE_STEP_MS;
      if (time > target.newest) break; // wait for the snapshots
      const from = { x: shot.flight.x, y: shot.flight.y };
      const flying = flyProjectile(shot.flight, JUDGE_STEP_MS / 1000, ARENA_MAP);
      shot.judgedMs += JUDGE_STEP_MS;
      const seen = target.at(time);
      if (segmentCircleTime(from.x, from.y, shot.flight.x - from.x, shot.flight.y - from.y, seen.x, seen.y, reach) !== Infinity) {
        shot.onScreenHit = true;
        shot.decided = true;
      } else if (!flying) {
        shot.decided = true;
      }
    }
    if (!shot.decided && shot.judgedMs + JUDGE_STEP_MS > lifetimeMs) shot.decided = true;
  }
}

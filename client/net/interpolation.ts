import type { Predict } from "@colyseus/sdk/predict";

/** What the delay controller reads from the room's clock (the SDK's `room.clock`). */
export interface ClockReadings {
  serverNow(): number;
  smoothedRtt(): number;
  jitter(): number;
  lastServerTime(): number;
}

const MIN_DELAY_MS = 30;
const MAX_DELAY_MS = 400;
/** Starved frames tolerated per window before the delay grows. */
const STARVED_SHARE = 0.01;
const WINDOW_MS = 1000;
/** A teleport (respawn) farther than this is drawn as a jump, never a glide. */
export const TELEPORT_DISTANCE = 150; // u

/**
 * The render delay of remote players, adapted to the network instead of fixed.
 * Remote players are drawn `delay` ms behind the newest snapshot, between two
 * real samples; a frame whose render time passes the newest snapshot has to
 * extrapolate ("starved"). Each second the controller sets
 *   base = patch interval + 2 × measured jitter + 5 ms,
 * grows the delay by half a patch interval when more than 1 % of the window's
 * frames starved (delivery stalls that jitter alone does not predict), and
 * otherwise lets it sink slowly towards the base. The SDK's `Predict` renders at
 * this delay, and its lag compensation stamps inputs with the same number, so
 * what a player sees is what the server judges.
 */
export class AdaptiveInterpolation {
  delayMs: number;
  /** Frames rendered and frames that had to extrapolate, in total. */
  frames = 0;
  starvedFrames = 0;
  private windowFrames = 0;
  private windowStarved = 0;
  private windowStart = 0;
  private readonly predict: Predict;
  private readonly clock: ClockReadings;
  private readonly patchMs: () => number;

  constructor(predict: Predict, clock: ClockReadings, patchMs: () => number) {
    this.predict = predict;
    this.clock = clock;
    this.patchMs = patchMs;
    this.delayMs = Math.max(MIN_DELAY_MS, 2 * patchMs());
    this.apply();
  }

  /** Once per rendered frame, after the frame's state is decoded. */
  onFrame(now: number): void {
    if (this.clock.lastServerTime() <= 0) return;
    const renderTime = this.clock.serverNow() - this.delayMs - this.clock.smoothedRtt() / 2;
    const starved = renderTime > this.clock.lastServerTime();
    this.frames++;
    this.windowFrames++;
    if (starved) {
      this.starvedFrames++;
      this.windowStarved++;
    }
    if (this.windowStart === 0) this.windowStart = now;
    if (now - this.windowStart >= WINDOW_MS) this.adapt(now);
  }

  private adapt(now: number): void {
    const patch = this.patchMs();
    const base = patch + 2 * this.clock.jitter() + 5;
    if (this.windowStarved > STARVED_SHARE * this.windowFrames) {
      this.delayMs += Math.max(5, patch / 2);
    } else if (this.delayMs > base) {
      this.delayMs = Math.max(base, this.delayMs - 2);
    } else {
      this.delayMs = base;
    }
    this.delayMs = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, Math.round(this.delayMs)));
    this.apply();
    this.windowFrames = 0;
    this.windowStarved = 0;
    this.windowStart = now;
  }

  private apply(): void {
    this.predict.setDefaults({ mode: "lerp", delay: this.delayMs, snap: TELEPORT_DISTANCE });
  }
}

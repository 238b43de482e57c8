import type { Predict } from "@colyseus/sdk/predict";

/** What the delay controller reads from the room's clock (the SDK's `room.clock`). */
export interface ClockReadings {
  serverNow(): number;
  smoothedRtt(): number;
  lastServerTime(): number;
}

const MIN_DELAY_MS = 20;
const MAX_DELAY_MS = 600;
/** Frames of snapshot ages kept to choose the delay from (about 4 s at 60 fps). */
const WINDOW_FRAMES = 240;
/** The delay covers this share of recent frames without extrapolating. */
const COVERED_SHARE = 0.99;
/**
 * How fast the delay may change. Rising, the remote world plays slower for a
 * moment (at most 25 % slower) instead of jumping back in time. Sinking, it
 * plays faster until the delay is back down: by half the excess a second,
 * between 1 % and 5 % faster, so a delay a burst of loss raised comes back
 * within seconds once frames arrive steadily (on datagrams a lost frame is a
 * gap, not a stall), and the last milliseconds go unnoticed.
 */
const RISE_MS_PER_SECOND = 250;
const DECAY_SHARE_PER_SECOND = 0.5;
const DECAY_MIN_MS_PER_SECOND = 10;
const DECAY_MAX_MS_PER_SECOND = 50;
const HEADROOM_MS = 5;
/**
 * A player seen farther than this from where it was drawn has teleported (a
 * respawn): it is drawn there at once, never glided to. Far above any real
 * move between two snapshots (PLAYER_MAX_SPEED over a patch, 11–16 u), far
 * below the distance between spawn points. The one threshold for remote
 * players, the own player's corrections and replays.
 */
export const TELEPORT_DISTANCE = 100; // u

/**
 * The render delay of remote players, following the network instead of a
 * constant. Remote players are drawn `delay` ms behind the newest snapshot,
 * between two real samples; a frame whose render time passes the newest
 * snapshot has to extrapolate ("starved"). Each frame measures how old the
 * newest snapshot is (on the server's clock, one-way latency removed): that
 * age is what the delay must cover. The delay heads for the 99th percentile of
 * the last few seconds of ages plus a little headroom: it rises quickly when
 * jitter or a delivery stall shows up, and sinks more gently when they are
 * gone, never jumping (a jump would move everyone on screen back in time).
 * The SDK's `Predict` renders at this delay and stamps inputs with it for lag
 * compensation, so what a player sees is what the server judges.
 */
export class AdaptiveInterpolation {
  delayMs: number;
  /** Frames rendered and frames that had to extrapolate, in total. */
  frames = 0;
  starvedFrames = 0;
  private readonly ages = new Float64Array(WINDOW_FRAMES);
  private readonly sorted = new Float64Array(WINDOW_FRAMES);
  private count = 0;
  private lastFrameAt = 0;
  /** The delay the Predict renders at (updated when `delayMs` has moved by half a millisecond). */
  private appliedMs = 0;
  private readonly predict: Predict;
  private readonly clock: ClockReadings;

  constructor(predict: Predict, clock: ClockReadings, patchMs: () => number) {
    this.predict = predict;
    this.clock = clock;
    this.delayMs = Math.max(MIN_DELAY_MS, 2 * patchMs());
    this.apply();
  }

  /** Once per rendered frame, after the frame's messages are decoded. */
  onFrame(now: number): void {
    const newest = this.clock.lastServerTime();
    if (newest <= 0) return;
    const age = this.clock.serverNow() - this.clock.smoothedRtt() / 2 - newest;
    this.frames++;
    if (age > this.delayMs) this.starvedFrames++;
    this.ages[this.count % WINDOW_FRAMES] = age;
    this.count++;

    const elapsedSeconds = this.lastFrameAt > 0 ? Math.min(1, (now - this.lastFrameAt) / 1000) : 0;
    this.lastFrameAt = now;
    const needed = this.coveringAge() + HEADROOM_MS;
    const decay = Math.min(DECAY_MAX_MS_PER_SECOND, Math.max(DECAY_MIN_MS_PER_SECOND, (this.delayMs - needed) * DECAY_SHARE_PER_SECOND));
    const next = needed > this.delayMs
      ? Math.min(needed, this.delayMs + RISE_MS_PER_SECOND * elapsedSeconds)
      : Math.max(needed, this.delayMs - decay * elapsedSeconds);
    this.delayMs = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, next));
    if (Math.abs(this.delayMs - this.appliedMs) >= 0.5) this.apply();
  }

  /** The snapshot age that COVERED_SHARE of the window's frames stayed under. */
  private coveringAge(): number {
    const n = Math.min(this.count, WINDOW_FRAMES);
    const window = this.sorted.subarray(0, n);
    window.set(this.ages.subarray(0, n));
    window.sort();
    return window[Math.min(n - 1, Math.floor(COVERED_SHARE * n))];
  }

  private apply(): void {
    this.appliedMs = this.delayMs;
    this.predict.setDefaults({ mode: "lerp", delay: this.delayMs, snap: TELEPORT_DISTANCE });
  }
}

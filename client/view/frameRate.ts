import Phaser from "phaser";
import { RollingCounter } from "../net/rollingCounter.ts";
import { settings, type FrameRateCap } from "../settings.ts";

/**
 * The frame rate cap (the player's setting, `Settings.frameRateCap`) on
 * Phaser's own limiter (`TimeStep.setFPSLimit`), and the rate the game really
 * draws at, for the fps readout and the net graph.
 *
 * Phaser's limiter draws on the display's frame whenever a period of
 * 1000 / limit ms has gone by, carrying the rest over. At exactly 30 on a 60 Hz
 * display two frames' time lands on the period itself, and the display's
 * jitter of a fraction of a millisecond makes it wait for a third frame now and
 * then (a 50 ms gap, then a 17 ms one). Half a frame a second over the cap
 * keeps every other frame against a millisecond of jitter, at the cost of one
 * extra frame a second.
 */
export function phaserLimitFor(cap: FrameRateCap): number {
  return cap === 0 ? 0 : cap + 0.5;
}

/** Applies the player's frame rate cap to `game` now and whenever it changes. */
export function followFrameRateCap(game: Phaser.Game): void {
  const apply = (cap: FrameRateCap) => game.loop.setFPSLimit(phaserLimitFor(cap));
  apply(settings.values.frameRateCap);
  settings.onChange((values, changed) => { if (changed.includes("frameRateCap")) apply(values.frameRateCap); });
  countDrawnFrames(game);
}

/**
 * Frames drawn are counted on the net graph's rolling counter, over the last
 * FRAME_RATE_WINDOW_MS: Phaser's `loop.actualFps` counts the display's frames,
 * which under a cap include those it skipped.
 */
const FRAME_RATE_WINDOW_MS = 2000; // ms: a frame more or less moves the figure by half a frame a second
const counters = new WeakMap<Phaser.Game, { frames: RollingCounter; since: number }>();

function countDrawnFrames(game: Phaser.Game): void {
  const counted = { frames: new RollingCounter(), since: performance.now() };
  counters.set(game, counted);
  game.events.on(Phaser.Core.Events.POST_RENDER, () => counted.frames.add(performance.now(), 1));
}

/** Frames a second `game` drew lately (0 for a game `followFrameRateCap` was not given). */
export function drawnFrameRate(game: Phaser.Game): number {
  const counted = counters.get(game);
  return counted ? Math.round(counted.frames.rate(performance.now(), FRAME_RATE_WINDOW_MS, counted.since)) : 0;
}

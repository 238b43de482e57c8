import Phaser from "phaser";
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
 * Frames drawn over the last second. Phaser's `loop.actualFps` counts the
 * display's frames, which under a cap include those it skipped.
 */
class DrawnFrames {
  private readonly times: number[] = [];

  drawn(now: number): void {
    this.times.push(now);
    while (this.times.length > 0 && this.times[0]! <= now - 1000) this.times.shift();
  }

  perSecond(now: number): number {
    return this.times.filter((time) => time > now - 1000).length;
  }
}

const counters = new WeakMap<Phaser.Game, DrawnFrames>();

function countDrawnFrames(game: Phaser.Game): void {
  if (counters.has(game)) return;
  const counter = new DrawnFrames();
  counters.set(game, counter);
  game.events.on(Phaser.Core.Events.POST_RENDER, () => counter.drawn(performance.now()));
}

/** Frames `game` drew over the last second (Phaser's own estimate where they are not counted). */
export function drawnFrameRate(game: Phaser.Game): number {
  return counters.get(game)?.perSecond(performance.now()) ?? game.loop.actualFps;
}

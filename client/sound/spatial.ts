/**
 * Where a sound seems to come from: its stereo pan and its loudness, from
 * where it happened in the world relative to the listener (the own player, or
 * the camera's centre when there is none). Pure math, tested in Node.
 *
 * Phaser's own spatial audio (a PannerNode per sound) would do HRTF and
 * distance models, but it costs a node graph per voice and answers in 3-D
 * terms; a top-down arena needs only left/right and near/far, so two numbers
 * fed to each voice's `pan` and `volume` are enough.
 */

/** A sound's place in the mix: `pan` −1 (left) … 1 (right), `volume` 0 … 1. */
export interface Placement {
  pan: number;
  volume: number;
}

/** Closer than this a sound plays at full volume. */
export const FULL_VOLUME_DISTANCE = 160; // u
/** How fast loudness falls beyond `FULL_VOLUME_DISTANCE` (inverse-distance roll-off factor). */
const ROLL_OFF = 1;
/** A sound this far to the side pans fully (to `MAX_PAN`). */
const PAN_DISTANCE = 700; // u
/** Never pan all the way: a sound only in one ear sounds broken on headphones. */
export const MAX_PAN = 0.85;

/**
 * Places a sound at (x, y) for a listener at (listenerX, listenerY), world
 * units. Writes into `out` when given (no allocation on the hot path).
 * Volume is 1 within `FULL_VOLUME_DISTANCE` and falls as
 * d₀ / (d₀ + ROLL_OFF · (d − d₀)) beyond it (about 0.16 across the arena);
 * pan follows the horizontal offset, clamped to ±`MAX_PAN`.
 */
export function placeSound(x: number, y: number, listenerX: number, listenerY: number, out: Placement = { pan: 0, volume: 1 }): Placement {
  const dx = x - listenerX;
  const dy = y - listenerY;
  const distance = Math.hypot(dx, dy);
  out.volume = distance <= FULL_VOLUME_DISTANCE
    ? 1
    : FULL_VOLUME_DISTANCE / (FULL_VOLUME_DISTANCE + ROLL_OFF * (distance - FULL_VOLUME_DISTANCE));
  const pan = (dx / PAN_DISTANCE) * MAX_PAN;
  out.pan = Number.isFinite(pan) ? Math.max(-MAX_PAN, Math.min(MAX_PAN, pan)) : 0;
  if (!Number.isFinite(out.volume)) out.volume = 0;
  return out;
}

/**
 * The precision the game state travels at. Positions, velocities and aims are
 * bounded, so each rides the wire as a fixed-width integer over its range
 * (the server's schema declares them with `t.quantized` from these very
 * specs); the shared step snaps every value it produces to that grid, so the
 * state a client decodes is exactly the state the server stepped, and a
 * client replaying its inputs from it reproduces the server to the bit.
 *
 * `snap` computes what schema's quantized fields compute (same formula, same
 * float64 operations: half-up rounding, a symmetric range keeping an exact
 * zero); `test/sim/precision.test.ts` checks the two agree, and that the
 * world, the top speed and the projectile speed fit the ranges.
 */

/** A bounded value on a grid of 2^bits steps; `wrap` for a cyclic value (an angle), clamped otherwise. */
export interface Precision {
  readonly min: number;
  readonly max: number;
  readonly bits: 8 | 16;
  readonly wrap: boolean;
}

/**
 * Positions: binary fixed point, 1/32 u steps from 0 to 2047.97 u (16 bits).
 * Every value the step produces against a wall face or a spawn point (whole
 * units) lies exactly on this grid, and the world (1600 × 1200) fits.
 */
export const POSITION_X: Precision = { min: 0, max: 65535 / 32, bits: 16, wrap: false };
export const POSITION_Y: Precision = POSITION_X;
/**
 * Positions on the large mode's map (4000 × 3000): 1/16 u steps from 0 to
 * 4095.94 u (16 bits). Whole units lie on this grid too.
 */
export const LARGE_POSITION: Precision = { min: 0, max: 65535 / 16, bits: 16, wrap: false };
/** A player's velocity component: 1/64 u/s steps, ±511.98 u/s (above the top speed), zero exact. */
export const PLAYER_VELOCITY: Precision = { min: -65534 / 128, max: 65534 / 128, bits: 16, wrap: false };
/** A projectile's velocity component: 1/32 u/s steps, ±1023.97 u/s (above PROJECTILE_SPEED). */
export const PROJECTILE_VELOCITY: Precision = { min: -65534 / 64, max: 65534 / 64, bits: 16, wrap: false };
/**
 * Where a player faces, for drawing only (shots fly along the input's own
 * aim): 256 directions, 1.4° apart, a sub-pixel step at the barrel's length.
 */
export const FACING: Precision = { min: -Math.PI, max: Math.PI, bits: 8, wrap: true };

/** `value` on the grid of `precision`: what a client decodes when the server holds `value`. */
export function snap(precision: Precision, value: number): number {
  return fromSteps(precision, toSteps(precision, value));
}

/** The grid step (0 … 2^bits − 1) nearest to `value`: what the wire carries. */
export function toSteps(precision: Precision, value: number): number {
  const range = precision.max - precision.min;
  if (precision.wrap) {
    if (!Number.isFinite(value)) return 0;
    let turn = (value - precision.min) % range;
    if (turn < 0) turn += range;
    const steps = 1 << precision.bits;
    return Math.floor((turn / range) * steps + 0.5) % steps;
  }
  if (value !== value) return 0;
  const clamped = value < precision.min ? precision.min : value > precision.max ? precision.max : value;
  return Math.floor(((clamped - precision.min) / range) * spanOf(precision) + 0.5);
}

/** The value of grid step `steps` (clamped to the grid of a bounded value). */
export function fromSteps(precision: Precision, steps: number): number {
  const range = precision.max - precision.min;
  if (precision.wrap) return precision.min + (steps / (1 << precision.bits)) * range;
  const span = spanOf(precision);
  const q = steps < 0 ? 0 : steps > span ? span : steps;
  return precision.min + (q / span) * range;
}

/** Steps across a bounded range; a symmetric range spans one fewer, so that zero lies on the grid. */
function spanOf(precision: Precision): number {
  // A shift, not `2 ** bits`: with `bits` unknown to the compiler that is a call to the C
  // library's pow, a percent of a loaded server's CPU (snap runs for every value the step stores).
  const steps = 1 << precision.bits;
  return precision.min === -precision.max ? steps - 2 : steps - 1;
}

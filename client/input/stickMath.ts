/**
 * Stick arithmetic shared by the touch sticks and the gamepad: a thumb's or a
 * stick's offset becomes a move vector or an aim. Pure: no DOM, no Phaser.
 */

/** What a stick says once its dead zone is taken out. */
export interface StickReading {
  /** −1…1 each, with `x² + y² ≤ 1`; 0 inside the dead zone. */
  x: number;
  y: number;
  /** Length of (x, y): 0 at the dead zone's edge, 1 at the rim. */
  magnitude: number;
  /** Direction of the offset in radians (0 = +x, π/2 = +y, down the screen); 0 for no offset. */
  angle: number;
  /** Pushed past the dead zone. */
  engaged: boolean;
}

/**
 * Reads an offset (`dx`, `dy`) from a stick's centre whose rim is `radius`
 * away (CSS px for a touch stick, 1 for a gamepad's axes). `deadZone` is a
 * fraction of the radius (0…1) inside which the stick reads as resting; beyond
 * it the magnitude is rescaled so it starts from 0 and reaches 1 at the rim,
 * and anything past the rim (a thumb that overshoots, a square gamepad gate)
 * is clamped to 1. Radial rather than per-axis, so a diagonal push is not
 * squared off.
 */
export function readStick(dx: number, dy: number, radius: number, deadZone: number): StickReading {
  const distance = Math.hypot(dx, dy);
  if (!(distance > 0) || !(radius > 0)) return { x: 0, y: 0, magnitude: 0, angle: 0, engaged: false };
  const angle = Math.atan2(dy, dx);
  const travel = Math.min(distance / radius, 1);
  if (travel <= deadZone) return { x: 0, y: 0, magnitude: 0, angle, engaged: false };
  const magnitude = Math.min((travel - deadZone) / (1 - deadZone), 1);
  return { x: (dx / distance) * magnitude, y: (dy / distance) * magnitude, magnitude, angle, engaged: true };
}

/** Where a stick's knob is drawn: the thumb's offset, held inside the rim. */
export function knobOffset(dx: number, dy: number, radius: number): { x: number; y: number } {
  const distance = Math.hypot(dx, dy);
  if (distance <= radius || distance === 0) return { x: dx, y: dy };
  return { x: (dx / distance) * radius, y: (dy / distance) * radius };
}

/**
 * The controls' tuning values, in one place. Dead zones are shares of a
 * stick's full travel (0…1). Pure: the tests read them too.
 */

/** Touch move stick: a thumb never lands dead centre, nor stays perfectly still. */
export const MOVE_DEAD_ZONE = 0.15;
/** Touch aim stick: inside this it neither aims nor fires (a thumb resting or tapping). */
export const AIM_DEAD_ZONE = 0.3;
/** A touch on the aim half this short (ms) that never left the dead zone is a tap: one shot. */
export const TAP_MAX_MS = 300;

/** Gamepad left stick: worn sticks drift a little. */
export const PAD_MOVE_DEAD_ZONE = 0.2;
/** Gamepad right stick: inside this the aim stays where it was. */
export const PAD_AIM_DEAD_ZONE = 0.35;
/** How far the right trigger must be pulled to fire (0…1). */
export const TRIGGER_THRESHOLD = 0.3;

/**
 * A touch stick's rim radius (CSS px) on a window `width` × `height` (CSS px):
 * about a thumb's sweep, 15 % of the short side, never under 44 px (the
 * smallest comfortable touch target) nor over 80 px.
 */
export function thumbStickRadius(width: number, height: number): number {
  return Math.round(Math.min(80, Math.max(44, Math.min(width, height) * 0.15)));
}

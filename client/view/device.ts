/**
 * True on a device whose main pointer is a finger (phones, tablets): the HUD
 * then draws touch buttons and the menu explains the sticks. A laptop with a
 * touch screen counts too, since a thumb may be all its player uses.
 */
export function isTouchDevice(): boolean {
  return window.matchMedia("(pointer: coarse)").matches || navigator.maxTouchPoints > 0;
}

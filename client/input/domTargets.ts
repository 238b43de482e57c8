/** Elements a touch or click belongs to rather than the game: the HUD's and menus' own controls. */
const INTERACTIVE = "button, input, select, textarea, a, label, [data-ui], [contenteditable]";

/** True when `target` is, or sits inside, an interactive DOM element (a button, a text field, anything under `data-ui`). */
export function isInteractiveTarget(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(INTERACTIVE) !== null;
}

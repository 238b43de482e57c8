/**
 * Keeps the page still while a match is played on a touch screen: no scroll,
 * no pinch or double-tap zoom, no text selection or callout under a thumb.
 * CSS does most of it (`touch.css`, under `html.in-match`); Safari ignores
 * `touch-action` for pinches and the viewport's `user-scalable=no`, so its
 * `gesture*` events are refused here too, and a `touchmove` that would scroll
 * is refused where CSS alone is not honoured. Text fields (the chat line) and
 * panels marked `data-ui` (which may scroll) keep their own touches. Returns
 * the undo, for when the match ends.
 */
export function holdPageStill(): () => void {
  const root = document.documentElement;
  root.classList.add("in-match");
  const refuse = (event: Event) => {
    if (!ownsItsTouches(event.target)) event.preventDefault();
  };
  const options = { passive: false };
  const types = ["gesturestart", "gesturechange", "gestureend", "touchmove"];
  for (const type of types) document.addEventListener(type, refuse, options);
  return () => {
    root.classList.remove("in-match");
    for (const type of types) document.removeEventListener(type, refuse);
  };
}

function ownsItsTouches(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("input, textarea, select, [contenteditable], [data-ui]") !== null;
}

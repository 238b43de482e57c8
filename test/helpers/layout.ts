/** Checks of an HTML screen's layout in a real browser: every control on screen, thumb-sized, and apart from the others. */
import type { Page } from "playwright-core";
import { expect } from "vitest";

/** A control's box on the page, CSS pixels. */
export interface ControlBox {
  /** What the control says (its text, label, placeholder or name), for messages. */
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A control after it was scrolled into view: its box then, and what a tap at its centre would reach. */
export interface ReachedControl extends ControlBox {
  /** The element at the box's centre is the control (or inside it): nothing covers it, nothing clips it. */
  reachable: boolean;
}

/** What `measureControls` found under a root element. */
export interface ControlLayout {
  /** Every visible control as laid out, before any scrolling. */
  placed: ControlBox[];
  /** The same controls, each once scrolled into view by the browser (`scrollIntoView`, nearest edge). */
  reached: ReachedControl[];
  /** Scroll containers (and the page) whose content is wider than their box. */
  scrollsSideways: string[];
}

/**
 * Runs in the page: the controls (buttons, inputs, selects) under `rootSelector`
 * that are displayed. A checkbox or radio button counts as its label (the
 * target a thumb taps). Scrolls the root back to the top afterwards.
 */
function measure(rootSelector: string): ControlLayout {
  const root = document.querySelector(rootSelector);
  if (!root) throw new Error(`nothing matches ${rootSelector}`);
  const target = (control: Element): Element => {
    const toggled = control instanceof HTMLInputElement && (control.type === "checkbox" || control.type === "radio");
    return (toggled && control.labels?.[0]) || control;
  };
  const labelOf = (control: Element): string => {
    const input = control as HTMLInputElement;
    return (control.getAttribute("aria-label") || target(control).textContent?.trim() || input.placeholder || input.name || control.tagName).slice(0, 40);
  };
  const box = (control: Element): ControlBox => {
    const rect = target(control).getBoundingClientRect();
    return { label: labelOf(control), x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  };
  const controls = [...root.querySelectorAll("button, input, select, textarea")].filter((control) => control.getClientRects().length > 0);
  const placed = controls.map(box);
  const reached = controls.map((control) => {
    const tapped = target(control);
    tapped.scrollIntoView({ block: "nearest", inline: "nearest" });
    const seen = box(control);
    const hit = document.elementFromPoint(seen.x + seen.width / 2, seen.y + seen.height / 2);
    return { ...seen, reachable: hit !== null && tapped.contains(hit) };
  });
  const scrollsSideways: string[] = [];
  // The page, and the boxes that clip or scroll controls (a name cut short with an ellipsis is no overflow).
  for (const element of [document.documentElement, root, ...root.querySelectorAll("*")]) {
    const holdsControls = controls.some((control) => element.contains(control));
    const scroller = element === document.documentElement || (holdsControls && /auto|scroll|hidden/.test(getComputedStyle(element).overflowX));
    if (scroller && element.scrollWidth > element.clientWidth + 1) scrollsSideways.push(`${element.tagName.toLowerCase()}.${element.className}`);
  }
  for (const element of [root, ...root.querySelectorAll("*")]) element.scrollTop = 0;
  return { placed, reached, scrollsSideways };
}

/** Measures the controls under `rootSelector` in `page` (see `ControlLayout`). */
export function measureControls(page: Page, rootSelector: string): Promise<ControlLayout> {
  return page.evaluate(measure, rootSelector);
}

/** The pairs of boxes that share more than a sliver (half a pixel each way). */
export function overlaps(boxes: ControlBox[]): string[] {
  const found: string[] = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    const across = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
    const down = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
    if (across > 0.5 && down > 0.5) found.push(`${a.label} × ${b.label}`);
  }));
  return found;
}

/** The smallest box a thumb is sure to hit (Apple asks for 44 pt, Google for 48 dp). */
export const THUMB = 44; // px

/**
 * Every control under `rootSelector`: once scrolled into view (where its
 * container scrolls), wholly inside the `width`×`height` viewport, reached by
 * a tap at its centre, at least THUMB px each way; no two overlapping as laid
 * out; and nothing on the way scrolls sideways. Returns the layout for more checks.
 */
export async function expectControlsOnScreen(page: Page, rootSelector: string, width: number, height: number): Promise<ControlLayout> {
  const layout = await measureControls(page, rootSelector);
  expect(layout.reached.length, `controls under ${rootSelector}`).toBeGreaterThan(0);
  for (const control of layout.reached) {
    const where = `${rootSelector}: "${control.label}" at ${JSON.stringify(control)} in ${width}×${height}`;
    expect(control.x >= -0.5 && control.y >= -0.5 && control.x + control.width <= width + 0.5 && control.y + control.height <= height + 0.5, where).toBe(true);
    expect(control.reachable, `${where} is covered or clipped`).toBe(true);
    expect(Math.min(control.width, control.height), `${where} is smaller than a thumb`).toBeGreaterThanOrEqual(THUMB);
  }
  expect(overlaps(layout.placed), `${rootSelector} in ${width}×${height}`).toEqual([]);
  expect(layout.scrollsSideways, `${rootSelector} in ${width}×${height}`).toEqual([]);
  return layout;
}

import { knobOffset } from "./stickMath.ts";

/** Which half of the screen a stick lives on. */
export type StickSide = "move" | "aim";

/**
 * Draws the two thumb sticks as DOM elements in a layer over the whole window
 * (CSS pixels, above the canvas, never catching a touch itself: see
 * docs/controls.md). Hidden until the first touch, so a desktop never shows
 * them. At rest each stick waits, faint, near its bottom corner; a held stick
 * sits where the thumb landed, its knob under the thumb up to the rim.
 * Positions go through the CSSOM (`style.transform`), which a
 * Content-Security-Policy without 'unsafe-inline' still allows.
 */
export class TouchView {
  private readonly layer: HTMLDivElement;
  private readonly sticks: Record<StickSide, { base: HTMLDivElement; knob: HTMLDivElement }>;

  constructor(parent: HTMLElement) {
    this.layer = document.createElement("div");
    this.layer.className = "touch-sticks";
    this.layer.hidden = true;
    this.layer.setAttribute("aria-hidden", "true");
    this.sticks = { move: this.makeStick("move"), aim: this.makeStick("aim") };
    parent.append(this.layer);
  }

  /** Shows the layer (a touch device is in use). */
  show(): void {
    this.layer.hidden = false;
  }

  /** Draws `side` held at (`x`, `y`) (CSS px) with the thumb `dx`, `dy` away; `radius` is the rim. */
  hold(side: StickSide, x: number, y: number, dx: number, dy: number, radius: number): void {
    const { base, knob } = this.sticks[side];
    this.size(radius);
    base.classList.add("held");
    base.style.transform = `translate(${x - radius}px, ${y - radius}px)`;
    const knobAt = knobOffset(dx, dy, radius);
    knob.style.transform = `translate(${knobAt.x}px, ${knobAt.y}px)`;
  }

  /** Puts `side` back at its resting place for a window `width` × `height` (CSS px). */
  rest(side: StickSide, width: number, height: number, radius: number): void {
    const { base, knob } = this.sticks[side];
    this.size(radius);
    base.classList.remove("held");
    const inset = radius * 1.6;
    const x = side === "move" ? inset : width - inset;
    base.style.transform = `translate(${x - radius}px, ${height - inset - radius}px)`;
    knob.style.transform = "translate(0px, 0px)";
  }

  destroy(): void {
    this.layer.remove();
  }

  private size(radius: number): void {
    this.layer.style.setProperty("--stick-radius", `${radius}px`);
  }

  private makeStick(side: StickSide): { base: HTMLDivElement; knob: HTMLDivElement } {
    const base = document.createElement("div");
    base.className = `touch-stick touch-stick-${side}`;
    const knob = document.createElement("div");
    knob.className = "touch-stick-knob";
    base.append(knob);
    this.layer.append(base);
    return { base, knob };
  }
}

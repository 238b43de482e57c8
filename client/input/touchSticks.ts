import type { DeviceReading } from "./combiner.ts";
import { isInteractiveTarget } from "./domTargets.ts";
import type { FireLatch } from "./fireLatch.ts";
import { readStick } from "./stickMath.ts";
import { AIM_DEAD_ZONE, MOVE_DEAD_ZONE, TAP_MAX_MS, thumbStickRadius } from "./tuning.ts";
import { TouchView, type StickSide } from "./touchView.ts";
import "./touch.css";
import { isTouchDevice } from "../view/device.ts";

/** A finger holding one stick. Positions in CSS px from the window's top-left corner. */
interface Thumb {
  pointerId: number;
  originX: number;
  originY: number;
  dx: number;
  dy: number;
  radius: number;
  startedAt: number;
  /** The aim stick went past its dead zone at some point: this touch is no tap. */
  aimed: boolean;
}

/**
 * Twin thumb sticks for touch screens. A finger landing on the left half of
 * the window starts the move stick where it lands, one on the right half the
 * aim stick (aims and fires while pushed past its dead zone; a tap fires once
 * through the latch). The window is watched, not the canvas, so the letterbox
 * around the canvas counts too, whatever the scale mode; touches that start on
 * a button, a text field or anything under `data-ui` are left to it. A third
 * finger is ignored. A cancelled touch, the window losing focus, the tab
 * going to the background, a rotation or a resize let go of both sticks, and
 * lifting every finger always leaves them free, so nothing stays held.
 */
export class TouchSticks {
  private readonly thumbs: Record<StickSide, Thumb | undefined> = { move: undefined, aim: undefined };
  private readonly latch: FireLatch;
  private readonly view: TouchView;
  private started = false;
  private readonly detach: () => void;

  constructor(latch: FireLatch, parent: HTMLElement = document.body) {
    this.latch = latch;
    this.view = new TouchView(parent);
    // Drawn from the start where touch is likely, and on any device from its first touch.
    if (isTouchDevice()) this.view.show();
    this.restBoth();
    this.detach = this.listen();
  }

  /** This frame's reading. The aim is left unsaid while the aim stick rests, so the last aim stays. */
  read(): DeviceReading {
    const move = this.reading("move", MOVE_DEAD_ZONE);
    const aim = this.reading("aim", AIM_DEAD_ZONE);
    const fresh = this.started;
    this.started = false;
    return {
      moveX: move?.x ?? 0,
      moveY: move?.y ?? 0,
      aim: aim?.engaged ? aim.angle : undefined,
      fire: aim?.engaged ?? false,
      engaged: this.thumbs.move !== undefined || this.thumbs.aim !== undefined,
      fresh,
    };
  }

  destroy(): void {
    this.detach();
    this.view.destroy();
  }

  private reading(side: StickSide, deadZone: number) {
    const thumb = this.thumbs[side];
    return thumb && readStick(thumb.dx, thumb.dy, thumb.radius, deadZone);
  }

  private press(event: PointerEvent): void {
    if (event.pointerType !== "touch") return;
    this.view.show();
    if (isInteractiveTarget(event.target)) return;
    const side: StickSide = event.clientX < window.innerWidth / 2 ? "move" : "aim";
    if (this.thumbs[side]) return;
    const thumb: Thumb = {
      pointerId: event.pointerId, originX: event.clientX, originY: event.clientY,
      dx: 0, dy: 0, radius: stickRadius(), startedAt: event.timeStamp, aimed: false,
    };
    this.thumbs[side] = thumb;
    this.started = true;
    this.view.hold(side, thumb.originX, thumb.originY, 0, 0, thumb.radius);
  }

  private drag(event: PointerEvent): void {
    const side = this.sideOf(event.pointerId);
    if (!side) return;
    const thumb = this.thumbs[side]!;
    thumb.dx = event.clientX - thumb.originX;
    thumb.dy = event.clientY - thumb.originY;
    if (side === "aim" && readStick(thumb.dx, thumb.dy, thumb.radius, AIM_DEAD_ZONE).engaged) thumb.aimed = true;
    this.view.hold(side, thumb.originX, thumb.originY, thumb.dx, thumb.dy, thumb.radius);
  }

  private lift(event: PointerEvent): void {
    const side = this.sideOf(event.pointerId);
    if (!side) return;
    const thumb = this.thumbs[side]!;
    const tap = side === "aim" && event.type === "pointerup" && !thumb.aimed && event.timeStamp - thumb.startedAt <= TAP_MAX_MS;
    if (tap) this.latch.pull();
    this.release(side);
  }

  private release(side: StickSide): void {
    this.thumbs[side] = undefined;
    this.view.rest(side, window.innerWidth, window.innerHeight, stickRadius());
  }

  private restBoth(): void {
    this.release("move");
    this.release("aim");
  }

  private sideOf(pointerId: number): StickSide | undefined {
    if (this.thumbs.move?.pointerId === pointerId) return "move";
    if (this.thumbs.aim?.pointerId === pointerId) return "aim";
    return undefined;
  }

  private listen(): () => void {
    const press = (event: PointerEvent) => this.press(event);
    const drag = (event: PointerEvent) => this.drag(event);
    const lift = (event: PointerEvent) => this.lift(event);
    const restBoth = () => this.restBoth();
    // Touch events come after the pointer events of the same finger: once none is left on the
    // screen, any stick still held lost its pointerup somewhere, and is let go.
    const onTouchEnd = (event: TouchEvent) => {
      if (event.touches.length === 0) this.restBoth();
    };
    const onVisibility = () => {
      if (document.hidden) this.restBoth();
    };
    const options = { capture: true, passive: true };
    const listeners: Array<[EventTarget, string, EventListener]> = [
      [window, "pointerdown", press as EventListener],
      [window, "pointermove", drag as EventListener],
      [window, "pointerup", lift as EventListener],
      [window, "pointercancel", lift as EventListener],
      [window, "touchend", onTouchEnd as EventListener],
      [window, "touchcancel", onTouchEnd as EventListener],
      [window, "blur", restBoth],
      [window, "resize", restBoth],
      [window, "orientationchange", restBoth],
      [document, "visibilitychange", onVisibility],
    ];
    for (const [target, type, listener] of listeners) target.addEventListener(type, listener, options);
    return () => {
      for (const [target, type, listener] of listeners) target.removeEventListener(type, listener, options);
    };
  }
}

function stickRadius(): number {
  return thumbStickRadius(window.innerWidth, window.innerHeight);
}

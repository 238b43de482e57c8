import Phaser from "phaser";
import type { DeviceReading } from "./combiner.ts";
import type { FireLatch } from "./fireLatch.ts";

type KeyName = "up" | "down" | "left" | "right" | "w" | "a" | "s" | "d" | "fire";

/**
 * The keyboard and the mouse, read through Phaser: WASD or arrows to move, the
 * mouse to aim, left button or Space to fire. Only a real mouse aims and fires:
 * on a touch screen Phaser's pointers follow the fingers, which belong to the
 * touch sticks. Keys and the button held when the window loses focus or the
 * tab is hidden are let go, so nothing stays held after an alt-tab.
 */
export class KeyboardMouse {
  private readonly scene: Phaser.Scene;
  private readonly keys: Record<KeyName, Phaser.Input.Keyboard.Key>;
  private readonly latch: FireLatch;
  /** What the last pointer event came from: the mouse aims only while it is "mouse" (or "pen"). */
  private pointerType = window.matchMedia("(pointer: fine)").matches ? "mouse" : "";
  /** Set when focus was lost with the button down: the button counts again from the next press. */
  private buttonSuspended = false;
  private heldKeys = 0;
  private lastMouse = { x: Number.NaN, y: Number.NaN };
  private readonly detach: () => void;

  constructor(scene: Phaser.Scene, latch: FireLatch) {
    this.scene = scene;
    this.latch = latch;
    const K = Phaser.Input.Keyboard.KeyCodes;
    this.keys = scene.input.keyboard!.addKeys({
      up: K.UP, down: K.DOWN, left: K.LEFT, right: K.RIGHT,
      w: K.W, a: K.A, s: K.S, d: K.D, fire: K.SPACE,
    }) as Record<KeyName, Phaser.Input.Keyboard.Key>;
    this.detach = this.listen();
  }

  /** This frame's reading; `from` is where the own player is drawn (world units), the origin of the mouse's aim. */
  read(from: { x: number; y: number } | undefined): DeviceReading {
    const k = this.keys;
    const moveX = (k.right.isDown || k.d.isDown ? 1 : 0) - (k.left.isDown || k.a.isDown ? 1 : 0);
    const moveY = (k.down.isDown || k.s.isDown ? 1 : 0) - (k.up.isDown || k.w.isDown ? 1 : 0);
    const held = this.keyMask();
    const pressed = (held & ~this.heldKeys) !== 0;
    this.heldKeys = held;

    const mouse = this.scene.input.mousePointer;
    const usingMouse = mouse !== null && (this.pointerType === "mouse" || this.pointerType === "pen");
    const buttonDown = usingMouse && !this.buttonSuspended && mouse.isDown && mouse.leftButtonDown();
    let aim: number | undefined;
    let moved = false;
    if (usingMouse) {
      moved = mouse.x !== this.lastMouse.x || mouse.y !== this.lastMouse.y;
      this.lastMouse = { x: mouse.x, y: mouse.y };
      aim = this.aimAt(mouse, from);
    }
    const fire = k.fire.isDown || buttonDown;
    return { moveX, moveY, aim, fire, engaged: held !== 0 || buttonDown, fresh: pressed || moved };
  }

  destroy(): void {
    this.detach();
  }

  /**
   * The mouse's world point is worked out from its screen point every frame
   * (not `pointer.worldX`, which changes only on pointer events) because the
   * camera may follow the player while the mouse rests.
   */
  private aimAt(mouse: Phaser.Input.Pointer, from: { x: number; y: number } | undefined): number | undefined {
    if (!from) return undefined;
    const world = this.scene.cameras.main.getWorldPoint(mouse.x, mouse.y);
    const dx = world.x - from.x;
    const dy = world.y - from.y;
    return dx !== 0 || dy !== 0 ? Math.atan2(dy, dx) : undefined;
  }

  private keyMask(): number {
    let mask = 0;
    let bit = 1;
    for (const key of Object.values(this.keys)) {
      if (key.isDown) mask |= bit;
      bit <<= 1;
    }
    return mask;
  }

  private listen(): () => void {
    const canvas = this.scene.game.canvas;
    const onPointer = (event: PointerEvent) => {
      this.pointerType = event.pointerType;
      if (event.type !== "pointerdown" || event.pointerType === "touch") return;
      this.buttonSuspended = false;
      // A click shorter than a tick still fires once: the latch holds it until sent.
      if (event.button === 0 && event.target === canvas) this.latch.pull();
    };
    // Phaser lets go of keys on blur itself, but not when the tab is merely hidden.
    const letGo = () => {
      this.scene.input.keyboard?.resetKeys();
      this.buttonSuspended = true;
    };
    const onVisibility = () => {
      if (document.hidden) letGo();
    };
    const options = { capture: true, passive: true };
    window.addEventListener("pointerdown", onPointer, options);
    window.addEventListener("pointermove", onPointer, options);
    window.addEventListener("blur", letGo);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      window.removeEventListener("pointerdown", onPointer, options);
      window.removeEventListener("pointermove", onPointer, options);
      window.removeEventListener("blur", letGo);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }
}

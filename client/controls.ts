import Phaser from "phaser";
import type { PlayerInput } from "../shared/protocol.ts";

/**
 * Reads the player's intent from keyboard and mouse: WASD or arrows to move,
 * the pointer to aim, left button or Space to fire. Produces a plain
 * `PlayerInput`; sending it is the net layer's job.
 */
export class Controls {
  private readonly keys: Record<"up" | "down" | "left" | "right" | "w" | "a" | "s" | "d" | "fire", Phaser.Input.Keyboard.Key>;
  private readonly intent: PlayerInput = { moveX: 0, moveY: 0, aim: 0, fire: false };

  private readonly scene: Phaser.Scene;

  constructor(scene: Phaser.Scene) {
    this.scene = scene;
    const keyboard = scene.input.keyboard!;
    const K = Phaser.Input.Keyboard.KeyCodes;
    this.keys = keyboard.addKeys({
      up: K.UP, down: K.DOWN, left: K.LEFT, right: K.RIGHT,
      w: K.W, a: K.A, s: K.S, d: K.D, fire: K.SPACE,
    }) as Controls["keys"];
  }

  /** The intent this frame; `from` is where the own player is drawn (aim is measured from it). */
  sample(from: { x: number; y: number } | undefined): PlayerInput {
    const k = this.keys;
    this.intent.moveX = (k.right.isDown || k.d.isDown ? 1 : 0) - (k.left.isDown || k.a.isDown ? 1 : 0);
    this.intent.moveY = (k.down.isDown || k.s.isDown ? 1 : 0) - (k.up.isDown || k.w.isDown ? 1 : 0);
    const pointer = this.scene.input.activePointer;
    if (from) {
      const dx = pointer.worldX - from.x;
      const dy = pointer.worldY - from.y;
      if (dx !== 0 || dy !== 0) this.intent.aim = Math.atan2(dy, dx);
    }
    this.intent.fire = k.fire.isDown || (pointer.isDown && pointer.leftButtonDown());
    return this.intent;
  }
}

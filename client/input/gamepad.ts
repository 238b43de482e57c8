import type Phaser from "phaser";
import type { DeviceReading } from "./combiner.ts";
import { readStick } from "./stickMath.ts";
import { PAD_AIM_DEAD_ZONE, PAD_MOVE_DEAD_ZONE, TRIGGER_THRESHOLD } from "./tuning.ts";

/** Button indices in the browser's "standard" gamepad layout. */
const BUTTON_A = 0;
const BUTTON_R1 = 5;
const BUTTON_R2 = 7;

/**
 * Gamepads through Phaser's gamepad plugin (`input: { gamepad: true }` in the
 * game config): the left stick moves (analog), the right stick aims, the right
 * trigger, R1 or A fires. The first pad that is plugged in now is read.
 *
 * Phaser keeps a pad's object, with its last stick values, after the pad is
 * unplugged, and the browser's snapshot it holds may still say `connected`, so
 * each frame the pad is looked up in `navigator.getGamepads()` first: an
 * unplugged pad reads as absent at once, and the other devices carry on.
 */
export class GamepadDevice {
  private readonly scene: Phaser.Scene;
  private wasEngaged = false;
  /** Pads whose per-axis threshold was switched off: the dead zone here is radial. */
  private readonly tuned = new WeakSet<Phaser.Input.Gamepad.Gamepad>();

  constructor(scene: Phaser.Scene) {
    this.scene = scene;
  }

  /** This frame's reading; a device at rest when no pad is plugged in (or the plugin is off). */
  read(): DeviceReading {
    const pad = this.livePad();
    if (!pad) {
      this.wasEngaged = false;
      return { moveX: 0, moveY: 0, aim: undefined, fire: false, engaged: false, fresh: false };
    }
    if (!this.tuned.has(pad)) {
      pad.setAxisThreshold(0);
      this.tuned.add(pad);
    }
    const move = readStick(pad.leftStick.x, pad.leftStick.y, 1, PAD_MOVE_DEAD_ZONE);
    const aim = readStick(pad.rightStick.x, pad.rightStick.y, 1, PAD_AIM_DEAD_ZONE);
    const fire = buttonValue(pad, BUTTON_R2) >= TRIGGER_THRESHOLD || buttonValue(pad, BUTTON_R1) > 0.5 || buttonValue(pad, BUTTON_A) > 0.5;
    const engaged = move.engaged || aim.engaged || fire;
    const fresh = engaged && !this.wasEngaged;
    this.wasEngaged = engaged;
    return { moveX: move.x, moveY: move.y, aim: aim.engaged ? aim.angle : undefined, fire, engaged, fresh };
  }

  private livePad(): Phaser.Input.Gamepad.Gamepad | undefined {
    const plugin = this.scene.input.gamepad;
    if (!plugin || !plugin.enabled || plugin.total === 0) return undefined;
    const plugged = navigator.getGamepads?.() ?? [];
    return plugin.getAll().find((pad) => {
      const native = plugged[pad.index];
      return native !== null && native !== undefined && native.connected && native.id === pad.id;
    });
  }
}

function buttonValue(pad: Phaser.Input.Gamepad.Gamepad, index: number): number {
  return pad.buttons[index]?.value ?? 0;
}

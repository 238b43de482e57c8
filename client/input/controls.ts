import Phaser from "phaser";
import type { PlayerInput } from "../../shared/protocol.ts";
import { DeviceCombiner, type DeviceName } from "./combiner.ts";
import { FireLatch } from "./fireLatch.ts";
import { GamepadDevice } from "./gamepad.ts";
import { KeyboardMouse } from "./keyboardMouse.ts";
import { holdPageStill } from "./pageGuards.ts";
import { TouchSticks } from "./touchSticks.ts";

export type { DeviceName };

/**
 * Every way the player controls the game, as one `PlayerInput` a frame:
 * keyboard and mouse, touch sticks and a gamepad, combined so that the device
 * used last leads. Sending is the session's job; tell `sent` how many inputs
 * went out, so a tap or a click too short for a tick is still fired once.
 * Lives as long as the scene that creates it, and keeps the page from
 * scrolling or zooming meanwhile.
 */
export class Controls {
  private readonly latch = new FireLatch();
  private readonly combiner = new DeviceCombiner();
  private readonly keyboardMouse: KeyboardMouse;
  private readonly touch: TouchSticks;
  private readonly gamepad: GamepadDevice;

  constructor(scene: Phaser.Scene) {
    this.keyboardMouse = new KeyboardMouse(scene, this.latch);
    this.touch = new TouchSticks(this.latch);
    this.gamepad = new GamepadDevice(scene);
    const letPageGo = holdPageStill();
    scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.keyboardMouse.destroy();
      this.touch.destroy();
      letPageGo();
    });
  }

  /** The intent this frame; `from` is where the own player is drawn (world units; the mouse aims from it). */
  sample(from: { x: number; y: number } | undefined): PlayerInput {
    const input = this.combiner.combine([
      ["keyboardMouse", this.keyboardMouse.read(from)],
      ["touch", this.touch.read()],
      ["gamepad", this.gamepad.read()],
    ]);
    input.fire = this.latch.fire(input.fire);
    return input;
  }

  /** After the session's send: `inputs` of the latest `sample` went out (0 between ticks). */
  sent(inputs: number): void {
    this.latch.sent(inputs);
  }

  /** The device that leads now, if any was used yet. */
  get leader(): DeviceName | undefined {
    return this.combiner.leader;
  }
}

import type { PlayerInput } from "../../shared/protocol.ts";

/** The devices a player can play with. */
export type DeviceName = "keyboardMouse" | "touch" | "gamepad";

/** What one device says this frame. Pure data: the combiner never asks a device anything. */
export interface DeviceReading {
  /** Move intent, −1…1 each (analog from sticks, −1, 0 or 1 from keys). */
  moveX: number;
  moveY: number;
  /** Where this device aims now (radians), or `undefined` when it does not say (a resting aim stick). */
  aim: number | undefined;
  /** Trigger held. */
  fire: boolean;
  /** In use now: a key, button or stick held past its dead zone. */
  engaged: boolean;
  /** Something began this frame: a key or button pressed, a touch started, the mouse moved. */
  fresh: boolean;
}

/**
 * Turns every device's reading into the one `PlayerInput` of the frame.
 * Whichever device was used last leads and is the only one read, so a resting
 * gamepad's zero stick never cancels the keyboard, and a mouse nudged while a
 * gamepad stick is held does not steal the aim. A leader that rests hands over
 * to a device still held (the keys someone kept down while touching the pad).
 * The aim stays where it was while the leader does not say where to aim.
 * Pure: no DOM, no Phaser.
 */
export class DeviceCombiner {
  private readonly lastUsed = new Map<DeviceName, number>();
  private frame = 0;
  private lead: DeviceName | undefined;
  private readonly input: PlayerInput = { moveX: 0, moveY: 0, aim: 0, fire: false };

  /** The device that led the latest frame, if any has been used. */
  get leader(): DeviceName | undefined {
    return this.lead;
  }

  /** The frame's input; the returned object is reused from frame to frame. */
  combine(readings: ReadonlyArray<readonly [DeviceName, DeviceReading]>): PlayerInput {
    this.frame++;
    for (const [name, reading] of readings) {
      if (reading.fresh) this.lastUsed.set(name, this.frame);
    }
    const engaged = readings.filter(([, reading]) => reading.engaged);
    const lead = this.latest(engaged.length > 0 ? engaged : readings);
    this.lead = lead?.[0];
    const reading = lead?.[1];
    this.input.moveX = reading?.moveX ?? 0;
    this.input.moveY = reading?.moveY ?? 0;
    this.input.fire = reading?.fire ?? false;
    if (reading?.aim !== undefined) this.input.aim = reading.aim;
    return this.input;
  }

  /** The most recently used of `readings` (the current leader on a tie); none if none was ever used. */
  private latest(readings: ReadonlyArray<readonly [DeviceName, DeviceReading]>): readonly [DeviceName, DeviceReading] | undefined {
    let best: readonly [DeviceName, DeviceReading] | undefined;
    let bestUsed = 0;
    for (const entry of readings) {
      const used = this.lastUsed.get(entry[0]) ?? 0;
      const wins = used > bestUsed || (used === bestUsed && used > 0 && entry[0] === this.lead);
      if (wins || (best === undefined && entry[1].engaged)) {
        best = entry;
        bestUsed = used;
      }
    }
    return best;
  }
}

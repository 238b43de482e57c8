import { describe, expect, it } from "vitest";
import { DeviceCombiner, type DeviceName, type DeviceReading } from "../../client/input/combiner.ts";
import { FireLatch } from "../../client/input/fireLatch.ts";
import { knobOffset, readStick } from "../../client/input/stickMath.ts";

const RESTING: DeviceReading = { moveX: 0, moveY: 0, aim: undefined, fire: false, engaged: false, fresh: false };

function reading(overrides: Partial<DeviceReading>): DeviceReading {
  return { ...RESTING, ...overrides };
}

describe("controls", () => {
  describe("stick arithmetic", () => {
    it("reads nothing inside the dead zone, and keeps the direction", () => {
      const inside = readStick(10, 0, 100, 0.15);
      expect(inside).toMatchObject({ x: 0, y: 0, magnitude: 0, engaged: false });
      expect(readStick(0, -14, 100, 0.15).angle).toBeCloseTo(-Math.PI / 2);
      expect(readStick(0, 0, 100, 0.15)).toMatchObject({ x: 0, y: 0, angle: 0, engaged: false });
    });

    it("rises from 0 at the dead zone's edge to 1 at the rim, in the thumb's direction", () => {
      const justPast = readStick(16, 0, 100, 0.15);
      expect(justPast.engaged).toBe(true);
      expect(justPast.magnitude).toBeCloseTo(1 / 85);
      const half = readStick(0, 57.5, 100, 0.15);
      expect(half.magnitude).toBeCloseTo(0.5);
      expect(half.x).toBeCloseTo(0);
      expect(half.y).toBeCloseTo(0.5);
      const rim = readStick(-100, 0, 100, 0.15);
      expect(rim).toMatchObject({ x: -1, magnitude: 1, engaged: true });
      expect(rim.angle).toBeCloseTo(Math.PI);
    });

    it("clamps a thumb past the rim, and a square gamepad gate's corner, to length 1", () => {
      const far = readStick(300, 400, 100, 0.15);
      expect(far.magnitude).toBe(1);
      expect(far.x).toBeCloseTo(0.6);
      expect(far.y).toBeCloseTo(0.8);
      const corner = readStick(1, 1, 1, 0.2);
      expect(Math.hypot(corner.x, corner.y)).toBeCloseTo(1);
      expect(corner.angle).toBeCloseTo(Math.PI / 4);
    });

    it("is radial: a diagonal push inside the dead zone reads as resting on both axes", () => {
      expect(readStick(0.12, 0.12, 1, 0.2).engaged).toBe(false);
      expect(readStick(0.12, 0.12, 1, 0.1).engaged).toBe(true);
    });

    it("keeps the knob inside the rim", () => {
      expect(knobOffset(30, 40, 100)).toEqual({ x: 30, y: 40 });
      const knob = knobOffset(300, 400, 100);
      expect(knob.x).toBeCloseTo(60);
      expect(knob.y).toBeCloseTo(80);
    });
  });

  describe("device combiner", () => {
    const frame = (combiner: DeviceCombiner, readings: Partial<Record<DeviceName, Partial<DeviceReading>>>) =>
      ({ ...combiner.combine((["keyboardMouse", "touch", "gamepad"] as const).map((name) => [name, reading(readings[name] ?? {})] as const)) });

    it("is idle until a device is used", () => {
      const combiner = new DeviceCombiner();
      expect(frame(combiner, {})).toEqual({ moveX: 0, moveY: 0, aim: 0, fire: false });
      expect(combiner.leader).toBeUndefined();
    });

    it("lets a resting gamepad's zero stick leave the keyboard alone", () => {
      const combiner = new DeviceCombiner();
      frame(combiner, { keyboardMouse: { moveX: 1, engaged: true, fresh: true, aim: 0.5 } });
      const held = frame(combiner, { keyboardMouse: { moveX: 1, engaged: true, aim: 0.5 }, gamepad: { moveX: 0 } });
      expect(held).toEqual({ moveX: 1, moveY: 0, aim: 0.5, fire: false });
      expect(combiner.leader).toBe("keyboardMouse");
    });

    it("follows the device used last, and ignores the others while it is held", () => {
      const combiner = new DeviceCombiner();
      frame(combiner, { keyboardMouse: { moveX: 1, engaged: true, fresh: true } });
      const pad = frame(combiner, { keyboardMouse: { moveX: 1, engaged: true }, gamepad: { moveY: 0.4, fire: true, aim: 2, engaged: true, fresh: true } });
      expect(pad).toEqual({ moveX: 0, moveY: 0.4, aim: 2, fire: true });
      expect(combiner.leader).toBe("gamepad");
      // A mouse nudged (fresh, not held) while the pad's stick is held does not take over.
      const nudged = frame(combiner, { keyboardMouse: { aim: -1, fresh: true }, gamepad: { moveY: 0.4, engaged: true } });
      expect(nudged).toMatchObject({ moveY: 0.4, aim: 2 });
      expect(combiner.leader).toBe("gamepad");
    });

    it("hands over to a device still held when the leader comes to rest", () => {
      const combiner = new DeviceCombiner();
      frame(combiner, { keyboardMouse: { moveX: -1, engaged: true, fresh: true } });
      frame(combiner, { keyboardMouse: { moveX: -1, engaged: true }, gamepad: { moveX: 1, engaged: true, fresh: true } });
      const back = frame(combiner, { keyboardMouse: { moveX: -1, engaged: true }, gamepad: {} });
      expect(back.moveX).toBe(-1);
      expect(combiner.leader).toBe("keyboardMouse");
    });

    it("keeps the last aim while the leader does not say where to aim", () => {
      const combiner = new DeviceCombiner();
      frame(combiner, { touch: { aim: 1.25, fire: true, engaged: true, fresh: true } });
      const resting = frame(combiner, { touch: { moveX: 0.3, engaged: true } });
      expect(resting).toEqual({ moveX: 0.3, moveY: 0, aim: 1.25, fire: false });
      const lifted = frame(combiner, {});
      expect(lifted).toEqual({ moveX: 0, moveY: 0, aim: 1.25, fire: false });
      expect(combiner.leader).toBe("touch");
    });

    it("keeps the leader when two devices start in the same frame", () => {
      const combiner = new DeviceCombiner();
      frame(combiner, { gamepad: { moveX: 1, engaged: true, fresh: true } });
      frame(combiner, { keyboardMouse: { moveX: -1, engaged: true, fresh: true }, gamepad: { moveX: 1, engaged: true, fresh: true } });
      expect(combiner.leader).toBe("gamepad");
    });
  });

  describe("fire latch", () => {
    it("keeps a tap shorter than a tick until an input has carried it", () => {
      const latch = new FireLatch();
      latch.pull();
      // Frames between ticks send nothing: the pull waits.
      expect(latch.fire(false)).toBe(true);
      latch.sent(0);
      expect(latch.fire(false)).toBe(true);
      latch.sent(0);
      // The frame that sends carries it, once.
      expect(latch.fire(false)).toBe(true);
      latch.sent(2);
      expect(latch.armed).toBe(false);
      expect(latch.fire(false)).toBe(false);
    });

    it("passes a held trigger through and adds nothing without a pull", () => {
      const latch = new FireLatch();
      expect(latch.fire(true)).toBe(true);
      latch.sent(1);
      expect(latch.fire(false)).toBe(false);
      latch.pull();
      latch.pull();
      latch.sent(1);
      expect(latch.fire(false)).toBe(false);
    });
  });
});

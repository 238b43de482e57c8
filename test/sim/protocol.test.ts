import { describe, expect, it } from "vitest";
import { wrapAngle } from "../../shared/geometry.ts";
import { mulberry32 } from "../../shared/rng.ts";
import { IDLE_INPUT, sanitizeInput, type PlayerInput } from "../../shared/protocol.ts";

/** Sanitizes a copy of an input that may hold anything a decoder let through. */
function sanitized(fields: Record<keyof PlayerInput, unknown>): PlayerInput {
  const input = { ...fields } as PlayerInput;
  sanitizeInput(input);
  return input;
}

function withAim(aim: number): PlayerInput {
  return sanitized({ moveX: 0, moveY: 0, aim, fire: false });
}

describe("protocol", () => {
  describe("sanitizeInput", () => {
    it("leaves a legal input as it is", () => {
      expect(sanitized({ moveX: 0.5, moveY: -1, aim: 1.25, fire: true })).toEqual({ moveX: 0.5, moveY: -1, aim: 1.25, fire: true });
      expect(sanitized({ ...IDLE_INPUT })).toEqual(IDLE_INPUT);
    });

    it.each([
      [2, 1], [-2, -1], [1e300, 1], [-1e300, -1], [1, 1], [-1, -1], [0.25, 0.25],
      [NaN, 0], [Infinity, 0], [-Infinity, 0],
    ])("brings a move axis of %s to %s", (hostile, legal) => {
      const input = sanitized({ moveX: hostile, moveY: hostile, aim: 0, fire: false });
      expect(input.moveX).toBe(legal);
      expect(input.moveY).toBe(legal);
    });

    it.each([NaN, Infinity, -Infinity])("zeroes an aim of %s", (hostile) => {
      expect(withAim(hostile).aim).toBe(0);
    });

    it.each([
      [Math.PI, -Math.PI],
      [-Math.PI, -Math.PI],
      [3 * Math.PI / 2, -Math.PI / 2],
      [-3 * Math.PI / 2, Math.PI / 2],
      [2 * Math.PI, 0],
      [7, 7 - 2 * Math.PI],
      [-7, -7 + 2 * Math.PI],
    ])("wraps an aim of %s to %s", (aim, wrapped) => {
      expect(withAim(aim).aim).toBeCloseTo(wrapped, 12);
    });

    it("wraps any finite aim into [-π, π) without turning it", () => {
      const random = mulberry32(99);
      for (let i = 0; i < 20_000; i++) {
        const aim = (random() - 0.5) * 10 ** Math.floor(random() * 5) * 20;
        const wrapped = withAim(aim).aim;
        expect(wrapped).toBeGreaterThanOrEqual(-Math.PI);
        expect(wrapped).toBeLessThan(Math.PI);
        expect(Math.cos(wrapped)).toBeCloseTo(Math.cos(aim), 6);
        expect(Math.sin(wrapped)).toBeCloseTo(Math.sin(aim), 6);
      }
    });

    // Regression: for the double just below -π, `(aim + π) % 2π` is a tiny
    // negative number, and adding 2π back rounds up to exactly 2π, so the
    // result was +π (shared/geometry.ts, wrapAngle).
    it("wraps the aims next to -π into [-π, π) too", () => {
      const belowMinusPi = -Math.PI - 2 ** -51;
      expect(belowMinusPi).toBeLessThan(-Math.PI);
      for (const aim of [belowMinusPi, -Math.PI, Math.PI, Math.PI - 2 ** -51]) {
        const wrapped = withAim(aim).aim;
        expect(wrapped, `aim ${aim}`).toBeGreaterThanOrEqual(-Math.PI);
        expect(wrapped, `aim ${aim}`).toBeLessThan(Math.PI);
      }
      expect(wrapAngle(belowMinusPi)).toBeLessThan(Math.PI);
    });

    it.each([
      [true, true], [false, false], [1, false], ["true", false], ["yes", false], [{}, false], [null, false], [undefined, false],
    ])("turns a fire of %j into %s", (hostile, legal) => {
      expect(sanitized({ moveX: 0, moveY: 0, aim: 0, fire: hostile }).fire).toBe(legal);
    });

    it("never leaves a non-finite number or a non-boolean behind", () => {
      const random = mulberry32(4);
      const garbage = [NaN, Infinity, -Infinity, -0, 1e308, -1e308, 5e-324, "1", null, undefined, {}, [], true];
      const pick = () => (random() < 0.5 ? garbage[Math.floor(random() * garbage.length)] : (random() - 0.5) * 1e4);
      for (let i = 0; i < 2_000; i++) {
        const input = sanitized({ moveX: pick(), moveY: pick(), aim: pick(), fire: pick() });
        for (const axis of [input.moveX, input.moveY, input.aim]) {
          expect(typeof axis).toBe("number");
          expect(Number.isFinite(axis)).toBe(true);
        }
        expect(Math.abs(input.moveX)).toBeLessThanOrEqual(1);
        expect(Math.abs(input.moveY)).toBeLessThanOrEqual(1);
        expect(typeof input.fire).toBe("boolean");
      }
    });
  });
});

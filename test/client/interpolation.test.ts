/**
 * The adaptive interpolation delay (client/net/interpolation.ts) on a
 * simulated clock: frames 60 times a second, snapshots 30 times a second,
 * each `ageMs` old when it arrives. No wall clock, no server.
 */
import type { Predict } from "@colyseus/sdk/predict";
import { describe, expect, it } from "vitest";
import { AdaptiveInterpolation } from "../../client/net/interpolation.ts";

const FRAME_MS = 1000 / 60;
const PATCH_MS = 1000 / 30;

/** A delay controller over a clock the test moves; `run` plays `seconds` of frames with snapshots `lateMs(t)` late. */
function simulated() {
  let now = 1000;
  let newest = 0;
  const clock = { serverNow: () => now, smoothedRtt: () => 0, lastServerTime: () => newest };
  const predict = { setDefaults: () => undefined } as unknown as Predict;
  const interpolation = new AdaptiveInterpolation(predict, clock, () => PATCH_MS);
  const delays: number[] = [];
  const run = (seconds: number, lateMs: (time: number) => number) => {
    for (let frame = 0; frame < seconds * 60; frame++) {
      now += FRAME_MS;
      // The newest snapshot that has arrived: one sent every patch, arriving `lateMs` after it was sent.
      for (let sent = Math.floor(now / PATCH_MS) * PATCH_MS; sent > newest; sent -= PATCH_MS) {
        if (sent + lateMs(sent) <= now) {
          newest = sent;
          break;
        }
      }
      interpolation.onFrame(now);
      delays.push(interpolation.delayMs);
    }
  };
  return { interpolation, run, delays };
}

const largestStep = (delays: readonly number[]) => Math.max(...delays.slice(1).map((delay, i) => Math.abs(delay - delays[i])));

describe("adaptive interpolation delay", () => {
  it("rises to cover a burst of late snapshots, never by more than 25 % of real time", () => {
    const { interpolation, run, delays } = simulated();
    run(4, () => 10);
    const before = interpolation.delayMs;
    run(2, (sent) => (Math.floor(sent / 500) % 2 === 0 ? 200 : 10));
    expect(interpolation.delayMs).toBeGreaterThan(before + 100);
    expect(largestStep(delays)).toBeLessThanOrEqual(0.25 * FRAME_MS + 1e-9);
  });

  it("comes back down within seconds once snapshots arrive steadily, never by more than 5 % of real time", () => {
    const { interpolation, run, delays } = simulated();
    run(3, (sent) => (Math.floor(sent / 400) % 2 === 0 ? 250 : 10));
    const raised = interpolation.delayMs;
    expect(raised).toBeGreaterThan(200);
    const from = delays.length;
    run(14, () => 10);
    // What steady snapshots need: their lateness and a patch interval, and a little headroom.
    expect(interpolation.delayMs).toBeLessThan(10 + PATCH_MS + 15);
    expect(largestStep(delays.slice(from))).toBeLessThanOrEqual(0.05 * FRAME_MS + 1e-9);
  });
});

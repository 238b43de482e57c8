import { describe, expect, it } from "vitest";
import { PatchPacer } from "../../server/rooms/patchTiming.ts";

describe("patch pacing (patches follow the fixed step)", () => {
  it("sends one patch after every step when patches and ticks have the same rate", () => {
    let sent = 0;
    const pacer = new PatchPacer(30, 30, () => sent++);
    for (let step = 1; step <= 5; step++) {
      pacer.stepped();
      expect(sent).toBe(step);
    }
  });

  it("sends at the patch rate when it is below the tick rate", () => {
    for (const [patchHz, tickHz, expected] of [[10, 30, 10], [20, 60, 20], [15, 20, 15]]) {
      let sent = 0;
      const pacer = new PatchPacer(patchHz, tickHz, () => sent++);
      for (let step = 0; step < tickHz; step++) pacer.stepped();
      expect(sent, `${patchHz} Hz patches over ${tickHz} Hz ticks`).toBe(expected);
    }
  });
});

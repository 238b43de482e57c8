import { describe, expect, it } from "vitest";
import { formatClock } from "../../client/view/clock.ts";

describe("the match clock", () => {
  it("reads m:ss, floors fractions and never goes below 0:00", () => {
    expect([formatClock(180), formatClock(61.9), formatClock(9), formatClock(0), formatClock(-3)]).toEqual(["3:00", "1:01", "0:09", "0:00", "0:00"]);
  });
});

import { describe, expect, it } from "vitest";
import { runNetcheck } from "../../testkit/netcheck.ts";
import { NETWORK_PROFILES } from "../../client/net/netsim.ts";

/**
 * The run of netcheck.test.ts (the "mobile" profile, the same seed) with lag
 * compensation off, in a file of its own so that the two go side by side.
 * There at least 75 % of the shots that hit on the shooter's screen are
 * granted; here, without rewinding the targets to what the shooter saw, few
 * are: the difference is lag compensation's doing.
 */
describe("netcode under a mobile network, without lag compensation", () => {
  it("refuses most of the shots that hit on the shooter's screen", { timeout: 60_000 }, async () => {
    const result = await runNetcheck({ profile: NETWORK_PROFILES.mobile, seconds: 15, lagCompensation: false, seed: 11 });
    expect(result.onScreenHits).toBeGreaterThanOrEqual(8);
    // The benchmark measures 13–25 % on this profile; at 45 % or more the run would not tell
    // lag compensation's 75 % or more apart from luck.
    expect(result.fairness).toBeLessThan(0.45);
    // Prediction does not depend on it: still exact.
    expect(result.driftMax).toBe(0);
  });
});

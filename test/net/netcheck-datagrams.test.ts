import { describe, expect, it } from "vitest";
import { runNetcheck, type NetcheckResult } from "../../testkit/netcheck.ts";
import { NETWORK_PROFILES } from "../../client/net/netsim.ts";

/**
 * The netcheck measurement (npm run netcheck) on the "mobile" profile (150 ms
 * ± 20, 2 % loss), with the unreliable frames on a DataChannel each
 * (node-datachannel), beside the same run on the WebSocket alone: shorter
 * runs, loose bounds, no wall-clock assertions (see netcheck.test.ts).
 */
describe("netcode under a mobile network, on datagrams", () => {
  let onDatagrams: NetcheckResult;
  let onWebSocket: NetcheckResult;

  it("measures with the unreliable frames on a DataChannel, and on the WebSocket alone", { timeout: 90_000 }, async () => {
    onDatagrams = await runNetcheck({ profile: NETWORK_PROFILES.mobile, seconds: 15, lagCompensation: true, seed: 11, transport: "datagrams" });
    onWebSocket = await runNetcheck({ profile: NETWORK_PROFILES.mobile, seconds: 15, lagCompensation: true, seed: 11, transport: "websocket" });
    // The channel opened and stayed up: the state arrived on it for the whole measurement.
    expect(onDatagrams.datagramShare).toBeGreaterThan(0.9);
    expect(onDatagrams.onScreenHits).toBeGreaterThanOrEqual(8);
  });

  it("predicts the own player exactly, and grants the shots that hit on screen", () => {
    expect(onDatagrams.reconciles).toBeGreaterThan(50);
    expect(onDatagrams.driftMax).toBe(0);
    expect(onDatagrams.fairness).toBeGreaterThanOrEqual(0.75);
    expect(onDatagrams.starvedShare).toBeLessThan(0.05);
  });

  it("draws remote players closer to the present than the WebSocket can: a lost datagram is a gap, a lost segment a stall", () => {
    expect(onDatagrams.meanInterpolationDelayMs).toBeLessThan(onWebSocket.meanInterpolationDelayMs);
  });
});

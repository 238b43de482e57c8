import { describe, expect, it } from "vitest";
import { attachNetworkSimulator } from "../../client/net/netsim.ts";
import { NetStats, RollingCounter, type CorrectionSource } from "../../client/net/netstats.ts";
import { inputOf, playerIn, useTestServer, waitFor, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";

/** Joins and waits for the own player to be in the decoded state. */
async function joinPlayer(server: TestServer, name: string): Promise<ArenaClientRoom> {
  const room = await server.connect(name);
  await waitFor(() => playerIn(room) !== undefined, { message: `${name} in its own state` });
  return room;
}

/**
 * The test's own count of every frame crossing `room`'s connection, taken
 * independently of NetStats by wrapping the same two paths on top of it.
 */
function frameLedger(room: ArenaClientRoom) {
  const ledger = { bytesIn: 0, framesIn: 0, bytesOut: 0, framesOut: 0 };
  const connection = room.connection;
  const { send, sendUnreliable } = connection;
  const onmessage = connection.events.onmessage!;
  connection.send = (data) => {
    ledger.bytesOut += data.byteLength;
    ledger.framesOut++;
    send.call(connection, data);
  };
  connection.sendUnreliable = (data) => {
    ledger.bytesOut += data.byteLength;
    ledger.framesOut++;
    sendUnreliable.call(connection, data);
  };
  connection.events.onmessage = (event: { data: ArrayBuffer }) => {
    ledger.bytesIn += event.data.byteLength;
    ledger.framesIn++;
    return onmessage(event);
  };
  return ledger;
}

/** Plays for `inputs` ticks at `tickHz` (moving, so every patch has news) and resolves once the server acknowledged them all. */
async function play(room: ArenaClientRoom, inputs: number, tickHz: number): Promise<void> {
  const input = inputOf(room);
  const first = input.sentCount;
  const timer = setInterval(() => {
    if (input.sentCount - first >= inputs) return;
    input.data.moveX = Math.floor((input.sentCount - first) / 10) % 2 === 0 ? 1 : -1;
    input.send();
  }, 1000 / tickHz);
  try {
    await waitFor(() => input.lastProcessed >= first + inputs, {
      timeoutMs: 5000, message: () => `${inputs} inputs acknowledged (at ${input.lastProcessed - first})`,
    });
  } finally {
    clearInterval(timer);
  }
}

/** A reconciler's telemetry, driven by hand (the shape the SDK's Reconciler exposes). */
function fakeReconciles() {
  const source = { reconcileSeq: 0, lastCorrectionMag: 0, lastCorrection: { x: 0, y: 0 } };
  const reconcile = (dx: number, dy: number) => {
    source.reconcileSeq++;
    source.lastCorrection = { x: dx, y: dy };
    source.lastCorrectionMag = Math.max(Math.abs(dx), Math.abs(dy));
  };
  return { source: source as CorrectionSource, reconcile };
}

describe("net stats", () => {
  describe("on a real connection", () => {
    const server = useTestServer();

    it("counts about the server's patch rate, and exactly the bytes that cross the connection", async () => {
      const room = await joinPlayer(server(), "Counted");
      const input = inputOf(room);
      const stats = new NetStats(room, { pendingInputs: () => input.pendingCount, tickRate: () => input.tickRate });
      const ledger = frameLedger(room);

      await play(room, 30, server().config.tickHz);
      const snapshot = stats.snapshot();

      expect(snapshot.perSecond.patches).toBeGreaterThan(0);
      expect(snapshot.tickRate).toBe(server().config.tickHz);
      expect(snapshot.totals).toMatchObject({
        bytesIn: ledger.bytesIn, messagesIn: ledger.framesIn, bytesOut: ledger.bytesOut, messagesOut: ledger.framesOut,
      });
      expect(ledger.bytesIn).toBeGreaterThan(0);
      expect(ledger.framesOut).toBeGreaterThanOrEqual(30);
      expect(snapshot.perSecond.bytesIn).toBeGreaterThan(0);
      expect(snapshot.perSecond.bytesOut).toBeGreaterThan(0);
      expect(snapshot.pingMs).toBeGreaterThan(0);
      expect(snapshot.pendingInputs).toBe(input.pendingCount);
      // A gap between each two patches counted (rates and gap sizes are the benchmarks' to measure).
      const gaps = snapshot.patchGapsMs;
      expect(gaps.length).toBeGreaterThan(20);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(0);
    });

    it("under a simulator attached after it, reports the profile and the added ping", async () => {
      const room = await joinPlayer(server(), "Simulated");
      const profile = { latencyMs: 120, jitterMs: 0, lossPercent: 0 };
      let simulator: ReturnType<typeof attachNetworkSimulator> | undefined;
      const stats = new NetStats(room, { simulator: () => simulator });
      simulator = attachNetworkSimulator(room, profile, 9);

      await play(room, 20, server().config.tickHz);
      const snapshot = stats.snapshot();
      expect(snapshot.simulation).toMatchObject({ ...profile, stalls: 0, seed: 9 });
      expect(snapshot.pingMs).toBeGreaterThan(100);
      expect(snapshot.perSecond.patches).toBeGreaterThan(10);
    });
  });

  describe("corrections", () => {
    const clock = { smoothedRtt: () => 0, jitter: () => 0 };
    const connection = () => ({ send() {}, sendUnreliable() {}, events: {} });

    it("counts a reconcile that moved the prediction, by the position's jump, and not one that matched", () => {
      const { source, reconcile } = fakeReconciles();
      const stats = new NetStats({ connection: connection(), clock }, { reconciler: () => source }, 0);
      stats.snapshot(10);
      reconcile(3, 4);
      expect(stats.snapshot(20).corrections).toMatchObject({ total: 1, last: 5, max: 5 });
      reconcile(0, 0);
      expect(stats.snapshot(30).corrections).toMatchObject({ total: 1, last: 5 });
      // No new reconcile since the last look: nothing new.
      expect(stats.snapshot(40).corrections.total).toBe(1);
      reconcile(0.5, 0);
      const later = stats.snapshot(30_000).corrections;
      expect(later).toMatchObject({ total: 2, last: 0.5, max: 5 });
      expect(later.perMinute).toBeCloseTo(4, 5); // 2 in the first 30 s
      // A minute after the big one, it no longer counts towards the maximum.
      expect(stats.snapshot(61_000).corrections).toMatchObject({ max: 0.5, total: 2 });
    });

    it("ignores reconciles that happened before it first saw the reconciler", () => {
      const { source, reconcile } = fakeReconciles();
      reconcile(10, 0);
      const stats = new NetStats({ connection: connection(), clock }, { reconciler: () => source }, 0);
      expect(stats.snapshot(10).corrections.total).toBe(0);
    });
  });

  describe("rolling windows", () => {
    it("gives the rate over the last second and over the last minute", () => {
      const counter = new RollingCounter();
      // 30 events a second for 90 s, then 10 a second for 2 s.
      for (let t = 0; t < 90_000; t += 1000 / 30) counter.add(t, 1);
      for (let t = 90_000; t < 92_000; t += 100) counter.add(t, 1);
      expect(counter.rate(92_000, 1000)).toBeCloseTo(10, 0);
      const minute = counter.rate(92_000, 60_000);
      expect(minute).toBeGreaterThan(29 * (58 / 60));
      expect(minute).toBeLessThan(30);
      expect(counter.rate(200_000, 60_000)).toBe(0);
    });
  });
});

// First: the load test's bots need the SDK on the `ws` package (see the module).
import "../../testkit/sdkOverWs.ts";
import { describe, expect, it } from "vitest";
import { bottleneck, runLoadTest } from "../../bench/lib/loadTest.ts";
import { soakReport } from "../../bench/lib/soak.ts";
import { bestOfPasses } from "../../bench/lib/passes.ts";
import type { LoadResult } from "../../bench/lib/load.ts";
import { soakChart } from "../../bench/lib/soakChart.ts";
import { renderChart } from "../../bench/lib/chart.ts";
import type { LoadTestProgress } from "../../bench/lib/loadTest.ts";

/**
 * The network load test (npm run loadtest) with a handful of clients against a
 * real server process: its report must describe the run that happened.
 * Figures are checked for sanity only (everyone connected, nothing failed,
 * traffic both ways, the server's histogram read), never for speed.
 * One of the two test files allowed to import bench/ (with baselines.test.ts):
 * the code under test here is the benchmark itself, not a shared helper.
 */
describe("network load test", () => {
  it("connects every client, spreads them over the rooms and reports traffic, ticks and echoes", async () => {
    const progress: LoadTestProgress[] = [];
    const report = await runLoadTest({
      clients: 6, rooms: 2, seconds: 2, tickHz: 30, seed: 7, onProgress: (p) => progress.push(p),
    });
    expect(report.ccu).toBe(6);
    expect(report.serverRooms).toBe(2);
    expect(report.errors).toMatchObject({ joinFailures: 0, disconnects: 0 });
    expect(report.receivedBytesPerClientSecond).toBeGreaterThan(0);
    expect(report.sentBytesPerClientSecond).toBeGreaterThan(0);
    expect(report.statesPerClientSecond).toBeGreaterThan(0);
    expect(report.ticks).toBeGreaterThan(0);
    expect(report.tickP50Ms).toBeGreaterThan(0);
    expect(report.tickP99Ms).toBeGreaterThanOrEqual(report.tickP50Ms);
    expect(report.echoSamples).toBeGreaterThan(0);
    expect(report.echoP99Ms).toBeGreaterThanOrEqual(report.echoP50Ms);
    expect(progress.some((p) => p.phase === "measuring" && p.connected === 6)).toBe(true);
  }, 45_000);

  it("ends by itself when the bots' connections drop as the window ends (regression: the 10-minute soak never finished)", async () => {
    // The server's heartbeat drops a client that misses a ping; here the bots' process stalls well past
    // that just as the window ends (as sorting millions of echo samples once did), so every connection
    // is lost, and being resumed by the SDK, while the run winds down. The run must still end, and say so.
    const report = await runLoadTest({
      clients: 4, rooms: 1, seconds: 6, tickHz: 30, seed: 7, env: { PING_INTERVAL_MS: "500" },
      onProgress: (p) => {
        if (p.phase === "measuring" && p.secondsLeft === 0) stall(2500);
      },
    });
    expect(report.errors.drops).toBeGreaterThan(0);
  }, 60_000);

  it("soaks: samples the server's memory idle, with one room alone, and through the window", async () => {
    const progress: LoadTestProgress[] = [];
    const report = await runLoadTest({
      clients: 4, rooms: 2, seconds: 3, tickHz: 30, seed: 7, soak: { sampleSeconds: 1, warmUpSeconds: 1, oneRoomSeconds: 1 },
      onProgress: (p) => progress.push(p),
    });
    const soak = report.soak!;
    expect(soak.idle?.residentMegabytes).toBeGreaterThan(0);
    // The first room filled (2 seats) and played on its own before the second room joined.
    expect(soak.oneRoom).toMatchObject({ ccu: 2 });
    expect(soak.oneRoom!.residentMegabytes).toBeGreaterThan(soak.oneRoom!.heapUsedMegabytes);
    expect(progress.some((p) => p.phase === "joining" && p.connected === 2)).toBe(true);
    expect(report.serverRooms).toBe(2);
    expect(soak.megabytesPerAddedCcuAtEnd).toBeCloseTo((soak.residentAtEndMegabytes - soak.oneRoom!.residentMegabytes) / 2, 2);
    expect(soak.samples.length).toBeGreaterThanOrEqual(3);
    expect(soak.samples.at(-1)!.ccu).toBe(4);
    for (const sample of soak.samples) expect(sample.residentMegabytes).toBeGreaterThan(sample.heapUsedMegabytes);
    expect(soak.megabytesPerCcu).toBeCloseTo(soak.residentAtEndMegabytes / 4, 2);
    expect(soak.megabytesPerCcuAboveIdle).toBeCloseTo((soak.residentAtEndMegabytes - soak.idle!.residentMegabytes) / 4, 2);
  }, 45_000);

  it("measures a soak's growth from the first sample after warm-up to the last", () => {
    const sample = (atSeconds: number, residentMegabytes: number) => ({ atSeconds, residentMegabytes, heapUsedMegabytes: 10, ccu: 100 });
    const report = soakReport([sample(0, 150), sample(30, 200), sample(60, 210), sample(90, 220)], 60, { residentMegabytes: 100, heapUsedMegabytes: 20 });
    expect(report.residentAfterWarmUpMegabytes).toBe(210);
    expect(report.residentAtEndMegabytes).toBe(220);
    expect(report.growthAfterWarmUp).toBeCloseTo(220 / 210 - 1, 3);
    expect(report.megabytesPerCcu).toBe(2.2);
    expect(report.megabytesPerCcuAboveIdle).toBe(1.2);
    expect(report.megabytesPerAddedCcuAtEnd).toBeUndefined();
  });

  it("measures what each client joined after the first room added", () => {
    const sample = (atSeconds: number, residentMegabytes: number) => ({ atSeconds, residentMegabytes, heapUsedMegabytes: 10, ccu: 160 });
    const oneRoom = { residentMegabytes: 130, heapUsedMegabytes: 15, ccu: 16, playedSeconds: 70 };
    const report = soakReport([sample(0, 150), sample(60, 160), sample(90, 166)], 60, { residentMegabytes: 100, heapUsedMegabytes: 20 }, oneRoom);
    expect(report.oneRoom).toEqual(oneRoom);
    expect(report.megabytesPerAddedCcuAfterWarmUp).toBeCloseTo(30 / 144, 3);
    expect(report.megabytesPerAddedCcuAtEnd).toBeCloseTo(36 / 144, 3);
    expect(report.megabytesPerCcuAboveIdle).toBeCloseTo(66 / 160, 2);
  });

  it("charts a soak: idle first, then the samples thinned to a readable number with the last kept, under the goal line", () => {
    const samples = Array.from({ length: 61 }, (_, i) => ({ atSeconds: i * 10, residentMegabytes: 150 + (i % 3), heapUsedMegabytes: 30, ccu: 160 }));
    const soak = soakReport(samples, 60, { residentMegabytes: 100, heapUsedMegabytes: 20 });
    const chart = soakChart({ date: "2026-11-30", cores: 2, cpu: "test CPU", clients: 160, rooms: 10, seconds: 600, soak });
    const [panel] = chart.panels;
    expect(panel.groups[0].label).toBe("idle");
    expect(panel.groups.length).toBeLessThanOrEqual(14);
    expect(panel.groups.at(-1)!.label).toBe("600");
    expect(panel.groups.map((group) => group.bars.map((bar) => bar.series))).toContainEqual(["resident", "heap used"]);
    expect(panel.goal?.value).toBeCloseTo(100 + 160 * 0.2, 6);
    expect(renderChart(chart)).toContain("<svg");
  });

  it("measures every server in turn, pass after pass, and keeps each server's pass with the least CPU", async () => {
    // A burst of the machine's other work lands on the floor's first pass and Arena's second.
    const cpu: Record<string, number[]> = { arena: [3000, 5200], floor: [5100, 2100] };
    const order: string[] = [];
    const result = await bestOfPasses(["arena", "floor"] as const, 2, async (kind, pass) => {
      order.push(`${kind} ${pass}`);
      return { kind, serverCpuMicrosPerClientSecond: cpu[kind][pass] } as LoadResult;
    });
    expect(order).toEqual(["arena 0", "floor 0", "arena 1", "floor 1"]);
    expect(result.best.arena.serverCpuMicrosPerClientSecond).toBe(3000);
    expect(result.best.floor.serverCpuMicrosPerClientSecond).toBe(2100);
    expect(result.cpuPerPass).toEqual(cpu);
    await expect(bestOfPasses(["arena"] as const, 0, async () => ({}) as LoadResult)).rejects.toThrow(/at least one pass/);
  });

  it("names the side that ran out of CPU", () => {
    const calm = { clientCoreShare: 0.3, clientLoopDelayP99Ms: 5, serverCoreShare: 0.3, statesPerClientSecond: 30 };
    expect(bottleneck({ ...calm, clientCoreShare: 0.97 }, 30)).toMatch(/^the bots/);
    expect(bottleneck({ ...calm, clientLoopDelayP99Ms: 120 }, 30)).toMatch(/^the bots/);
    expect(bottleneck({ ...calm, serverCoreShare: 0.95 }, 30)).toMatch(/^the server/);
    expect(bottleneck(calm, 30)).toMatch(/^neither: both/);
  });
});

/** Blocks this process's event loop for `ms` (nothing else runs meanwhile, as in a long synchronous job). */
function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The soak part of the load test (`npm run loadtest -- --soak`): the server's
 * memory, read from its `GET /metrics`, idle and then sampled through the
 * measured window, and what the samples say (growth after warm-up, memory per
 * connected client).
 */
import { scrapeMetrics } from "./serverMetrics.ts";

/** One reading of the server's memory during a soak. */
export interface MemorySample {
  /** Seconds since the measured window began. */
  atSeconds: number;
  residentMegabytes: number;
  heapUsedMegabytes: number;
  ccu: number;
}

/** The server's memory over a soak. */
export interface SoakReport {
  /** Before any client joined (a server started by the load test only), MB. */
  idle?: { residentMegabytes: number; heapUsedMegabytes: number };
  samples: MemorySample[];
  warmUpSeconds: number;
  /** Resident memory at the first sample after warm-up and at the last, MB, and the growth between them (0.05 = 5 %). */
  residentAfterWarmUpMegabytes: number;
  residentAtEndMegabytes: number;
  growthAfterWarmUp: number;
  /** Resident memory per connected client at the end, MB: all of it, and above the idle server's. */
  megabytesPerCcu: number;
  megabytesPerCcuAboveIdle?: number;
}

/** The idle server's memory: a scrape after a short settle, before anyone joins. */
export async function idleMemory(url: string): Promise<SoakReport["idle"]> {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const metrics = await scrapeMetrics(url);
  return metrics && { residentMegabytes: megabytes(metrics.residentBytes), heapUsedMegabytes: megabytes(metrics.heapUsedBytes) };
}

/** Scrapes the server's memory now and every `sampleSeconds` until `stop()`, which takes a last sample and returns them all. */
export function sampleMemory(url: string, sampleSeconds: number): { stop(): Promise<MemorySample[]> } {
  const startedAt = performance.now();
  const samples: MemorySample[] = [];
  const take = async () => {
    const at = performance.now();
    const metrics = await scrapeMetrics(url);
    if (!metrics) return;
    samples.push({
      atSeconds: round((at - startedAt) / 1000, 1), residentMegabytes: megabytes(metrics.residentBytes),
      heapUsedMegabytes: megabytes(metrics.heapUsedBytes), ccu: metrics.connectedClients,
    });
  };
  let pending = take();
  const timer = setInterval(() => {
    pending = pending.then(take);
  }, sampleSeconds * 1000);
  return {
    async stop() {
      clearInterval(timer);
      await pending.then(take);
      return samples.sort((a, b) => a.atSeconds - b.atSeconds);
    },
  };
}

/** What a soak's samples say: growth after warm-up, and memory per connected client. */
export function soakReport(samples: readonly MemorySample[], warmUpSeconds: number, idle?: SoakReport["idle"]): SoakReport {
  const afterWarmUp = samples.find((sample) => sample.atSeconds >= warmUpSeconds) ?? samples[samples.length - 1];
  const end = samples[samples.length - 1];
  const ccu = Math.max(1, end?.ccu ?? 0);
  return {
    idle,
    samples: [...samples],
    warmUpSeconds,
    residentAfterWarmUpMegabytes: afterWarmUp?.residentMegabytes ?? Number.NaN,
    residentAtEndMegabytes: end?.residentMegabytes ?? Number.NaN,
    growthAfterWarmUp: afterWarmUp && end ? round(end.residentMegabytes / afterWarmUp.residentMegabytes - 1, 3) : Number.NaN,
    megabytesPerCcu: end ? round(end.residentMegabytes / ccu, 3) : Number.NaN,
    megabytesPerCcuAboveIdle: idle && end ? round((end.residentMegabytes - idle.residentMegabytes) / ccu, 3) : undefined,
  };
}

const megabytes = (bytes: number) => round(bytes / 1e6, 1);

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

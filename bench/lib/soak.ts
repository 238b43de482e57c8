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
  /**
   * One room, full, after it had played a while, before the other rooms
   * joined (a server started by the load test, with more than one room): the
   * server warm, its code compiled, one room's structures and its clients.
   */
  oneRoom?: OneRoomMemory;
  samples: MemorySample[];
  warmUpSeconds: number;
  /** Resident memory at the first sample after warm-up and at the last, MB, and the growth between them (0.05 = 5 %). */
  residentAfterWarmUpMegabytes: number;
  residentAtEndMegabytes: number;
  growthAfterWarmUp: number;
  /** Resident memory per connected client at the end, MB: all of it, and above the idle server's. */
  megabytesPerCcu: number;
  megabytesPerCcuAboveIdle?: number;
  /**
   * What each client after the first room added, MB: resident memory above
   * the one-room reading over the clients joined since, after the warm-up
   * and at the end. A player's own cost, without what any warm server holds
   * (compiled code, caches), which the figure above the idle server spreads
   * over the clients.
   */
  megabytesPerAddedCcuAfterWarmUp?: number;
  megabytesPerAddedCcuAtEnd?: number;
}

/** The server's memory with one full room: the mean of a few readings, MB. */
export interface OneRoomMemory {
  residentMegabytes: number;
  heapUsedMegabytes: number;
  ccu: number;
  /** Seconds the room had played. */
  playedSeconds: number;
}

/** The idle server's memory: a scrape after a short settle, before anyone joins. */
export async function idleMemory(url: string): Promise<SoakReport["idle"]> {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const metrics = await scrapeMetrics(url);
  return metrics && { residentMegabytes: megabytes(metrics.residentBytes), heapUsedMegabytes: megabytes(metrics.heapUsedBytes) };
}

/** Reads the server's memory `readings` times, `gapSeconds` apart, and averages them (one reading moves by a megabyte or two). */
export async function settledMemory(url: string, playedSeconds: number, readings = 3, gapSeconds = 5): Promise<OneRoomMemory | undefined> {
  const taken: Array<NonNullable<Awaited<ReturnType<typeof scrapeMetrics>>>> = [];
  for (let i = 0; i < readings; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, gapSeconds * 1000));
    const metrics = await scrapeMetrics(url);
    if (metrics) taken.push(metrics);
  }
  if (taken.length === 0) return undefined;
  const mean = (pick: (m: (typeof taken)[number]) => number) => taken.reduce((sum, m) => sum + pick(m), 0) / taken.length;
  return {
    residentMegabytes: megabytes(mean((m) => m.residentBytes)), heapUsedMegabytes: megabytes(mean((m) => m.heapUsedBytes)),
    ccu: Math.round(mean((m) => m.connectedClients)), playedSeconds: round(playedSeconds + (readings - 1) * gapSeconds, 0),
  };
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
export function soakReport(samples: readonly MemorySample[], warmUpSeconds: number, idle?: SoakReport["idle"], oneRoom?: OneRoomMemory): SoakReport {
  const afterWarmUp = samples.find((sample) => sample.atSeconds >= warmUpSeconds) ?? samples[samples.length - 1];
  const end = samples[samples.length - 1];
  const ccu = Math.max(1, end?.ccu ?? 0);
  const perAdded = (sample: MemorySample | undefined) =>
    oneRoom && sample && sample.ccu > oneRoom.ccu ? round((sample.residentMegabytes - oneRoom.residentMegabytes) / (sample.ccu - oneRoom.ccu), 3) : undefined;
  return {
    idle,
    oneRoom,
    samples: [...samples],
    warmUpSeconds,
    residentAfterWarmUpMegabytes: afterWarmUp?.residentMegabytes ?? Number.NaN,
    residentAtEndMegabytes: end?.residentMegabytes ?? Number.NaN,
    growthAfterWarmUp: afterWarmUp && end ? round(end.residentMegabytes / afterWarmUp.residentMegabytes - 1, 3) : Number.NaN,
    megabytesPerCcu: end ? round(end.residentMegabytes / ccu, 3) : Number.NaN,
    megabytesPerCcuAboveIdle: idle && end ? round((end.residentMegabytes - idle.residentMegabytes) / ccu, 3) : undefined,
    megabytesPerAddedCcuAfterWarmUp: perAdded(afterWarmUp),
    megabytesPerAddedCcuAtEnd: perAdded(end),
  };
}

const megabytes = (bytes: number) => round(bytes / 1e6, 1);

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

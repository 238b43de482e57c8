/**
 * Reading an Arena server's own figures from `GET /metrics` (Prometheus text):
 * the load tools take server-side numbers from there rather than guessing them.
 */

/** The counters and the tick histogram of one scrape, summed over labels. */
export interface MetricsScrape {
  patchBytes: number;
  tickSeconds: number;
  ticks: number;
  /** `arena_tick_duration_seconds` buckets: upper bound (s, Infinity for +Inf) → cumulative count. */
  tickBuckets: Map<number, number>;
  /** The same of `arena_tick_with_patch_seconds`, the whole tick (step, patch encode and send); empty from a server without it. */
  wholeTickBuckets: Map<number, number>;
  /** `arena_connected_clients` and `arena_rooms` at the scrape. */
  connectedClients: number;
  rooms: number;
  /** `process_cpu_seconds_total`: the server process's CPU time so far (user + system). */
  cpuSeconds: number;
  /** `process_resident_memory_bytes` and `nodejs_heap_size_used_bytes` at the scrape. */
  residentBytes: number;
  heapUsedBytes: number;
}

/** Arena's own figures from `GET /metrics`, or undefined when the server has no such route. */
export async function scrapeMetrics(url: string): Promise<MetricsScrape | undefined> {
  try {
    const response = await fetch(`${url}/metrics`);
    if (!response.ok) return undefined;
    const sums = new Map<string, number>();
    const tickBuckets = new Map<number, number>();
    const wholeTickBuckets = new Map<number, number>();
    for (const line of (await response.text()).split("\n")) {
      const match = /^([a-z_]+)(?:\{([^}]*)\})? ([0-9.e+-]+|\+Inf|NaN)$/.exec(line);
      if (!match) continue;
      const value = Number(match[3]);
      sums.set(match[1], (sums.get(match[1]) ?? 0) + value);
      const buckets = match[1] === "arena_tick_duration_seconds_bucket" ? tickBuckets : match[1] === "arena_tick_with_patch_seconds_bucket" ? wholeTickBuckets : undefined;
      if (buckets) {
        const le = /le="([^"]+)"/.exec(match[2] ?? "")?.[1];
        if (le !== undefined) buckets.set(le === "+Inf" ? Infinity : Number(le), value);
      }
    }
    const patchBytes = sums.get("arena_patch_bytes_total");
    const tickSeconds = sums.get("arena_tick_duration_seconds_sum");
    const ticks = sums.get("arena_tick_duration_seconds_count");
    if (patchBytes === undefined || tickSeconds === undefined || ticks === undefined) return undefined;
    return {
      patchBytes, tickSeconds, ticks, tickBuckets, wholeTickBuckets,
      connectedClients: sums.get("arena_connected_clients") ?? 0,
      rooms: sums.get("arena_rooms") ?? 0,
      cpuSeconds: sums.get("process_cpu_seconds_total") ?? 0,
      residentBytes: sums.get("process_resident_memory_bytes") ?? 0,
      heapUsedBytes: sums.get("nodejs_heap_size_used_bytes") ?? 0,
    };
  } catch {
    return undefined;
  }
}

/**
 * The q-quantile (0…1) of the ticks observed between two scrapes, in seconds,
 * estimated from the histogram's buckets the way Prometheus'
 * `histogram_quantile` does: linear within the bucket the quantile falls in.
 * A quantile in the open last bucket answers the largest finite bound.
 * NaN when no tick was observed. `whole`: of the whole tick, patch included.
 */
export function tickQuantile(before: MetricsScrape, after: MetricsScrape, q: number, whole = false): number {
  const bucketsOf = (scrape: MetricsScrape) => (whole ? scrape.wholeTickBuckets : scrape.tickBuckets);
  const bounds = [...bucketsOf(after).keys()].sort((a, b) => a - b);
  const counts = bounds.map((bound) => (bucketsOf(after).get(bound) ?? 0) - (bucketsOf(before).get(bound) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (!(total > 0)) return Number.NaN;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (counts[i] < rank) continue;
    if (bounds[i] === Infinity) return bounds[i - 1] ?? Number.NaN;
    const lower = i === 0 ? 0 : bounds[i - 1];
    const below = i === 0 ? 0 : counts[i - 1];
    const inBucket = counts[i] - below;
    return inBucket > 0 ? lower + (bounds[i] - lower) * ((rank - below) / inBucket) : bounds[i];
  }
  return bounds[bounds.length - 2] ?? Number.NaN;
}

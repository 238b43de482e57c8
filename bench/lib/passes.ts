import type { LoadResult } from "./load.ts";

/** Each server's kept measurement, and the server CPU per client of every pass, in order. */
export interface BestOfPasses<K extends string> {
  best: Record<K, LoadResult>;
  cpuPerPass: Record<K, number[]>;
}

/**
 * Best of several passes: each pass measures every server once, in turn,
 * and each server keeps its pass with the least server CPU per client. The
 * machine's other work (another tenant of the host, the hypervisor) only
 * ever adds CPU time to a measurement, in bursts that can fill a whole one:
 * a one-room baseline once measured 83 % of its time in the kernel against
 * its usual 28 %, and its Arena / floor ratio said nothing. The least of
 * measurements taken apart in time is the least disturbed, and alternating
 * the servers lays a burst over different servers' passes rather than over
 * every pass of one. The bench's own in-process tick cost keeps the best of
 * three passes for the same reason.
 */
export async function bestOfPasses<K extends string>(
  kinds: readonly K[],
  passes: number,
  measure: (kind: K, pass: number) => Promise<LoadResult>,
): Promise<BestOfPasses<K>> {
  if (!(Number.isInteger(passes) && passes >= 1)) throw new Error("bestOfPasses needs at least one pass");
  const runs = new Map<K, LoadResult[]>(kinds.map((kind) => [kind, []]));
  for (let pass = 0; pass < passes; pass++) {
    for (const kind of kinds) runs.get(kind)!.push(await measure(kind, pass));
  }
  const best = {} as Record<K, LoadResult>;
  const cpuPerPass = {} as Record<K, number[]>;
  for (const [kind, measured] of runs) {
    best[kind] = measured.reduce((kept, run) => (run.serverCpuMicrosPerClientSecond < kept.serverCpuMicrosPerClientSecond ? run : kept));
    cpuPerPass[kind] = measured.map((run) => run.serverCpuMicrosPerClientSecond);
  }
  return { best, cpuPerPass };
}

/** Rolling sums for the net graph's rates (client/net/netstats.ts). No DOM. */

/** Width of one counting bucket: rates over a window are exact to about this much. */
const BUCKET_MS = 100; // ms
/** The longest window kept. */
export const SPAN_MS = 60_000; // ms

/**
 * Sums of a quantity over rolling windows up to {@link SPAN_MS}, in
 * {@link BUCKET_MS} buckets: constant memory however much traffic passes.
 */
export class RollingCounter {
  private readonly sums: Float64Array;
  /** Which bucket number each slot holds; a slot holding an older one is stale. */
  private readonly ids: Float64Array;

  constructor() {
    const slots = Math.ceil(SPAN_MS / BUCKET_MS) + 1;
    this.sums = new Float64Array(slots);
    this.ids = new Float64Array(slots).fill(-1);
  }

  add(at: number, amount: number): void {
    const id = Math.floor(at / BUCKET_MS);
    const slot = id % this.sums.length;
    if (this.ids[slot] !== id) {
      this.ids[slot] = id;
      this.sums[slot] = 0;
    }
    this.sums[slot] += amount;
  }

  /**
   * The amount per second over the `windowMs` before `now`, counting whole
   * buckets and dividing by the time they really cover (never before `since`,
   * when counting began), so the rate is exact to a bucket's share of the window.
   */
  rate(now: number, windowMs: number, since: number = -Infinity): number {
    const newest = Math.floor(now / BUCKET_MS);
    const oldest = Math.max(newest - Math.ceil(windowMs / BUCKET_MS) + 1, newest - this.sums.length + 1);
    let total = 0;
    for (let id = oldest; id <= newest; id++) {
      const slot = id % this.sums.length;
      if (this.ids[slot] === id) total += this.sums[slot];
    }
    const covered = Math.max(now - Math.max(oldest * BUCKET_MS, since), BUCKET_MS);
    return (total * 1000) / covered;
  }
}

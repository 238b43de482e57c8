/** Open connections per address, under a cap (0 = no cap). */
export class AddressCounter {
  private readonly limit: number;
  private readonly counts = new Map<string, number>();

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Counts one more connection from `address`; false (and not counted) when it would pass the cap. */
  open(address: string): boolean {
    const count = this.counts.get(address) ?? 0;
    if (this.limit > 0 && count >= this.limit) return false;
    this.counts.set(address, count + 1);
    return true;
  }

  close(address: string): void {
    const count = (this.counts.get(address) ?? 0) - 1;
    if (count > 0) this.counts.set(address, count);
    else this.counts.delete(address);
  }
}

/**
 * At most `perWindow` events per address per `windowSeconds`, as a token
 * bucket: a burst of `perWindow` at once, then one more every
 * `windowSeconds / perWindow`. `perWindow` 0 = no limit. Idle addresses are
 * forgotten, so memory follows the addresses active in the last window.
 */
export class AddressRateLimit {
  private readonly perWindow: number;
  private readonly refillPerMs: number;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;
  private readonly pruning: NodeJS.Timeout | undefined;

  constructor(perWindow: number, windowSeconds: number, now: () => number = Date.now) {
    this.perWindow = perWindow;
    this.refillPerMs = perWindow / (windowSeconds * 1000);
    this.now = now;
    if (perWindow > 0) {
      this.pruning = setInterval(() => this.prune(), windowSeconds * 1000);
      this.pruning.unref();
    }
  }

  /** Takes one event for `address`: 0 if allowed, else how many seconds until one will be. */
  take(address: string): number {
    if (this.perWindow === 0) return 0;
    const now = this.now();
    const bucket = this.buckets.get(address) ?? { tokens: this.perWindow, at: now };
    bucket.tokens = Math.min(this.perWindow, bucket.tokens + (now - bucket.at) * this.refillPerMs);
    bucket.at = now;
    this.buckets.set(address, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000));
  }

  close(): void {
    clearInterval(this.pruning);
  }

  /** Forgets buckets that have refilled completely: they behave exactly like absent ones. */
  private prune(): void {
    const now = this.now();
    for (const [address, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.refillPerMs >= this.perWindow) this.buckets.delete(address);
    }
  }
}

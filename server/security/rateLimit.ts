/**
 * At most `perWindow` events per key per `windowSeconds` on average, as a
 * token bucket: a burst of `perWindow` at once, then one more every
 * `windowSeconds / perWindow`. `perWindow` 0 = no limit. Keys whose bucket has
 * refilled are forgotten, so memory follows the keys active in the last
 * window. The one rate limiter of the server: joins per address, chat lines
 * per client.
 */
export class RateLimit {
  private readonly perWindow: number;
  private readonly refillPerMs: number;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;
  private readonly pruning: ReturnType<typeof setInterval> | undefined;

  constructor(perWindow: number, windowSeconds: number, now: () => number = Date.now) {
    this.perWindow = perWindow;
    this.refillPerMs = perWindow / (windowSeconds * 1000);
    this.now = now;
    if (perWindow > 0) {
      this.pruning = setInterval(() => this.prune(), windowSeconds * 1000);
      this.pruning.unref?.();
    }
  }

  /** Takes one event for `key`: 0 if allowed, else how many whole seconds (at least 1) until one will be. */
  take(key: string): number {
    if (this.perWindow === 0) return 0;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perWindow, at: now };
    bucket.tokens = Math.min(this.perWindow, bucket.tokens + (now - bucket.at) * this.refillPerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000));
  }

  /** Forgets `key` at once (a client that left). */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  close(): void {
    clearInterval(this.pruning);
  }

  /** Forgets buckets that have refilled completely: they behave exactly like absent ones. */
  private prune(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.refillPerMs >= this.perWindow) this.buckets.delete(key);
    }
  }
}

import type { Log } from "../log.ts";

/** How the queue retries: the first wait, doubled after each failure up to the longest. */
export interface RetryPolicy {
  /** Results held at most; one more is dropped and logged. */
  limit: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, "limit"> = { firstDelayMs: 250, maxDelayMs: 30_000 };

/**
 * Match results on their way to the database. `submit` never waits and never
 * throws: the room's tick hands a result over and goes on. Results are written
 * one at a time, oldest first; when a write fails (the database is down) the
 * queue waits and tries the same result again, the wait doubling up to
 * `maxDelayMs`. Nothing is lost while fewer than `limit` results wait; past
 * that, a new result is dropped with an error in the log.
 */
export class ResultQueue<Item extends { id: string }> {
  private readonly items: Item[] = [];
  private readonly write: (item: Item) => Promise<void>;
  private readonly policy: RetryPolicy;
  private readonly log: Log;
  private delayMs: number;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private idle: Array<() => void> = [];
  private closed = false;

  constructor(write: (item: Item) => Promise<void>, policy: RetryPolicy, log: Log) {
    this.write = write;
    this.policy = policy;
    this.log = log;
    this.delayMs = policy.firstDelayMs;
  }

  /** Results waiting to be written (including the one being written). */
  get pending(): number {
    return this.items.length;
  }

  /** Queues a result; false (and an error logged) when the queue is full or closed. */
  submit(item: Item): boolean {
    if (this.closed || this.items.length >= this.policy.limit) {
      this.log.error("match result dropped: the database has been unreachable too long", { matchId: item.id, waiting: this.items.length, limit: this.policy.limit });
      return false;
    }
    this.items.push(item);
    if (!this.running && this.timer === undefined) setImmediate(() => void this.drain());
    return true;
  }

  /** Resolves once nothing is waiting (at once if nothing is). */
  whenIdle(): Promise<void> {
    if (this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Stops taking results; gives the ones waiting up to `graceMs` to be
   * written, then logs what is left (it would be lost with the process).
   */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    if (this.items.length > 0) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
        void this.drain();
      }
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([this.whenIdle(), new Promise<void>((resolve) => { timeout = setTimeout(resolve, graceMs); })]);
      clearTimeout(timeout);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length > 0) this.log.error("match results not written before shutdown", { matchIds: this.items.map((item) => item.id) });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.timer = undefined;
    while (this.items.length > 0) {
      const item = this.items[0]!;
      try {
        await this.write(item);
      } catch (error) {
        if (!this.failing) this.log.warn("match results waiting: the database is unreachable", { matchId: item.id, error: error instanceof Error ? error.message : String(error) });
        this.failing = true;
        this.running = false;
        this.timer = setTimeout(() => void this.drain(), this.delayMs);
        this.timer.unref();
        this.delayMs = Math.min(this.delayMs * 2, this.policy.maxDelayMs);
        return;
      }
      this.items.shift();
      if (this.failing) this.log.warn("database reachable again: waiting match results written", { waiting: this.items.length });
      this.failing = false;
      this.delayMs = this.policy.firstDelayMs;
    }
    this.running = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

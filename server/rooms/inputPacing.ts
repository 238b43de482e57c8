import { INPUT_CATCHUP_TICKS } from "../../shared/constants.ts";

/** Ticks over which a player's input queue must stay non-empty to count as a standing backlog. */
const BACKLOG_WINDOW_TICKS = 15; // ticks (0.5 s at 30 Hz)

/** The part of Colyseus' per-client input accessor that pacing needs. */
export interface InputQueue<I> {
  readonly size: number;
  /** The oldest input, consumed; undefined when there is none. */
  next(): I | undefined;
  take(count: number): I[];
  /** Render-time stamp of the input taken last (Colyseus' lag-compensation stamp; 0 when unknown). */
  readonly renderTime?: number;
  /**
   * Inputs consumed so far, counting those the buffer discarded by itself
   * (Colyseus' accessor: overflow drops the oldest, `clear()` empties it).
   */
  readonly consumedCount?: number;
}

/** Why inputs that arrived were never applied (see `InputCounts.inputsDropped`). */
export type InputDropReason = "backlog" | "buffer" | "spectator";

/** Where what becomes of received inputs is reported (the server's metrics). */
export interface InputCounts {
  /**
   * Inputs that entered the player's buffer, each once: an input comes in
   * several packets when the client sends Colyseus' redundant ring, and the
   * buffer takes the first copy only.
   */
  inputsReceived(count: number): void;
  inputsApplied(count: number): void;
  /**
   * `backlog`: trimmed by a pacer as a standing backlog; `buffer`: discarded by
   * the input buffer before a pacer took them (overflow, or still pending when
   * the connection dropped); `spectator`: sent by a spectator, refused.
   */
  inputsDropped(reason: InputDropReason, count: number): void;
}

const UNCOUNTED: InputCounts = { inputsReceived: () => undefined, inputsApplied: () => undefined, inputsDropped: () => undefined };

/**
 * Decides how many of one player's buffered inputs the simulation applies each
 * tick. Colyseus' input buffer offers the primitives (`take(n)`, bounded size,
 * overflow drops the oldest); the pacing policy on top is the game's own:
 *
 * - Credit: each tick earns one input, banked up to INPUT_CATCHUP_TICKS. After
 *   a network stall the late inputs catch up within a few ticks; a client that
 *   sends faster than the tick rate still moves at one input per tick on
 *   average, so flooding inputs never makes anyone faster.
 * - Backlog: a queue that never empties over BACKLOG_WINDOW_TICKS is latency
 *   the player carries for nothing (arrival rate equals consumption rate, so it
 *   would never drain). Its standing part is dropped, oldest first; the
 *   acknowledgement still advances, so the client's reconciler corrects.
 */
export class InputPacer {
  private credit = 1;
  private windowTicks = 0;
  private windowMinDepth = Infinity;
  /** Inputs discarded as standing backlog so far. */
  dropped = 0;
  private readonly counts: InputCounts;
  /** The queue's `consumedCount` after the last tick, to tell what it discarded since. */
  private consumedAfterLastTick: number | undefined;
  private queuedAfterLastTick = 0;
  /** What `takeForTick` returns, refilled each tick (a room steps thousands of ticks a minute per player). */
  private readonly taken: unknown[] = [];

  /** `counts` hears what becomes of the inputs (the server's metrics). */
  constructor(counts: InputCounts = UNCOUNTED) {
    this.counts = counts;
  }

  /**
   * Inputs to simulate this tick, oldest first, each stamped with the server
   * time its sender was seeing (`viewMs`, from the queue's render time: a
   * catch-up burst spans several frames of the sender's view, and each shot
   * is judged by its own). The array is this pacer's, valid until its next
   * call: the tick uses it and lets go.
   */
  takeForTick<I extends { viewMs?: number }>(queue: InputQueue<I>): I[] {
    this.countArrived(queue);
    this.credit = Math.min(this.credit + 1, INPUT_CATCHUP_TICKS);
    const count = Math.min(this.credit, queue.size);
    this.credit -= count;
    const inputs = this.taken as I[];
    // Resized, not emptied and refilled: V8 gives an emptied array's storage back.
    if (inputs.length !== count) inputs.length = count;
    for (let i = 0; i < count; i++) {
      const input = queue.next()!;
      input.viewMs = queue.renderTime ?? 0;
      inputs[i] = input;
    }
    this.trimBacklog(queue);
    this.counts.inputsApplied(count);
    this.consumedAfterLastTick = queue.consumedCount;
    this.queuedAfterLastTick = queue.size;
    return inputs;
  }

  /**
   * Reports the inputs that entered the queue since the last tick, and those
   * it consumed without this pacer (a first tick has no baseline: what is
   * queued then arrived, and whatever the queue discarded before is not this
   * player's, as when a spectator takes a seat).
   */
  private countArrived<I>(queue: InputQueue<I>): void {
    const consumed = queue.consumedCount;
    const before = this.consumedAfterLastTick;
    this.counts.inputsReceived(consumed !== undefined && before !== undefined ? consumed + queue.size - before - this.queuedAfterLastTick : queue.size);
    if (consumed !== undefined && before !== undefined && consumed > before) this.counts.inputsDropped("buffer", consumed - before);
  }

  private trimBacklog<I>(queue: InputQueue<I>): void {
    this.windowMinDepth = Math.min(this.windowMinDepth, queue.size);
    if (++this.windowTicks < BACKLOG_WINDOW_TICKS) return;
    const standing = Math.min(this.windowMinDepth, queue.size);
    if (standing > 0) {
      queue.take(standing);
      this.dropped += standing;
      this.counts.inputsDropped("backlog", standing);
    }
    this.windowTicks = 0;
    this.windowMinDepth = Infinity;
  }
}

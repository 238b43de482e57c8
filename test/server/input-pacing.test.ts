import { describe, expect, it } from "vitest";
import { INPUT_BUFFER_TICKS, INPUT_CATCHUP_TICKS } from "../../shared/constants.ts";
import { InputPacer, type InputCounts, type InputQueue } from "../../server/rooms/inputPacing.ts";

/** An input as the test sends it: its sequence number and the server time its sender was seeing. */
interface SentInput {
  seq: number;
  renderTime: number;
  viewMs?: number;
}

/**
 * A bounded FIFO that drops its oldest entry on overflow and counts it
 * consumed, and reports the render time of the input taken last, like
 * Colyseus' input buffer.
 */
class BoundedQueue implements InputQueue<SentInput> {
  private readonly items: SentInput[] = [];
  private readonly capacity: number;
  consumedCount = 0;
  renderTime = 0;
  constructor(capacity: number) {
    this.capacity = capacity;
  }
  push(item: SentInput) {
    this.items.push(item);
    if (this.items.length > this.capacity) {
      this.items.shift();
      this.consumedCount++;
    }
  }
  get size() {
    return this.items.length;
  }
  next() {
    return this.take(1)[0];
  }
  take(count: number) {
    const taken = this.items.splice(0, count);
    this.consumedCount += taken.length;
    if (taken.length > 0) this.renderTime = taken[taken.length - 1].renderTime;
    return taken;
  }
}

/** Runs `ticks` ticks; `arrivals(tick)` inputs arrive before each. Returns inputs applied per tick. */
function simulate(ticks: number, arrivals: (tick: number) => number, counts?: InputCounts) {
  const pacer = new InputPacer(counts);
  const queue = new BoundedQueue(INPUT_BUFFER_TICKS);
  const applied: number[] = [];
  const depth: number[] = [];
  let seq = 0;
  for (let tick = 0; tick < ticks; tick++) {
    for (let i = 0; i < arrivals(tick); i++) queue.push({ seq: seq++, renderTime: 1000 + seq });
    applied.push(pacer.takeForTick(queue).length);
    depth.push(queue.size);
  }
  return { applied, depth, pacer, queue, received: seq };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe("input pacing", () => {
  it("applies one input per tick to a client that sends one per tick", () => {
    const { applied, pacer } = simulate(300, () => 1);
    expect(applied.every((n) => n === 1)).toBe(true);
    expect(pacer.dropped).toBe(0);
  });

  it("never lets a flooding client apply more than one input per tick on average", () => {
    const ticks = 300;
    const { applied } = simulate(ticks, () => 10);
    expect(sum(applied)).toBeLessThanOrEqual(ticks + INPUT_CATCHUP_TICKS);
    expect(Math.max(...applied)).toBeLessThanOrEqual(INPUT_CATCHUP_TICKS);
  });

  it("catches up a burst after a stall within a few ticks, losing nothing", () => {
    // The inputs of ticks 0–2 arrive together at tick 2, then one per tick again.
    const { applied, pacer } = simulate(60, (tick) => (tick < 2 ? 0 : tick === 2 ? 3 : 1));
    expect(sum(applied)).toBe(3 + 57);
    expect(applied.slice(2, 5)).toEqual([3, 1, 1]);
    expect(pacer.dropped).toBe(0);
  });

  it("stamps each input of a catch-up burst with what its own sender saw, for lag compensation", () => {
    const pacer = new InputPacer();
    const queue = new BoundedQueue(INPUT_BUFFER_TICKS);
    pacer.takeForTick(queue); // a tick with nothing: credit for the burst
    pacer.takeForTick(queue);
    for (const seq of [0, 1, 2]) queue.push({ seq, renderTime: 500 + seq * 33 });
    const taken = pacer.takeForTick(queue);
    expect(taken.map((input) => [input.seq, input.viewMs])).toEqual([[0, 500], [1, 533], [2, 566]]);
  });

  it("drops a standing backlog that would otherwise delay every input for good", () => {
    // A burst of 6 up front, then exactly one per tick: without trimming the queue would stay 5 deep forever.
    const { depth, pacer } = simulate(120, (tick) => (tick === 0 ? 6 : 1));
    expect(pacer.dropped).toBeGreaterThan(0);
    expect(Math.max(...depth.slice(60))).toBeLessThanOrEqual(1);
  });

  it("reports every input that arrived, and every one it applies or drops (metrics): backlog trims, and overflow the buffer discarded", () => {
    const reported = { received: 0, applied: 0, backlog: 0, buffer: 0, spectator: 0 };
    const counts: InputCounts = {
      inputsReceived: (count) => { reported.received += count; },
      inputsApplied: (count) => { reported.applied += count; },
      inputsDropped: (reason, count) => { reported[reason] += count; },
    };
    // A flood overflows the buffer; then one per tick over a standing backlog, which gets trimmed.
    const { applied, pacer, queue, received } = simulate(200, (tick) => (tick < 20 ? 10 : 1), counts);
    expect(reported.applied).toBe(sum(applied));
    expect(reported.backlog).toBe(pacer.dropped);
    expect(reported.backlog).toBeGreaterThan(0);
    expect(reported.buffer).toBeGreaterThan(0);
    expect(reported.applied + reported.backlog + reported.buffer + queue.size).toBe(received);
    // What is still queued after the last tick arrived after it.
    expect(reported.received).toBe(received - queue.size);
  });

  it("keeps a bursty but on-time client (3 inputs every 3 ticks, a 10 fps browser) without drops", () => {
    const { applied, pacer } = simulate(300, (tick) => (tick % 3 === 0 ? 3 : 0));
    expect(pacer.dropped).toBe(0);
    expect(sum(applied)).toBe(300);
  });
});

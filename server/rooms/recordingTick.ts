import type { PlayerInput } from "../../shared/protocol.ts";
import type { TickToWrite } from "../../shared/replay.ts";
import type { AppliedInput, RosterChange } from "../../shared/replayFormat.ts";

/**
 * The tick a match recorder fills and writes out, reused from tick to tick: it
 * lives from the room's `beforeStep` to its `afterStep`, which writes it out,
 * so a busy room allocates nothing per tick for its recording. Rewind answers
 * go into a buffer that only grows; each player's applied-input records are
 * kept and refilled.
 */
export class RecordingTick implements TickToWrite {
  readonly changes: RosterChange[] = [];
  readonly inputs = new Map<string, AppliedInput[]>();
  rewound = new Float64Array(1024);
  rewoundCount = 0;
  /** Per player, the records its ticks reuse (grown to the most inputs it ever had in a tick). */
  private readonly slots = new Map<string, { slots: AppliedInput[]; applied: AppliedInput[] }>();

  /** Player `id`'s inputs this tick, copied into its reused records (the room reuses its own buffers). */
  setInputs(id: string, queue: readonly PlayerInput[]): void {
    let player = this.slots.get(id);
    if (!player) this.slots.set(id, player = { slots: [], applied: [] });
    const { slots, applied } = player;
    // Resized, not emptied and refilled: V8 gives an emptied array's storage back.
    if (applied.length !== queue.length) applied.length = queue.length;
    for (let i = 0; i < queue.length; i++) {
      const slot = slots[i] ?? (slots[i] = { input: { moveX: 0, moveY: 0, aim: 0, fire: false }, lagMs: 0 });
      const from = queue[i];
      slot.input.moveX = from.moveX;
      slot.input.moveY = from.moveY;
      slot.input.aim = from.aim;
      slot.input.fire = from.fire;
      slot.lagMs = 0;
      applied[i] = slot;
    }
    this.inputs.set(id, applied);
  }

  /** Notes the lag compensation's rewind of input `index` of player `id`. */
  setLag(id: string, index: number, lagMs: number): void {
    const applied = this.inputs.get(id)?.[index];
    if (applied) applied.lagMs = lagMs;
  }

  /** Notes one rewound position the lag compensation answered. */
  addRewound(x: number, y: number): void {
    if (this.rewoundCount + 2 > this.rewound.length) {
      const grown = new Float64Array(this.rewound.length * 2);
      grown.set(this.rewound);
      this.rewound = grown;
    }
    this.rewound[this.rewoundCount++] = x;
    this.rewound[this.rewoundCount++] = y;
  }

  /** Player `id` left: its records go. */
  forget(id: string): void {
    this.slots.delete(id);
  }

  /** Ready for the next tick. */
  clear(): void {
    this.changes.length = 0;
    this.inputs.clear();
    this.rewoundCount = 0;
  }
}

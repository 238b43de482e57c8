/**
 * The bookkeeping behind things that fade in and out as they enter and leave
 * the state (the large mode sends only what is near a client's view): which
 * are shown, at what opacity, and what to draw of the ones that are gone
 * while they fade out. Pure: the opacities are plain fields that a Phaser
 * tween (or a test) moves; this only says when a fade starts and when a faded
 * thing is gone for good.
 */

/** One thing on screen: its opacity (0 … 1) and, while it fades out, what it looked like last. */
export interface Fading<T> {
  readonly id: string;
  /** Moved by the fade's tween. */
  alpha: number;
  /** True from the frame it left the state until it is forgotten (or comes back). */
  leaving: boolean;
  /** What was drawn of it last: a leaving thing is drawn so, fading. */
  last: T;
}

/** What changed in one `sync`: the fades to start. */
export interface FadeChanges<T> {
  /** New, or back while fading out: fade these in from their current opacity. */
  entered: Fading<T>[];
  /** Gone from the state: fade these out, then `forget` them. */
  left: Fading<T>[];
}

export class FadeBook<T> {
  private readonly shown = new Map<string, Fading<T>>();

  /**
   * Takes this frame's things (id → what is drawn of it): a new id enters at
   * opacity 0, a known one has its look updated, and one missing leaves
   * (keeping its last look). Returns the fades to start.
   */
  sync(present: ReadonlyMap<string, T>): FadeChanges<T> {
    const changes: FadeChanges<T> = { entered: [], left: [] };
    for (const [id, look] of present) {
      let entry = this.shown.get(id);
      if (!entry) {
        entry = { id, alpha: 0, leaving: false, last: look };
        this.shown.set(id, entry);
        changes.entered.push(entry);
      } else if (entry.leaving) {
        entry.leaving = false;
        changes.entered.push(entry);
      }
      entry.last = look;
    }
    for (const entry of this.shown.values()) {
      if (!entry.leaving && !present.has(entry.id)) {
        entry.leaving = true;
        changes.left.push(entry);
      }
    }
    return changes;
  }

  /** The entry of `id`, shown or leaving. */
  get(id: string): Fading<T> | undefined {
    return this.shown.get(id);
  }

  /** Every entry, shown or leaving. */
  all(): IterableIterator<Fading<T>> {
    return this.shown.values();
  }

  /** Opacity of `id` now (1 for a thing this book has not seen). */
  alpha(id: string): number {
    return this.shown.get(id)?.alpha ?? 1;
  }

  /** The things fading out, to draw at their last look. */
  *leaving(): IterableIterator<Fading<T>> {
    for (const entry of this.shown.values()) if (entry.leaving) yield entry;
  }

  /** Drops `entry` once its fade-out ended, unless it came back meanwhile. Returns true when it was dropped. */
  forget(entry: Fading<T>): boolean {
    if (!entry.leaving || this.shown.get(entry.id) !== entry) return false;
    this.shown.delete(entry.id);
    return true;
  }

  /** How many things the book holds, leaving ones included. */
  get size(): number {
    return this.shown.size;
  }

  clear(): void {
    this.shown.clear();
  }
}

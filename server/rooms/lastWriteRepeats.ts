/** A schema instance's way to mark a field to be sent again unchanged. */
interface Repeatable {
  setDirty(field: string): void;
}

/** How long a field's last value keeps being repeated once it has stopped changing. */
export const LAST_WRITE_REPEAT_MS = 100; // ms

/**
 * Repeats the last value of a field on the unreliable channel for a few
 * patches after it has stopped changing. Colyseus sends an `@unreliable`
 * field only when it changes, so when the datagram that carried a player's
 * last position is lost, the player would stay drawn where the previous one
 * put it until it moves again. With the last value sent again in each patch
 * of the following LAST_WRITE_REPEAT_MS, a client has it within that time
 * unless every one of those datagrams is lost too. A field that keeps
 * changing costs nothing more: it is sent anyway.
 *
 * Chosen over a periodic keyframe of every unreliable field (which pays for
 * every player every few patches, moving or not) and over a reliable copy
 * sent when a player stops (which a held-back TCP stream could deliver after
 * newer datagrams, putting the player back): see docs/netcode.md.
 */
export class LastWriteRepeats<T extends object> {
  private readonly fields: readonly (keyof T & string)[];
  private readonly repeatTicks: number;
  private readonly lines = new Map<T, { last: number[]; left: number[] }>();

  /**
   * `fields` of each schema instance, numbers all; `repeatTicks`: for how many of
   * the room's ticks after its last change a field is sent again (the patches
   * of LAST_WRITE_REPEAT_MS, see `repeatTicksFor`).
   */
  constructor(fields: readonly (keyof T & string)[], repeatTicks: number) {
    this.fields = fields;
    this.repeatTicks = repeatTicks;
  }

  /** Call after each tick's writes to `instance`: a field unchanged since the last call is marked to be sent again, while its repeats last. */
  written(instance: T): void {
    let line = this.lines.get(instance);
    if (!line) {
      // A new instance goes out whole, reliably, with its ADD: nothing to repeat yet.
      this.lines.set(instance, line = { last: this.fields.map((field) => instance[field] as number), left: this.fields.map(() => 0) });
      return;
    }
    for (let i = 0; i < this.fields.length; i++) {
      const value = instance[this.fields[i]] as number;
      if (value !== line.last[i]) {
        line.last[i] = value;
        line.left[i] = this.repeatTicks;
      } else if (line.left[i] > 0) {
        line.left[i]--;
        (instance as unknown as Repeatable).setDirty(this.fields[i]);
      }
    }
  }

  /** `instance` left the state. */
  forget(instance: T): void {
    this.lines.delete(instance);
  }
}

/**
 * Ticks over which LAST_WRITE_REPEAT_MS of patches go out: a repeat marked on
 * a tick without a patch leaves with the next patch, so the repeats span every
 * patch within LAST_WRITE_REPEAT_MS of the last change (3 at 30 patches a
 * second, 2 at 20), and no later one.
 */
export function repeatTicksFor(tickHz: number, patchHz: number): number {
  const patches = Math.max(1, Math.floor((LAST_WRITE_REPEAT_MS * patchHz) / 1000));
  return Math.floor((patches * tickHz) / patchHz);
}

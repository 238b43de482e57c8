/**
 * A Map's entries listed once into arrays, for the many walks over them that
 * follow within a tick: every bot walks the players and the projectiles, and
 * every shot in flight walks the players. A walk over arrays costs about a
 * third of a walk over the Map (`Map.prototype.forEach`). Entries keep the
 * Map's order, so a walk meets them exactly as the Map's own would.
 */
import type { SeenCollection } from "./botView.ts";

export class EntryList<T> implements SeenCollection<T> {
  /** The entries' ids and values as last listed, in the Map's order. */
  readonly ids: string[] = [];
  readonly values: T[] = [];
  #source: ReadonlyMap<string, T> = new Map();
  #count = 0;

  /** Lists the entries of `source` afresh: call whenever it may have changed, before the walks. */
  relist(source: ReadonlyMap<string, T>): void {
    this.#source = source;
    this.#count = 0;
    source.forEach(this.#add);
    // Overwritten in place and cut only when shorter (emptying an array lets go of its storage).
    if (this.values.length !== this.#count) {
      this.ids.length = this.#count;
      this.values.length = this.#count;
    }
  }

  /** The entry of the Map last listed, as it is now. */
  get(id: string): T | undefined {
    return this.#source.get(id);
  }

  /** Visits the entries as last listed. */
  forEach(callback: (value: T, id: string) => void): void {
    const { ids, values } = this;
    for (let i = 0; i < values.length; i++) callback(values[i]!, ids[i]!);
  }

  readonly #add = (value: T, id: string): void => {
    this.ids[this.#count] = id;
    this.values[this.#count++] = value;
  };
}

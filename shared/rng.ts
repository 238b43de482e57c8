/**
 * Seeded randomness. Every random choice in the game is derived from
 * `(matchSeed, tick, salt)`, so server, client and replays agree to the bit
 * without anything extra on the wire, and no `Math.random` is ever needed.
 */

/** A generator of floats in [0, 1). */
export type Random = () => number;

/** Mulberry32: tiny, fast, good enough for gameplay; 32-bit state. */
export function mulberry32(seed: number): Random {
  return new RandomStream(seed).next;
}

/**
 * A Mulberry32 generator that can be restarted in place: after
 * `restart(matchSeed, tick, salt)` it draws exactly what `randomFor` with the
 * same arguments would. For callers that want one per player per tick, where
 * a new generator each time adds up.
 */
export class RandomStream {
  /** A field, not a closure's variable: a 32-bit state does not fit a small integer, and each write to a closure's would box it. */
  #state: number;

  constructor(seed = 0) {
    this.#state = seed >>> 0;
  }

  /** Draws the next float in [0, 1). */
  readonly next: Random = () => {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  /** Starts the sequence of `randomFor(matchSeed, tick, salt)`; returns `next`. */
  restart(matchSeed: number, tick: number, salt: number): Random {
    this.#state = seedFor(matchSeed, tick, salt);
    return this.next;
  }
}

/** FNV-1a hash of a string to an unsigned 32-bit integer (for salts such as a player id). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The seed every mix starts from. */
const MIX_START = 0x9e3779b9;

/** Mixes several 32-bit values into one seed (murmur3's finaliser after each). */
export function deriveSeed(...parts: number[]): number {
  let h = MIX_START;
  for (const part of parts) h = mix(h, part);
  return h >>> 0;
}

/** One step of `deriveSeed`: `part` mixed into `h`. */
function mix(h: number, part: number): number {
  h ^= part >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A generator for one decision: the same `(seed, tick, salt)` always gives the
 * same sequence. (`deriveSeed(matchSeed, tick, salt)`, spelt out: the bots ask
 * for one per bot per tick, and a rest parameter's array each time adds up.)
 */
export function randomFor(matchSeed: number, tick: number, salt: number): Random {
  return mulberry32(seedFor(matchSeed, tick, salt));
}

function seedFor(matchSeed: number, tick: number, salt: number): number {
  return mix(mix(mix(MIX_START, matchSeed), tick), salt) >>> 0;
}

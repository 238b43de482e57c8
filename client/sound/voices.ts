/** One playable instance of a sound: a Phaser sound, or a stand-in in tests. */
export interface Voice {
  readonly isPlaying: boolean;
}

/**
 * A fixed set of voices for one sound, which caps how many copies of it can
 * sound at once (sixteen players firing must not stack sixty shots). A new
 * sound takes a free voice, else steals the one started longest ago; when
 * every voice started within `minStealMs`, the new sound is dropped instead:
 * a copy that just began is not worth cutting for one that would cut it next.
 */
export class VoicePool<V extends Voice> {
  private readonly voices: readonly V[];
  private readonly startedAt: number[];
  private readonly minStealMs: number;

  /** `voices`: at least one. `minStealMs`: how young a voice may be and still be stolen (ms). */
  constructor(voices: readonly V[], minStealMs: number) {
    if (voices.length === 0) throw new Error("A voice pool needs at least one voice.");
    this.voices = voices;
    this.startedAt = voices.map(() => -Infinity);
    this.minStealMs = minStealMs;
  }

  /** The voice to start now (`now` in ms), or `undefined` when the sound should be dropped. */
  take(now: number): V | undefined {
    let oldest = 0;
    for (let i = 0; i < this.voices.length; i++) {
      if (!this.voices[i].isPlaying) return this.claim(i, now);
      if (this.startedAt[i] < this.startedAt[oldest]) oldest = i;
    }
    if (now - this.startedAt[oldest] < this.minStealMs) return undefined;
    return this.claim(oldest, now);
  }

  /** How many voices are sounding now. */
  get playing(): number {
    let count = 0;
    for (const voice of this.voices) if (voice.isPlaying) count++;
    return count;
  }

  /** Every voice, for releasing them. */
  get all(): readonly V[] {
    return this.voices;
  }

  private claim(index: number, now: number): V {
    this.startedAt[index] = now;
    return this.voices[index];
  }
}

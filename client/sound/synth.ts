import { mulberry32, type Random } from "../../shared/rng.ts";

/**
 * Every sound of the game, made from numbers: no file is fetched. Each one is
 * rendered once, sample by sample, into a mono `Float32Array` (oscillators
 * with pitch sweeps, seeded noise, one-pole filters and envelopes), which the
 * sound layer copies into an `AudioBuffer`. Pure and deterministic (the noise
 * is seeded), so it is tested in Node; rendering all of them takes a few
 * milliseconds.
 *
 * Sample by sample rather than through an OfflineAudioContext: it needs no
 * audio device or promise, gives the same samples on every browser, and the
 * sounds are simple enough that a node graph would add nothing.
 */

/** The game's sounds by name. */
export const SOUND_NAMES = [
  "shotOwn", "shot", "hitDealt", "hurt", "kill", "death", "respawn", "countdown", "go", "matchEnd",
] as const;

/** One of `SOUND_NAMES`. */
export type SoundName = (typeof SOUND_NAMES)[number];

/** Loudest sample of any rendered sound: headroom so several voices can sum without clipping much. */
export const PEAK = 0.8;

/** Renders `name` at `sampleRate` (Hz): mono samples in [−PEAK, PEAK]. */
export function renderSound(name: SoundName, sampleRate: number): Float32Array<ArrayBuffer> {
  const samples = RECIPES[name](new Tone(sampleRate, mulberry32(SEEDS[name])));
  return normalise(samples, sampleRate);
}

/** One seed per sound, so each noise is its own yet the same on every load. */
const SEEDS: Record<SoundName, number> = {
  shotOwn: 11, shot: 12, hitDealt: 13, hurt: 14, kill: 15, death: 16, respawn: 17, countdown: 18, go: 19, matchEnd: 20,
};

const RECIPES: Record<SoundName, (tone: Tone) => Float32Array<ArrayBuffer>> = {
  // A crack of noise over a falling square-ish chirp: bright, short, never tiring when repeated.
  shotOwn: (t) => t.mix(0.16, [
    (s) => t.noise(s, 6000) * t.decay(s, 0.035),
    (s) => 0.6 * t.soft(t.sweep(s, 0, 1100, 240, 0.09), 3) * t.decay(s, 0.05),
  ]),
  // Others' shots: the same idea, darker and duller so the own shot stands out.
  shot: (t) => t.mix(0.16, [
    (s) => t.noise(s, 2500) * t.decay(s, 0.04),
    (s) => 0.5 * t.soft(t.sweep(s, 0, 700, 160, 0.1), 2) * t.decay(s, 0.055),
  ]),
  // A hit that counted: a short high tick the shooter learns to wait for.
  hitDealt: (t) => t.mix(0.09, [
    (s) => t.sweep(s, 0, 1500, 2100, 0.06) * t.decay(s, 0.025),
    (s) => 0.3 * t.noise(s, 9000) * t.decay(s, 0.006),
  ]),
  // Being hit: a low thud with a muffled crunch.
  hurt: (t) => t.mix(0.22, [
    (s) => t.sweep(s, 0, 170, 55, 0.18) * t.decay(s, 0.08),
    (s) => 0.5 * t.noise(s, 900) * t.decay(s, 0.05),
  ]),
  // A kill: two rising bell notes.
  kill: (t) => t.mix(0.45, [
    (s) => t.note(s, 0, 0.2, 660),
    (s) => t.note(s, 0.1, 0.35, 990),
  ]),
  // The own death: a long falling growl that fades into noise.
  death: (t) => t.mix(0.8, [
    (s) => t.soft(t.sweep(s, 0, 420, 45, 0.75), 4) * 0.7 * t.decay(s, 0.3),
    (s) => 0.4 * t.noise(s, 1200) * t.decay(s, 0.25),
  ]),
  // Back in the game: a rising shimmer.
  respawn: (t) => t.mix(0.5, [
    (s) => t.sweep(s, 0, 330, 990, 0.45) * t.envelope(s, 0.03, 0.5),
    (s) => 0.35 * t.sweep(s, 0, 660, 1980, 0.45) * t.envelope(s, 0.03, 0.5),
  ]),
  countdown: (t) => t.mix(0.16, [(s) => t.note(s, 0, 0.15, 880)]),
  go: (t) => t.mix(0.45, [(s) => t.note(s, 0, 0.42, 1320), (s) => 0.4 * t.note(s, 0, 0.42, 1980)]),
  // The match is over: three falling notes.
  matchEnd: (t) => t.mix(1, [
    (s) => t.note(s, 0, 0.3, 784),
    (s) => t.note(s, 0.22, 0.52, 659),
    (s) => t.note(s, 0.44, 0.95, 523),
  ]),
};

/** Building blocks: each takes a sample index `s` and returns that sample of its signal. */
class Tone {
  readonly rate: number;
  private readonly random: Random;
  /** Filter memories and oscillator phases, one per call site of a layer (reset by `mix`). */
  private readonly memory: number[] = [];
  private slot = 0;

  constructor(rate: number, random: Random) {
    this.rate = rate;
    this.random = random;
  }

  /** Renders `seconds` of the sum of `layers`. */
  mix(seconds: number, layers: Array<(s: number) => number>): Float32Array<ArrayBuffer> {
    const out = new Float32Array(Math.ceil(seconds * this.rate));
    this.memory.length = 0;
    for (let s = 0; s < out.length; s++) {
      this.slot = 0;
      let sum = 0;
      for (const layer of layers) sum += layer(s);
      out[s] = sum;
    }
    return out;
  }

  /** White noise through a one-pole low-pass at `cutoff` Hz. */
  noise(_s: number, cutoff: number): number {
    const alpha = 1 - Math.exp((-2 * Math.PI * cutoff) / this.rate);
    const slot = this.slot++;
    const previous = this.memory[slot] ?? 0;
    const next = previous + alpha * (this.random() * 2 - 1 - previous);
    this.memory[slot] = next;
    return next;
  }

  /** A sine whose pitch glides exponentially from `from` to `to` Hz over `seconds`, starting at `start` s. */
  sweep(s: number, start: number, from: number, to: number, seconds: number): number {
    const slot = this.slot++;
    const t = s / this.rate - start;
    if (t < 0) return 0;
    const progress = Math.min(1, t / seconds);
    const frequency = from * Math.pow(to / from, progress);
    const phase = (this.memory[slot] ?? 0) + (2 * Math.PI * frequency) / this.rate;
    this.memory[slot] = phase;
    return Math.sin(phase);
  }

  /** A bell-like note of `frequency` Hz from `start` to `end` s: a sine with its octave, quick attack, exponential fade. */
  note(s: number, start: number, end: number, frequency: number): number {
    const t = s / this.rate - start;
    if (t < 0 || t > end - start) return 0;
    const fade = Math.exp(-t / ((end - start) / 4)) * Math.min(1, t / 0.004);
    return fade * (Math.sin(2 * Math.PI * frequency * t) + 0.25 * Math.sin(4 * Math.PI * frequency * t));
  }

  /** Exponential decay with time constant `tau` s, after a 2 ms attack (no click). */
  decay(s: number, tau: number): number {
    const t = s / this.rate;
    return Math.min(1, t / 0.002) * Math.exp(-t / tau);
  }

  /** Rises over `attack` s, then falls linearly to silence at `length` s. */
  envelope(s: number, attack: number, length: number): number {
    const t = s / this.rate;
    if (t < attack) return t / attack;
    return Math.max(0, 1 - (t - attack) / (length - attack));
  }

  /** Soft clipping with `drive`: rounds a sine towards a square, adding bite. */
  soft(value: number, drive: number): number {
    return Math.tanh(value * drive) / Math.tanh(drive);
  }
}

/** Scales to `PEAK` and fades the last 5 ms out, so no sound ends in a click. */
function normalise(samples: Float32Array<ArrayBuffer>, sampleRate: number): Float32Array<ArrayBuffer> {
  let peak = 0;
  for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
  const gain = peak > 0 ? PEAK / peak : 0;
  const tail = Math.min(samples.length, Math.round(0.005 * sampleRate));
  for (let s = 0; s < samples.length; s++) {
    const fromEnd = samples.length - 1 - s;
    samples[s] *= gain * (fromEnd < tail ? fromEnd / tail : 1);
  }
  return samples;
}

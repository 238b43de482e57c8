import { describe, expect, it } from "vitest";
import { FULL_VOLUME_DISTANCE, MAX_PAN, placeSound } from "../../client/sound/spatial.ts";
import { PEAK, renderSound, SOUND_NAMES } from "../../client/sound/synth.ts";
import { VoicePool } from "../../client/sound/voices.ts";

describe("sound placement", () => {
  it("plays a sound at the listener at full volume, centred", () => {
    expect(placeSound(400, 300, 400, 300)).toEqual({ pan: 0, volume: 1 });
    expect(placeSound(400 + FULL_VOLUME_DISTANCE, 300, 400, 300).volume).toBe(1);
  });

  it("pans by the side the sound is on, never fully into one ear", () => {
    expect(placeSound(600, 300, 400, 300).pan).toBeGreaterThan(0);
    expect(placeSound(200, 300, 400, 300).pan).toBeLessThan(0);
    expect(placeSound(1600, 300, 0, 300).pan).toBe(MAX_PAN);
    expect(placeSound(0, 300, 1600, 300).pan).toBe(-MAX_PAN);
    // Straight above or below: centred.
    expect(placeSound(400, 0, 400, 1200).pan).toBe(0);
  });

  it("grows quieter with distance, and stays audible across the arena", () => {
    const volumes = [200, 400, 800, 1600].map((d) => placeSound(400 + d, 300, 400, 300).volume);
    for (let i = 1; i < volumes.length; i++) expect(volumes[i]).toBeLessThan(volumes[i - 1]);
    const corner = placeSound(1600, 1200, 0, 0).volume;
    expect(corner).toBeGreaterThan(0.05);
    expect(corner).toBeLessThan(0.2);
  });

  it("writes into the object it is given", () => {
    const out = { pan: 0, volume: 0 };
    expect(placeSound(1000, 300, 400, 300, out)).toBe(out);
    expect(out.volume).toBeGreaterThan(0);
  });

  it("gives a silent centre for nonsense positions instead of NaN", () => {
    const placed = placeSound(Number.NaN, 0, 0, 0);
    expect(placed.pan).toBe(0);
    expect(Number.isNaN(placed.volume)).toBe(false);
  });
});

describe("synthesised sounds", () => {
  it.each(SOUND_NAMES)("renders %s: short, audible, within the headroom, ending in silence", (name) => {
    const samples = renderSound(name, 48_000);
    expect(samples.length).toBeGreaterThan(48_000 * 0.05);
    expect(samples.length).toBeLessThanOrEqual(48_000 * 1.2);
    let peak = 0;
    let energy = 0;
    for (const sample of samples) {
      expect(Number.isFinite(sample)).toBe(true);
      peak = Math.max(peak, Math.abs(sample));
      energy += sample * sample;
    }
    expect(peak).toBeCloseTo(PEAK, 5);
    expect(Math.sqrt(energy / samples.length)).toBeGreaterThan(0.02);
    expect(Math.abs(samples[samples.length - 1])).toBeLessThan(1e-3);
  });

  it("renders the same samples every time, at any sample rate", () => {
    expect(renderSound("shot", 44_100)).toEqual(renderSound("shot", 44_100));
    expect(renderSound("shot", 44_100).length).toBe(Math.ceil(0.16 * 44_100));
  });

  it("gives every sound its own voice", () => {
    const shot = renderSound("shot", 48_000);
    const own = renderSound("shotOwn", 48_000);
    expect(own).not.toEqual(shot);
  });
});

describe("voice cap", () => {
  const voices = (count: number) => Array.from({ length: count }, () => ({ isPlaying: false }));

  it("takes free voices first, then steals the one started longest ago", () => {
    const all = voices(3);
    const pool = new VoicePool(all, 40);
    const taken = [0, 100, 200].map((now) => {
      const voice = pool.take(now)!;
      voice.isPlaying = true;
      return voice;
    });
    expect(new Set(taken).size).toBe(3);
    expect(pool.playing).toBe(3);
    expect(pool.take(300)).toBe(taken[0]);
    expect(pool.take(400)).toBe(taken[1]);
    taken[2].isPlaying = false;
    expect(pool.take(410)).toBe(taken[2]);
  });

  it("never sounds more copies than it has voices: a volley in one frame is cut to the pool", () => {
    const all = voices(5);
    const pool = new VoicePool(all, 40);
    let started = 0;
    for (let shot = 0; shot < 60; shot++) {
      const voice = pool.take(1000);
      if (!voice) continue;
      voice.isPlaying = true;
      started++;
    }
    expect(started).toBe(5);
    expect(pool.playing).toBe(5);
  });

  it("refuses an empty pool", () => {
    expect(() => new VoicePool([], 40)).toThrow();
  });
});

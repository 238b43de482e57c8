import Phaser from "phaser";
import { settings } from "../settings.ts";
import { renderSound, SOUND_NAMES, type SoundName } from "./synth.ts";
import { VoicePool } from "./voices.ts";
import type { SoundProbe } from "../probe.ts";

/** How many copies of each sound may sound at once; the sum caps the game's voices. */
const VOICES: Record<SoundName, number> = {
  shotOwn: 3, shot: 5, hitDealt: 3, hurt: 2, kill: 2, death: 1, respawn: 1, countdown: 1, go: 1, matchEnd: 1,
};
/** A voice younger than this is not cut for a new copy of its sound: the new one is dropped. */
const MIN_STEAL_MS = 40; // ms

const cacheKey = (name: SoundName) => `arena.sound.${name}`;

/**
 * The game's sounds, played through Phaser's sound manager. At creation each
 * synthesised sound is copied into an AudioBuffer in Phaser's audio cache
 * (once per page) and given a small pool of Phaser sounds, its voices. Master
 * volume and mute follow the settings. Phaser's WebAudioSoundManager resumes
 * the AudioContext on the first gesture; until then the context is suspended
 * and `play` starts nothing, so nothing is queued to burst out at the first
 * click. Without Web Audio (Phaser's NoAudio or HTML5 manager) every call is
 * counted and nothing else happens.
 */
export class SoundBoard {
  private readonly manager: Phaser.Sound.BaseSoundManager;
  /** The context sounds play in; undefined without Web Audio, or if the sounds could not be made. */
  private readonly context: AudioContext | undefined;
  private readonly pools = new Map<SoundName, VoicePool<Phaser.Sound.BaseSound>>();
  /** The numbers for `window.arenaProbe.feel.sound`: one live object, counted in place and refreshed by `refresh`. */
  readonly stats: SoundProbe;
  /** Reused for every play: Phaser copies it into the sound's own config. */
  private readonly config: Phaser.Types.Sound.SoundConfig = { volume: 1, pan: 0, detune: 0 };
  private readonly unsubscribe: () => void;

  constructor(manager: Phaser.Sound.BaseSoundManager) {
    this.manager = manager;
    const webAudio = manager instanceof Phaser.Sound.WebAudioSoundManager ? manager : undefined;
    this.context = webAudio && this.createVoices(webAudio) ? webAudio.context : undefined;
    this.stats = {
      backend: this.context ? "webaudio" : "none", context: "none", requested: {}, started: {}, playing: 0, volume: 1, muted: false,
    };
    this.refresh();
    this.applySettings();
    this.unsubscribe = settings.onChange(() => this.applySettings());
  }

  /**
   * Plays `name` at `volume` (0 … 1, times the master volume), `pan`
   * (−1 left … 1 right) and `detune` (cents). Does nothing, and never throws,
   * before the first gesture, without Web Audio, or when every voice of the
   * sound has only just started.
   */
  play(name: SoundName, volume = 1, pan = 0, detune = 0): void {
    const { requested, started } = this.stats;
    requested[name] = (requested[name] ?? 0) + 1;
    if (!this.canPlay()) return;
    const voice = this.pools.get(name)?.take(performance.now());
    if (!voice) return;
    this.config.volume = volume;
    this.config.pan = pan;
    this.config.detune = detune;
    try {
      if (!voice.play(this.config)) return;
    } catch {
      // A context closed under us (the device went away): the game plays on without this sound.
      return;
    }
    started[name] = (started[name] ?? 0) + 1;
  }

  /** Brings `stats.context` and `stats.playing` up to date (cheap: once a frame is fine). */
  refresh(): void {
    let playing = 0;
    for (const pool of this.pools.values()) playing += pool.playing;
    this.stats.playing = playing;
    this.stats.context = this.context?.state ?? "none";
    this.stats.volume = this.manager.volume;
    this.stats.muted = this.manager.mute;
  }

  /** Releases the voices (the rendered buffers stay cached for the next match). */
  destroy(): void {
    this.unsubscribe();
    for (const pool of this.pools.values()) for (const voice of pool.all) this.manager.remove(voice);
    this.pools.clear();
  }

  private canPlay(): boolean {
    return this.context !== undefined && this.context.state === "running" && !this.manager.locked;
  }

  private applySettings(): void {
    this.manager.volume = settings.values.volume;
    this.manager.mute = settings.values.muted;
  }

  /** Renders the sounds into the cache (once per page) and makes their voices; false, silent, if the device refuses. */
  private createVoices(manager: Phaser.Sound.WebAudioSoundManager): boolean {
    try {
      this.addVoices(manager, manager.context);
      return true;
    } catch {
      for (const pool of this.pools.values()) for (const voice of pool.all) manager.remove(voice);
      this.pools.clear();
      return false;
    }
  }

  private addVoices(manager: Phaser.Sound.WebAudioSoundManager, context: AudioContext): void {
    const cache = manager.game.cache.audio;
    for (const name of SOUND_NAMES) {
      const key = cacheKey(name);
      if (!cache.exists(key)) {
        const samples = renderSound(name, context.sampleRate);
        const buffer = context.createBuffer(1, samples.length, context.sampleRate);
        buffer.copyToChannel(samples, 0);
        cache.add(key, buffer);
      }
      const voices = Array.from({ length: VOICES[name] }, () => manager.add(key));
      this.pools.set(name, new VoicePool<Phaser.Sound.BaseSound>(voices, MIN_STEAL_MS));
    }
  }
}

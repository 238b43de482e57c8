/**
 * The player's settings, kept in `localStorage` so they survive a reload:
 * master volume, mute, screen shake, the net graph and the fps/ping readout,
 * the frame rate cap, and the name last played under. Every value read back is checked, so a
 * damaged or hand-edited entry falls back to the default instead of breaking
 * the game. One instance per page (`settings`); scenes read it each frame or
 * subscribe to changes.
 */
export interface Settings {
  /** Master volume, 0 (silent) to 1. */
  volume: number;
  /** Mutes every sound without losing the volume. */
  muted: boolean;
  /** A short camera shake when the own player is hit. */
  screenShake: boolean;
  /** The net graph (F3 toggles it in game). */
  netGraph: boolean;
  /** Frame rate and ping in the corner of the HUD. */
  showStats: boolean;
  /** The most frames a second the game draws: 0 for as many as the display shows (see `FRAME_RATE_CAPS`). */
  frameRateCap: FrameRateCap;
  /** The name last played under ("" until one is typed). */
  name: string;
}

/**
 * The frame rate caps a player can choose: none (the display's own rate), 60,
 * or 30, which halves what drawing costs a phone's battery or a busy machine
 * (about a quarter of a page's CPU in Chromium drawing in software) while the
 * game's 30 Hz ticks, inputs included, go on as before.
 */
export const FRAME_RATE_CAPS = [0, 60, 30] as const;
export type FrameRateCap = (typeof FRAME_RATE_CAPS)[number];

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  volume: 0.7,
  muted: false,
  screenShake: true,
  netGraph: false,
  showStats: true,
  frameRateCap: 0,
  name: "",
};

const STORAGE_KEY = "arena.settings";
/** Where earlier versions kept the name alone; read once so a returning player keeps it. */
const LEGACY_NAME_KEY = "arena.name";

/** The storage a `SettingsStore` keeps its values in (`localStorage`, or a stand-in in tests). */
export interface SettingsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

type Listener = (settings: Readonly<Settings>, changed: ReadonlyArray<keyof Settings>) => void;

/** Reads, validates, changes and persists the settings; tells listeners what changed. */
export class SettingsStore {
  private current: Settings;
  private readonly listeners = new Set<Listener>();
  private readonly storage: SettingsStorage | undefined;

  constructor(storage: SettingsStorage | undefined) {
    this.storage = storage;
    this.current = load(storage);
  }

  get values(): Readonly<Settings> {
    return this.current;
  }

  /** The volume sounds should play at now: 0 when muted. */
  get effectiveVolume(): number {
    return this.current.muted ? 0 : this.current.volume;
  }

  /** Changes some settings (invalid values are ignored), saves them, and tells the listeners. */
  update(patch: Partial<Settings>): void {
    const next = sanitize({ ...this.current, ...patch }, this.current);
    const changed = (Object.keys(next) as Array<keyof Settings>).filter((key) => next[key] !== this.current[key]);
    if (changed.length === 0) return;
    this.current = next;
    save(this.storage, next);
    for (const listener of this.listeners) listener(next, changed);
  }

  /** Calls `listener` after every change; returns an unsubscribe. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function load(storage: SettingsStorage | undefined): Settings {
  const stored = readJson(storage, STORAGE_KEY);
  const legacyName = safeGet(storage, LEGACY_NAME_KEY);
  const base = legacyName !== null ? { ...DEFAULT_SETTINGS, name: legacyName } : DEFAULT_SETTINGS;
  return sanitize({ ...base, ...(isRecord(stored) ? stored : {}) }, base);
}

/** Keeps each field that has the right type and range; the rest come from `fallback`. */
function sanitize(candidate: Record<string, unknown>, fallback: Readonly<Settings>): Settings {
  const volume = candidate.volume;
  const name = candidate.name;
  return {
    volume: typeof volume === "number" && Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : fallback.volume,
    muted: typeof candidate.muted === "boolean" ? candidate.muted : fallback.muted,
    screenShake: typeof candidate.screenShake === "boolean" ? candidate.screenShake : fallback.screenShake,
    netGraph: typeof candidate.netGraph === "boolean" ? candidate.netGraph : fallback.netGraph,
    showStats: typeof candidate.showStats === "boolean" ? candidate.showStats : fallback.showStats,
    frameRateCap: FRAME_RATE_CAPS.find((cap) => cap === candidate.frameRateCap) ?? fallback.frameRateCap,
    name: typeof name === "string" ? name.slice(0, 64) : fallback.name,
  };
}

function readJson(storage: SettingsStorage | undefined, key: string): unknown {
  const text = safeGet(storage, key);
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Storage can throw (disabled cookies, a private window's quota): the game plays on with defaults. */
function safeGet(storage: SettingsStorage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function save(storage: SettingsStorage | undefined, values: Settings): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(values));
  } catch {
    // Full or forbidden storage: the settings hold for this page only.
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function browserStorage(): SettingsStorage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The page's settings. */
export const settings = new SettingsStore(browserStorage());

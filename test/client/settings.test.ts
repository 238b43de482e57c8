import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, SettingsStore, type SettingsStorage } from "../../client/settings.ts";

function memoryStorage(initial: Record<string, string> = {}): SettingsStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (key) => data[key] ?? null, setItem: (key, value) => { data[key] = value; } };
}

describe("settings", () => {
  it("starts from the defaults and keeps a change for the next page", () => {
    const storage = memoryStorage();
    const first = new SettingsStore(storage);
    expect(first.values).toEqual(DEFAULT_SETTINGS);
    first.update({ volume: 0.25, muted: true, screenShake: false, name: "Ada" });
    const next = new SettingsStore(storage);
    expect(next.values).toMatchObject({ volume: 0.25, muted: true, screenShake: false, name: "Ada" });
    expect(next.effectiveVolume).toBe(0);
  });

  it("falls back to the default for each damaged field, keeping the good ones", () => {
    const storage = memoryStorage({ "arena.settings": JSON.stringify({ volume: "loud", muted: 3, netGraph: true, showStats: null }) });
    expect(new SettingsStore(storage).values).toEqual({ ...DEFAULT_SETTINGS, netGraph: true });
    expect(new SettingsStore(memoryStorage({ "arena.settings": "{not json" })).values).toEqual(DEFAULT_SETTINGS);
  });

  it("clamps the volume and ignores values of the wrong type", () => {
    const store = new SettingsStore(memoryStorage());
    store.update({ volume: 7 });
    expect(store.values.volume).toBe(1);
    store.update({ volume: Number.NaN, muted: "yes" as unknown as boolean });
    expect(store.values).toMatchObject({ volume: 1, muted: false });
  });

  it("tells listeners which settings changed, and nothing when none did", () => {
    const store = new SettingsStore(memoryStorage());
    const seen: string[][] = [];
    const stop = store.onChange((_values, changed) => seen.push([...changed]));
    store.update({ muted: true, volume: DEFAULT_SETTINGS.volume });
    store.update({ muted: true });
    stop();
    store.update({ muted: false });
    expect(seen).toEqual([["muted"]]);
  });

  it("keeps a frame rate cap only from the offered ones (none, 60, 30)", () => {
    const store = new SettingsStore(memoryStorage());
    expect(store.values.frameRateCap).toBe(0);
    store.update({ frameRateCap: 30 });
    expect(store.values.frameRateCap).toBe(30);
    for (const wrong of [45, "30", -1, null]) store.update({ frameRateCap: wrong as unknown as 30 });
    expect(store.values.frameRateCap).toBe(30);
    const damaged = memoryStorage({ "arena.settings": JSON.stringify({ frameRateCap: 1000 }) });
    expect(new SettingsStore(damaged).values.frameRateCap).toBe(0);
  });

  it("takes the name an earlier version stored on its own", () => {
    expect(new SettingsStore(memoryStorage({ "arena.name": "Grace" })).values.name).toBe("Grace");
  });

  it("plays on with defaults when storage throws", () => {
    const broken: SettingsStorage = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("quota"); } };
    const store = new SettingsStore(broken);
    expect(store.values).toEqual(DEFAULT_SETTINGS);
    store.update({ volume: 0.5 });
    expect(store.values.volume).toBe(0.5);
  });
});

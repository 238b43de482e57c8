/**
 * Network conditions to simulate (see netsim.ts): the profile type, named
 * profiles, their limits, and reading one from a page's address. No DOM.
 */

/** Conditions to simulate. All zero is a perfect network (frames pass straight through). */
export interface NetworkProfile {
  /** Round-trip latency added, half on the way out and half on the way back (ms, ≥ 0). */
  latencyMs: number;
  /** Each direction's delay varies uniformly by ± this much per frame, never below 0 (ms, ≥ 0). */
  jitterMs: number;
  /** Chance per frame, in each direction, that its segment is lost and retransmitted (%, 0–50). */
  lossPercent: number;
}

/** Named profiles for tests, benchmarks and `?net=<name>`. */
export const NETWORK_PROFILES = {
  lan: { latencyMs: 5, jitterMs: 0, lossPercent: 0 },
  broadband: { latencyMs: 60, jitterMs: 10, lossPercent: 0 },
  mobile: { latencyMs: 150, jitterMs: 20, lossPercent: 2 },
  bad: { latencyMs: 250, jitterMs: 40, lossPercent: 5 },
} as const satisfies Record<string, NetworkProfile>;

export type NetworkProfileName = keyof typeof NETWORK_PROFILES;

/** Accepted ranges; beyond them the game is not playable and a stall would never end. */
export const PROFILE_LIMITS = {
  latencyMs: { min: 0, max: 5000 },
  jitterMs: { min: 0, max: 1000 },
  lossPercent: { min: 0, max: 50 },
} as const;

/**
 * What is wrong with `profile`, in a sentence, or undefined when it is valid:
 * every field a finite number inside {@link PROFILE_LIMITS}.
 */
export function validateNetworkProfile(profile: NetworkProfile): string | undefined {
  for (const field of Object.keys(PROFILE_LIMITS) as (keyof NetworkProfile)[]) {
    const { min, max } = PROFILE_LIMITS[field];
    const value = profile[field];
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      return `${field} must be a number from ${min} to ${max} (got ${String(value)})`;
    }
  }
  return undefined;
}

/** What the page asked for: a profile (or none), or a sentence for the player saying what was wrong. */
export type NetworkProfileRequest =
  | { ok: true; profile: NetworkProfile | undefined }
  | { ok: false; error: string };

/** Query parameters per profile field, with the unit the player types. */
const QUERY_FIELDS = [
  { param: "lag", field: "latencyMs", unit: "milliseconds of round trip" },
  { param: "jitter", field: "jitterMs", unit: "milliseconds" },
  { param: "loss", field: "lossPercent", unit: "percent" },
] as const;

/**
 * Reads a simulated network from a page's query string: `?lag=150&jitter=20&loss=2`
 * (round-trip ms, ± ms per direction, % per frame; any may be left out and is
 * then 0), or `?net=mobile` for a named profile whose fields the others
 * override. No parameter at all: no simulation. A bad value is refused with a
 * sentence fit to show the player, never an exception.
 */
export function parseNetworkProfile(search: string): NetworkProfileRequest {
  const query = new URLSearchParams(search);
  const named = query.get("net");
  const given = QUERY_FIELDS.filter(({ param }) => query.has(param));
  if (named === null && given.length === 0) return { ok: true, profile: undefined };

  let profile: NetworkProfile = { latencyMs: 0, jitterMs: 0, lossPercent: 0 };
  if (named !== null) {
    const key = named.trim().toLowerCase();
    if (!Object.hasOwn(NETWORK_PROFILES, key)) {
      return { ok: false, error: `Unknown network profile ?net=${named}: use one of ${Object.keys(NETWORK_PROFILES).join(", ")}.` };
    }
    profile = { ...NETWORK_PROFILES[key as NetworkProfileName] };
  }
  for (const { param, field, unit } of given) {
    const raw = query.get(param)!.trim();
    const value = raw === "" ? NaN : Number(raw);
    const { min, max } = PROFILE_LIMITS[field];
    if (!Number.isFinite(value) || value < min || value > max) {
      return { ok: false, error: `Network simulation off: ?${param}= must be a number of ${unit} from ${min} to ${max}, not "${raw}".` };
    }
    profile[field] = value;
  }
  return { ok: true, profile };
}

/** A short description for the net graph: "150 ms ±20, 2 % loss". */
export function describeNetworkProfile(profile: NetworkProfile): string {
  const jitter = profile.jitterMs > 0 ? ` ±${profile.jitterMs}` : "";
  const loss = profile.lossPercent > 0 ? `, ${profile.lossPercent} % loss` : "";
  return `${profile.latencyMs} ms${jitter}${loss}`;
}

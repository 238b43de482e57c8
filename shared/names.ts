import { NAME_MAX_LENGTH } from "./constants.ts";
import { mulberry32 } from "./rng.ts";

const ADJECTIVES = ["Swift", "Quiet", "Brave", "Lucky", "Sly", "Bold", "Keen", "Wild", "Calm", "Grim", "Neon", "Iron"];
const NOUNS = ["Fox", "Owl", "Wolf", "Lynx", "Hawk", "Viper", "Otter", "Raven", "Moth", "Bison", "Crane", "Shark"];

/**
 * A player's display name: the requested one trimmed, if it is 1–16 printable
 * characters (no control characters, no line breaks); otherwise `undefined`,
 * and the caller generates one.
 */
export function cleanName(requested: unknown): string | undefined {
  if (typeof requested !== "string") return undefined;
  const name = requested.trim();
  const length = [...name].length;
  if (length < 1 || length > NAME_MAX_LENGTH) return undefined;
  // \p{C} covers control, format, unassigned and private-use code points.
  if (/[\p{C}\p{Zl}\p{Zp}]/u.test(name)) return undefined;
  return name;
}

/** A generated name such as "Keen Otter 42", deterministic in `seed`. */
export function generatedName(seed: number): string {
  const random = mulberry32(seed);
  const adjective = ADJECTIVES[Math.floor(random() * ADJECTIVES.length)];
  const noun = NOUNS[Math.floor(random() * NOUNS.length)];
  return `${adjective} ${noun} ${Math.floor(random() * 90) + 10}`.slice(0, NAME_MAX_LENGTH);
}

import { randomInt } from "node:crypto";

/** Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L). */
export const ROOM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const ROOM_CODE_LENGTH = 5;

/** A random room code such as "K7RQ2": 31⁵ ≈ 28 million of them. */
export function newRoomCode(): string {
  let code = "";
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) code += ROOM_CODE_ALPHABET[randomInt(ROOM_CODE_ALPHABET.length)];
  return code;
}

/** A code as a person typed it, normalised (trimmed, upper case), or undefined if it cannot be one. */
export function normaliseRoomCode(typed: unknown): string | undefined {
  if (typeof typed !== "string") return undefined;
  const code = typed.trim().toUpperCase();
  if (code.length !== ROOM_CODE_LENGTH) return undefined;
  for (const character of code) if (!ROOM_CODE_ALPHABET.includes(character)) return undefined;
  return code;
}

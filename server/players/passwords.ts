import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** scrypt's cost: 2^15 × 8 × 128 B = 32 MiB and some tens of ms per check, which is what makes guessing slow. */
const COST: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A stored form of `password`: `scrypt$N$r$p$salt$key` (base64url), salted with 16 random bytes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** A hash of a password nobody has: checked when a username is unknown, so that answer takes as long as a wrong password. */
const NOBODY = hashPassword(randomBytes(24).toString("base64url"));

/**
 * Whether `password` matches `stored` (from `hashPassword`), compared in
 * constant time. With `stored` undefined (no such user) the same work is done
 * against a hash nobody matches and the answer is false.
 */
export async function checkPassword(password: string, stored: string | undefined): Promise<boolean> {
  const hash = stored ?? await NOBODY;
  const [scheme, n, r, p, salt, key] = hash.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  if (expected.length !== KEY_BYTES) return false;
  const actual = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p), maxmem: COST.maxmem });
  return timingSafeEqual(actual, expected) && stored !== undefined;
}

/**
 * What the player-data routes share: input schemas (valibot), the `{ error }`
 * answer, and who is asking (a profile secret or a join token bound to a
 * profile, as `Authorization: Bearer …`).
 */
import type { Request, Response } from "express";
import * as v from "valibot";
import type { PlayerRecords } from "../players/playerRecords.ts";
import { bearerToken } from "../security/authRoutes.ts";
import type { GuestTokens } from "../security/tokens.ts";
import type { Profile } from "../storage/profiles.ts";

/** A profile id as issued (a UUID); anything else is refused before it reaches the database. */
export const profileId = v.pipe(v.string(), v.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "Not a player id."));
/** A profile secret as issued: 32 bytes, base64url. */
export const profileSecret = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/));
/** A match id as the server makes them: room id (Colyseus' alphabet has `-` and `_`), seed and number (see `matchIdOf`). */
export const matchId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}-[a-z0-9]{1,8}-\d{1,9}$/, "Not a match id."));

/** 3–20 letters, digits, `_`, `.` or `-`: unambiguous to read and to type on a phone. */
export const username = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{3,20}$/, "A username is 3 to 20 letters, digits, '_', '.' or '-'."));
/** 8–128 characters; anything longer is hostile, not careful. */
export const password = v.pipe(v.string(), v.minLength(8, "A password has at least 8 characters."), v.maxLength(128, "A password has at most 128 characters."));

export const credentials = v.strictObject({ username, password });

/** Answers `{ error }` with `status`. */
export function refuse(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

/** The parsed value, or a 400 `{ error }` naming the first problem (undefined: already answered). */
export function parsed<T>(res: Response, schema: v.GenericSchema<unknown, T>, value: unknown, what: string): T | undefined {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const [issue] = result.issues;
  const path = v.getDotPath(issue);
  refuse(res, 400, `Invalid ${what}${path ? ` (${path})` : ""}: ${issue.message}`);
  return undefined;
}

/** The caller's address: the socket's, or the first X-Forwarded-For hop when the host trusts its proxy. */
export function addressOf(req: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/**
 * The profile the request speaks for: its bearer is a join token bound to a
 * profile, or a profile secret. Undefined (and 401 answered) otherwise.
 */
export async function callerProfile(req: Request, res: Response, records: PlayerRecords, tokens: GuestTokens): Promise<Profile | undefined> {
  const bearer = bearerToken(req);
  let profile: Profile | undefined;
  if (bearer) {
    const check = tokens.check(bearer);
    if (check.ok) {
      if (check.claims.profileId) profile = await records.profiles.byId(check.claims.profileId);
    } else if (v.is(profileSecret, bearer)) {
      profile = await records.profiles.bySecret(bearer);
    }
  }
  if (!profile) refuse(res, 401, "Send your profile secret (or a join token from a profile) as 'Authorization: Bearer <secret>'.");
  return profile;
}

import express from "express";
import * as v from "valibot";
import { cleanName } from "../../shared/names.ts";
import { checkPassword, hashPassword } from "../players/passwords.ts";
import type { PlayerRecords } from "../players/playerRecords.ts";
import { RateLimit } from "../security/rateLimit.ts";
import type { GuestTokens } from "../security/tokens.ts";
import { usernameKey, type Profile } from "../storage/profiles.ts";
import { addressOf, callerProfile, credentials, parsed, refuse } from "./requests.ts";

/** Login and claim attempts: per address, and per username whoever tries it (a spread-out guesser is held too). */
export interface AccountLimits {
  attemptsPerAddress: number;
  attemptsPerUsername: number;
  /** Profiles one address may create per window. */
  profilesPerAddress: number;
  windowSeconds: number;
}

export const DEFAULT_ACCOUNT_LIMITS: AccountLimits = { attemptsPerAddress: 20, attemptsPerUsername: 10, profilesPerAddress: 30, windowSeconds: 600 };

/** What accounts ask of moderation: why a profile may not log in, and whether a name may be kept. */
export interface AccountModeration {
  /** "banned until …: reason", or undefined. */
  banned?: (profileId: string) => string | undefined;
  /** False for a name the word filter masks. */
  acceptableName?: (name: string) => boolean;
}

/** Same words for an unknown username and a wrong password: the answer does not tell which usernames exist. */
const WRONG_CREDENTIALS = "Wrong username or password.";

/** What `GET /api/me` answers: the public profile plus what only its owner sees. */
function ownView(profile: Profile) {
  return { id: profile.id, name: profile.name, username: profile.username, claimed: profile.username !== null, createdAt: profile.createdAt, totals: profile.totals };
}

/**
 * Profiles and accounts:
 * `POST /auth/profile` `{ name? }` → 201 `{ id, name, secret }` (a new profile; the browser keeps the secret);
 * `POST /auth/claim` (Bearer) `{ username, password }` → `{ id, username }`;
 * `POST /auth/login` `{ username, password }` → `{ id, name, username, secret }` (a new secret for this device);
 * `GET /api/me` (Bearer) → `{ id, name, username, claimed, createdAt, totals }`;
 * `DELETE /api/me` (Bearer) → `{ deleted: true }`: the profile, its secrets and its credentials are gone.
 * A banned profile's login is answered 403 `{ error: "banned until …: reason" }`; a banned address never gets
 * here (the gate answers it); a new profile's name that the word filter masks is not kept (`moderation`).
 * Returns a function that stops the limiters' timers.
 */
export function mountAccountRoutes(app: express.Application, records: PlayerRecords, tokens: GuestTokens, trustProxy: boolean,
  limits: AccountLimits = DEFAULT_ACCOUNT_LIMITS, moderation: AccountModeration = {}): () => void {
  const banned = moderation.banned ?? (() => undefined);
  const acceptable = moderation.acceptableName ?? (() => true);
  // Roomy enough that an over-long name reaches validation and gets its 400 with a reason.
  const body = express.json({ limit: "16kb" });
  const perAddress = new RateLimit(limits.attemptsPerAddress, limits.windowSeconds);
  const perUsername = new RateLimit(limits.attemptsPerUsername, limits.windowSeconds);
  const creations = new RateLimit(limits.profilesPerAddress, limits.windowSeconds);
  /** True when the attempt is over a limit (and 429 has been answered). */
  const limited = (req: express.Request, res: express.Response, username: string): boolean => {
    const wait = Math.max(perAddress.take(addressOf(req, trustProxy)), perUsername.take(usernameKey(username)));
    if (wait === 0) return false;
    res.setHeader("Retry-After", String(wait));
    refuse(res, 429, `Too many attempts: try again in ${wait} s.`);
    return true;
  };

  app.post("/auth/profile", body, async (req, res) => {
    const input = parsed(res, v.strictObject({ name: v.optional(v.pipe(v.string(), v.maxLength(64))) }), req.body ?? {}, "profile");
    if (!input) return;
    const wait = creations.take(addressOf(req, trustProxy));
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      refuse(res, 429, `Too many new profiles from your address: try again in ${wait} s.`);
      return;
    }
    const name = cleanName(input.name);
    const { profile, secret } = await records.profiles.create(name !== undefined && acceptable(name) ? name : "");
    res.status(201).json({ id: profile.id, name: profile.name, secret });
  });

  app.post("/auth/claim", body, async (req, res) => {
    const input = parsed(res, credentials, req.body, "claim");
    if (!input) return;
    const profile = await callerProfile(req, res, records, tokens);
    if (!profile || limited(req, res, input.username)) return;
    const outcome = await records.profiles.claim(profile.id, input.username, await hashPassword(input.password));
    if (outcome === "ok") res.json({ id: profile.id, username: input.username });
    else if (outcome === "taken") refuse(res, 409, "That username is taken.");
    else if (outcome === "claimed") refuse(res, 409, "This profile already has a username.");
    else refuse(res, 401, "This profile no longer exists.");
  });

  app.post("/auth/login", body, async (req, res) => {
    const input = parsed(res, credentials, req.body, "login");
    if (!input || limited(req, res, input.username)) return;
    const found = await records.profiles.credentials(input.username);
    // The password is checked (against a decoy when the username is unknown) either way: both answers take as long.
    const ok = await checkPassword(input.password, found?.passwordHash);
    const profile = ok && found ? await records.profiles.byId(found.id) : undefined;
    if (!profile) {
      refuse(res, 401, WRONG_CREDENTIALS);
      return;
    }
    const ban = banned(profile.id);
    if (ban !== undefined) {
      refuse(res, 403, ban);
      return;
    }
    const secret = await records.profiles.addSecret(profile.id);
    res.json({ id: profile.id, name: profile.name, username: profile.username, secret });
  });

  app.get("/api/me", async (req, res) => {
    const profile = await callerProfile(req, res, records, tokens);
    if (profile) res.json(ownView(profile));
  });

  app.delete("/api/me", async (req, res) => {
    const profile = await callerProfile(req, res, records, tokens);
    if (!profile) return;
    if (await records.profiles.delete(profile.id)) res.json({ deleted: true });
    else refuse(res, 404, "This profile no longer exists.");
  });

  return () => {
    perAddress.close();
    perUsername.close();
    creations.close();
  };
}

import type { Request } from "express";
import express from "express";
import type { GuestToken } from "../../shared/protocol.ts";
import type { Moderation } from "../moderation/moderation.ts";
import { GuestTokens, describeTokenProblem } from "./tokens.ts";

/** The token in an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/**
 * `POST /auth/guest` `{ name?, profile? }` → a guest token (`GuestToken`, with
 * `profileId` when `profile` is a valid profile secret, `profileUnknown: true`
 * when it opens no profile) for joining
 * rooms. `POST /auth/refresh` with a still-valid token → a fresh one for the
 * same guest and name. Both count as join attempts for the per-address rate
 * limit (server/security/gate.ts). With `moderation`: a banned profile is
 * answered 403 `{ error: "banned until …: reason" }` at both, and a name the word
 * filter masks is dropped (the room then generates one).
 */
export function mountAuthRoutes(app: express.Application, tokens: GuestTokens, profileOf?: (secret: string) => Promise<string | undefined>,
  moderation?: Pick<Moderation, "refusal" | "filter">): void {
  const body = express.json({ limit: "1kb" });
  app.post("/auth/guest", body, async (req, res) => {
    // `{ profile: <secret> }` binds the token to that player profile (its stats go there). A secret that opens
    // nothing is said so (`profileUnknown`); with the records unreachable the guest still plays, unbound.
    const secret: unknown = req.body?.profile;
    let profileId: string | undefined;
    let profileUnknown = false;
    if (typeof secret === "string" && profileOf) {
      try {
        profileId = await profileOf(secret);
        profileUnknown = profileId === undefined;
      } catch {
        // The records are unreachable: this game is played unbound rather than not at all.
      }
    }
    const banned = profileId === undefined ? undefined : moderation?.refusal({ profileId });
    if (banned !== undefined) {
      res.status(403).json({ error: banned });
      return;
    }
    const name: unknown = req.body?.name;
    const shown = typeof name === "string" && moderation && !moderation.filter.passes(name) ? undefined : name;
    const issued: GuestToken = tokens.issue(shown, profileId);
    res.json(profileId !== undefined ? { ...issued, profileId } : profileUnknown ? { ...issued, profileUnknown } : issued);
  });
  app.post("/auth/refresh", (req, res) => {
    const check = tokens.check(bearerToken(req));
    if (!check.ok) {
      res.status(401).json({ error: describeTokenProblem(check.problem) });
      return;
    }
    const banned = check.claims.profileId === undefined ? undefined : moderation?.refusal({ profileId: check.claims.profileId });
    if (banned !== undefined) {
      res.status(403).json({ error: banned });
      return;
    }
    const issued: GuestToken = tokens.refresh(check.claims);
    res.json(issued);
  });
}

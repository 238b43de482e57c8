import type { Request } from "express";
import express from "express";
import type { GuestToken } from "../../shared/protocol.ts";
import { GuestTokens, describeTokenProblem } from "./tokens.ts";

/** The token in an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/**
 * `POST /auth/guest` `{ name?, profile? }` → a guest token (`GuestToken`, with
 * `profileId` when `profile` is a valid profile secret) for joining
 * rooms. `POST /auth/refresh` with a still-valid token → a fresh one for the
 * same guest and name. Both count as join attempts for the per-address rate
 * limit (server/security/gate.ts).
 */
export function mountAuthRoutes(app: express.Application, tokens: GuestTokens, profileOf?: (secret: string) => Promise<string | undefined>): void {
  const body = express.json({ limit: "1kb" });
  app.post("/auth/guest", body, async (req, res) => {
    // `{ profile: <secret> }` binds the token to that player profile (its stats go there); an unknown secret binds nothing.
    const secret: unknown = req.body?.profile;
    const profileId = typeof secret === "string" && profileOf ? await profileOf(secret) : undefined;
    const issued: GuestToken & { profileId?: string } = tokens.issue(req.body?.name, profileId);
    res.json(profileId === undefined ? issued : { ...issued, profileId });
  });
  app.post("/auth/refresh", (req, res) => {
    const check = tokens.check(bearerToken(req));
    if (!check.ok) {
      res.status(401).json({ error: describeTokenProblem(check.problem) });
      return;
    }
    const issued: GuestToken = tokens.refresh(check.claims);
    res.json(issued);
  });
}

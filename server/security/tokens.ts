import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { cleanName } from "../../shared/names.ts";

/** What a guest token says about its holder. */
export interface GuestClaims {
  /** A stable id for this guest, kept across refreshes. */
  guestId: string;
  /** The name the guest asked for, cleaned; "" when it asked for none (the room then makes one up). */
  name: string;
  /** When the token stops being accepted, in ms since the epoch. */
  expiresAt: number;
  /** The player profile the guest plays for (its stats go there), when it showed a profile secret. */
  profileId?: string;
}

/** Why a token was not accepted: the text goes back to the client. */
export type TokenProblem = "missing" | "invalid" | "expired";

export type TokenCheck = { ok: true; claims: GuestClaims } | { ok: false; problem: TokenProblem };

/** What `POST /auth/guest` and `POST /auth/refresh` answer. */
export interface IssuedToken {
  token: string;
  name: string;
  /** ms since the epoch. */
  expiresAt: number;
}

const ISSUER = "arena";
/** Pinned: a token naming any other algorithm (`none`, RS256 with the secret as a public key…) is refused. */
const ALGORITHM = "HS256";

/**
 * Signed, expiring guest tokens (JWT, HMAC-SHA256 with AUTH_SECRET). Anyone may
 * get one, with a name; what it buys is accountability per connection (every
 * join carries a verifiable id) and a short life, so a leaked token is worth
 * little. Every process of a cluster must share the secret.
 */
export class GuestTokens {
  private readonly secret: string;
  private readonly ttlSeconds: number;

  constructor(secret: string, ttlSeconds: number) {
    this.secret = secret;
    this.ttlSeconds = ttlSeconds;
  }

  /** A new guest: a fresh id and the given name (cleaned; an invalid name becomes ""), playing for `profileId` if given. */
  issue(requestedName: unknown, profileId?: string): IssuedToken {
    const name = cleanName(requestedName) ?? "";
    return this.sign(randomUUID(), name, profileId);
  }

  /** A new token for the same guest, name and profile, with a full lifetime. */
  refresh(claims: GuestClaims): IssuedToken {
    return this.sign(claims.guestId, claims.name, claims.profileId);
  }

  check(token: string | undefined | null): TokenCheck {
    if (!token) return { ok: false, problem: "missing" };
    try {
      const payload = jwt.verify(token, this.secret, { algorithms: [ALGORITHM], issuer: ISSUER });
      if (typeof payload !== "object" || typeof payload.sub !== "string" || typeof payload.exp !== "number") {
        return { ok: false, problem: "invalid" };
      }
      const claims: GuestClaims = { guestId: payload.sub, name: typeof payload.name === "string" ? payload.name : "", expiresAt: payload.exp * 1000 };
      if (typeof payload.pid === "string") claims.profileId = payload.pid;
      return { ok: true, claims };
    } catch (error) {
      return { ok: false, problem: error instanceof jwt.TokenExpiredError ? "expired" : "invalid" };
    }
  }

  private sign(guestId: string, name: string, profileId?: string): IssuedToken {
    // A fresh id per token (jti): two tokens are never the same, even issued in the same second.
    const token = jwt.sign(profileId === undefined ? { name } : { name, pid: profileId }, this.secret, { algorithm: ALGORITHM, issuer: ISSUER, subject: guestId, expiresIn: this.ttlSeconds, jwtid: randomUUID() });
    const { exp } = jwt.decode(token) as { exp: number };
    return { token, name, expiresAt: exp * 1000 };
  }
}

/** The message a refused client sees for each problem. */
export function describeTokenProblem(problem: TokenProblem): string {
  switch (problem) {
    case "missing": return "A token is required: get one from POST /auth/guest and send it as 'Authorization: Bearer <token>'.";
    case "invalid": return "The token is not valid (bad signature or format): get a new one from POST /auth/guest.";
    case "expired": return "The token has expired: get a new one from POST /auth/guest.";
  }
}

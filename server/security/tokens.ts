import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
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
/** The header of every token issued (base64url of `{"alg":"HS256","typ":"JWT"}`). */
const HEADER = base64url(JSON.stringify({ alg: ALGORITHM, typ: "JWT" }));

/**
 * Signed, expiring guest tokens (JWT, HMAC-SHA256 with AUTH_SECRET). Anyone may
 * get one, with a name; what it buys is accountability per connection (every
 * join carries a verifiable id) and a short life, so a leaked token is worth
 * little. Every process of a cluster must share the secret.
 *
 * Signed and checked here with node:crypto rather than a JWT library: one
 * algorithm and five claims are a few lines, and the library (jsonwebtoken
 * with its dependencies) was 2 MB of every server's memory. Any JWT library
 * reads these tokens, and tokens it signs the same way pass here (the tests
 * forge theirs with jsonwebtoken).
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

  /** Accepts a token this secret signed with HS256, from this issuer, not expired; says why not otherwise. */
  check(token: string | undefined | null): TokenCheck {
    if (!token) return { ok: false, problem: "missing" };
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, problem: "invalid" };
    const [header, body, signature] = parts as [string, string, string];
    // The signature first, compared in constant time: nothing in an unsigned token is read.
    const expected = Buffer.from(this.signature(`${header}.${body}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: "invalid" };
    const head = decodeJson(header);
    const payload = decodeJson(body);
    if (head?.alg !== ALGORITHM || payload?.iss !== ISSUER || typeof payload.sub !== "string" || typeof payload.exp !== "number") {
      return { ok: false, problem: "invalid" };
    }
    if (Math.floor(Date.now() / 1000) >= payload.exp) return { ok: false, problem: "expired" };
    const claims: GuestClaims = { guestId: payload.sub, name: typeof payload.name === "string" ? payload.name : "", expiresAt: payload.exp * 1000 };
    if (typeof payload.pid === "string") claims.profileId = payload.pid;
    return { ok: true, claims };
  }

  private sign(guestId: string, name: string, profileId?: string): IssuedToken {
    const issuedAt = Math.floor(Date.now() / 1000);
    const exp = issuedAt + this.ttlSeconds;
    // A fresh id per token (jti): two tokens are never the same, even issued in the same second.
    const claims = { name, ...(profileId === undefined ? {} : { pid: profileId }), iat: issuedAt, exp, iss: ISSUER, sub: guestId, jti: randomUUID() };
    const signed = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    return { token: `${signed}.${this.signature(signed)}`, name, expiresAt: exp * 1000 };
  }

  /** HMAC-SHA256 of `signed` with the secret, base64url: a JWT's third part. */
  private signature(signed: string): string {
    return createHmac("sha256", this.secret).update(signed).digest("base64url");
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

/** A JWT part's JSON object, or undefined when it is not one. */
function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
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

import { createHash, timingSafeEqual } from "node:crypto";
import type express from "express";
import { addressOf } from "../http/requests.ts";
import { MONITOR_CONTENT_SECURITY_POLICY } from "../http/safeHeaders.ts";
import { moderatorPage } from "../moderation/moderatorPage.ts";
import { RateLimit } from "./rateLimit.ts";

/** The user name for the admin's HTTP Basic auth; the password is ADMIN_PASSWORD. */
const ADMIN_USER = "admin";

/** Wrong passwords one address may send per window before it is refused outright for the rest of it. */
export interface AdminGuessLimit {
  failures: number;
  windowSeconds: number;
}

/** Ten wrong passwords per address in ten minutes. */
export const DEFAULT_ADMIN_GUESS_LIMIT: AdminGuessLimit = { failures: 10, windowSeconds: 600 };

/** The admin check as a middleware, and a function that stops its limiter's timer. */
export interface AdminAuth {
  readonly check: express.RequestHandler;
  close(): void;
}

/**
 * HTTP Basic auth for everything behind ADMIN_PASSWORD (`/monitor`, the
 * moderator page, `/api/admin/…`): user `admin`, the password compared as a
 * digest in constant time. An address that sends `limit.failures` wrong
 * passwords within the window is answered 429 (even with the right one) until
 * the window has passed: guessing is as slow as the limit. Serve it over TLS
 * (or behind a TLS proxy): Basic auth sends the password with every request.
 */
export function adminAuth(password: string, trustProxy: boolean, limit: AdminGuessLimit = DEFAULT_ADMIN_GUESS_LIMIT): AdminAuth {
  const expected = digest(`${ADMIN_USER}:${password}`);
  const failures = new RateLimit(limit.failures, limit.windowSeconds);
  const lockedUntil = new Map<string, number>();
  const check: express.RequestHandler = (req, res, next) => {
    const address = addressOf(req, trustProxy);
    const tooMany = (until: number) => {
      res.status(429).set("Retry-After", String(Math.ceil((until - Date.now()) / 1000))).json({ error: "Too many wrong passwords from your address: try again later." });
    };
    const locked = lockedUntil.get(address);
    if (locked !== undefined && locked > Date.now()) {
      tooMany(locked);
      return;
    }
    lockedUntil.delete(address);
    const header = req.headers.authorization ?? "";
    const given = header.startsWith("Basic ") ? Buffer.from(header.slice(6), "base64").toString("utf8") : "";
    if (timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    // A request without credentials is a browser asking for them, not a guess.
    if (given !== "" && failures.take(address) > 0) {
      const until = Date.now() + limit.windowSeconds * 1000;
      lockedUntil.set(address, until);
      tooMany(until);
      return;
    }
    res.status(401).set("WWW-Authenticate", 'Basic realm="Arena admin", charset="UTF-8"').json({ error: "Authentication required." });
  };
  return { check, close: () => failures.close() };
}

/**
 * The Colyseus monitor (rooms, clients, state) at `/monitor` and the
 * moderator page at `/monitor/moderation`, behind the admin's Basic auth.
 * Mounted only when ADMIN_PASSWORD is set.
 */
export function mountAdmin(app: express.Application, auth: AdminAuth): void {
  app.use("/monitor", (_req, res, next) => {
    res.setHeader("Content-Security-Policy", MONITOR_CONTENT_SECURITY_POLICY);
    next();
  }, auth.check, moderatorPage(), monitorPages());
}

/**
 * The monitor's own router, loaded on the admin's first request: the panel
 * and what it brings (its UI server, OS statistics) are some megabytes that
 * a process nobody administers through the browser need not hold.
 */
function monitorPages(): express.RequestHandler {
  let router: Promise<express.RequestHandler> | undefined;
  return (req, res, next) => {
    router ??= import("@colyseus/monitor").then(({ monitor }) => monitor());
    router.then((handle) => handle(req, res, next), next);
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

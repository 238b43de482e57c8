import { createHash, timingSafeEqual } from "node:crypto";
import type express from "express";
import { MONITOR_CONTENT_SECURITY_POLICY } from "../http/safeHeaders.ts";

/** The user name for the monitor's HTTP Basic auth; the password is ADMIN_PASSWORD. */
const ADMIN_USER = "admin";

/**
 * The Colyseus monitor (rooms, clients, state) at `/monitor`, behind HTTP
 * Basic auth. Mounted only when ADMIN_PASSWORD is set; serve it over TLS (or
 * behind a TLS proxy): Basic auth sends the password with every request.
 */
export function mountAdmin(app: express.Application, password: string): void {
  const expected = digest(`${ADMIN_USER}:${password}`);
  app.use("/monitor", (req, res, next) => {
    res.setHeader("Content-Security-Policy", MONITOR_CONTENT_SECURITY_POLICY);
    const header = req.headers.authorization ?? "";
    const given = header.startsWith("Basic ") ? Buffer.from(header.slice(6), "base64").toString("utf8") : "";
    // Compared as digests in constant time: the answer's timing says nothing about the password.
    if (timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res.status(401).set("WWW-Authenticate", 'Basic realm="Arena admin", charset="UTF-8"').json({ error: "Authentication required." });
  }, monitorPages());
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

import { readFileSync } from "node:fs";
import express from "express";

/** The page's files, read once: they are small and never change while the server runs. */
const FILES: Record<string, { type: string; path: string }> = {
  "/moderation": { type: "text/html; charset=utf-8", path: "moderation.html" },
  "/moderation.js": { type: "text/javascript; charset=utf-8", path: "moderation.js" },
  "/moderation.css": { type: "text/css; charset=utf-8", path: "moderation.css" },
};

/**
 * The moderator page (`page/`): it answers `/moderation` and its script and
 * style, and passes every other path on. Mounted under `/monitor` behind the
 * admin's Basic auth, and at the root for moderators' profiles (MODERATOR_PROFILES),
 * where it holds nothing secret: the data comes from the API, with the
 * player's profile secret. Never cached: it is small and changes with the server.
 */
export function moderatorPage(): express.RequestHandler {
  const bodies = new Map(Object.entries(FILES).map(([route, file]) =>
    [route, { type: file.type, body: readFileSync(new URL(`./page/${file.path}`, import.meta.url)) }]));
  return (req, res, next) => {
    const file = req.method === "GET" ? bodies.get(req.path) : undefined;
    if (!file) {
      next();
      return;
    }
    res.setHeader("Cache-Control", "no-store");
    res.type(file.type).send(file.body);
  };
}

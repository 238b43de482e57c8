import { readFileSync } from "node:fs";
import express from "express";

/** The page's files, read once: they are small and never change while the server runs. */
const FILES: Record<string, { type: string; path: string }> = {
  "/moderation": { type: "text/html; charset=utf-8", path: "moderation.html" },
  "/moderation.js": { type: "text/javascript; charset=utf-8", path: "moderation.js" },
  "/moderation.css": { type: "text/css; charset=utf-8", path: "moderation.css" },
};

/**
 * The moderator page (`page/`): mounted under `/monitor` behind the admin's
 * Basic auth, it answers `/moderation` and its script and style, and passes
 * every other path on (to the Colyseus monitor). Never cached: it is the
 * admin's, and small.
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

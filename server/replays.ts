import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type express from "express";
import type { ServerConfig } from "./config.ts";
import type { RecordedMatch } from "./rooms/matchRecorder.ts";
import type { ArenaSettings } from "./rooms/settings.ts";

/** What a file name under /replays/ may look like: what the recorder writes, and nothing that leaves the folder. */
const REPLAY_FILE = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.replay$/;

/**
 * Where and under which rules rooms record their matches: to REPLAY_DIR
 * (creating the folder) when set, and to the player records through `sink`.
 */
export function replaySettings(config: ServerConfig, sink?: (match: RecordedMatch) => void): ArenaSettings["replay"] {
  if (!config.replayDir && !sink) return undefined;
  if (config.replayDir) mkdirSync(config.replayDir, { recursive: true });
  return {
    dir: config.replayDir,
    rules: { tickHz: config.tickHz, matchSeconds: config.matchSeconds, scoreboardSeconds: config.scoreboardSeconds },
    sink,
    // REPLAY_RETENTION_DAYS=0 keeps no recordings in the database: without REPLAY_DIR, no ticks are recorded either.
    sinkReplays: config.replayRetentionDays > 0,
  };
}

/**
 * With REPLAY_DIR set: `GET /replays` lists the recorded matches (JSON, newest
 * first: `{ replays: [{ file, bytes, modified }] }`), and `GET /replays/<file>`
 * serves one, for `npm run replay` or the browser's `?replay=/replays/<file>`.
 */
export function mountReplayRoutes(app: express.Application, dir: string): void {
  const root = resolve(dir);
  app.get("/replays", (_req, res) => {
    const replays = readdirSync(root)
      .filter((file) => REPLAY_FILE.test(file))
      .map((file) => {
        const stat = statSync(join(root, file));
        return { file, bytes: stat.size, modified: stat.mtime.toISOString() };
      })
      .sort((a, b) => (a.modified < b.modified ? 1 : -1));
    res.json({ replays });
  });
  app.get("/replays/:file", (req, res) => {
    const file = String(req.params.file);
    if (!REPLAY_FILE.test(file)) {
      res.status(404).json({ error: "No such replay." });
      return;
    }
    res.sendFile(file, { root, headers: { "Content-Type": "application/octet-stream" } }, (error) => {
      if (error && !res.headersSent) res.status(404).json({ error: "No such replay." });
    });
  });
}

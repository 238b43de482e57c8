import { promisify } from "node:util";
import { inflate } from "node:zlib";
import type express from "express";
import * as v from "valibot";
import type { Log } from "../log.ts";
import type { PlayerRecords } from "../players/playerRecords.ts";
import type { GuestTokens } from "../security/tokens.ts";
import { BOARDS, PERIODS, type LeaderboardEntry } from "../../shared/playerApi.ts";
import { KD_MIN_MATCHES } from "../storage/leaderboards.ts";
import { DEFAULT_ACCOUNT_LIMITS, mountAccountRoutes, type AccountLimits, type AccountModeration } from "./accountRoutes.ts";
import { matchId, parsed, profileId, refuse } from "./requests.ts";

const uncompress = promisify(inflate);

/** A player's history holds this many matches at most. */
export const HISTORY_LENGTH = 20;
/** How long a top list is served from memory: the boards move at the pace of matches (minutes). */
export const LEADERBOARD_CACHE_MS = 5000;
/** Entries either side of the player on an "around me" board. */
const AROUND_SPAN = 5;

const leaderboardQuery = v.strictObject({
  board: v.optional(v.picklist(BOARDS), "kills"),
  period: v.optional(v.picklist(PERIODS), "all"),
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer("A limit is a whole number."), v.minValue(1), v.maxValue(100)), "100"),
  around: v.optional(profileId),
});

/**
 * The player-data API (docs/players.md): profiles and accounts
 * (`accountRoutes.ts`), public profiles, match history, leaderboards and
 * stored recordings. Everything under `/api` and `/auth` answers `{ error }`
 * with a status, malformed JSON and unknown paths included.
 * Mount it after the other `/auth` routes, so its error handler covers them.
 * Returns a function that stops its timers.
 */
export function mountPlayerRoutes(app: express.Application, records: PlayerRecords, tokens: GuestTokens, options: {
  trustProxy: boolean; log: Log; limits?: AccountLimits;
  /** Bans at login and the word filter on new profiles' names. */
  moderation?: AccountModeration;
}): () => void {
  const stop = mountAccountRoutes(app, records, tokens, options.trustProxy, options.limits ?? DEFAULT_ACCOUNT_LIMITS, options.moderation);

  app.get("/api/players/:id", async (req, res) => {
    const id = parsed(res, profileId, req.params.id, "player id");
    if (!id) return;
    const profile = await records.profiles.byId(id);
    if (!profile) refuse(res, 404, "No such player.");
    else res.json({ id: profile.id, name: profile.name, claimed: profile.username !== null, createdAt: profile.createdAt, totals: profile.totals });
  });

  app.get("/api/players/:id/matches", async (req, res) => {
    const id = parsed(res, profileId, req.params.id, "player id");
    if (!id) return;
    if (!(await records.profiles.byId(id))) {
      refuse(res, 404, "No such player.");
      return;
    }
    res.json({ matches: await records.matches.history(id, HISTORY_LENGTH) });
  });

  // The top lists are the same for everyone: one query per board, period and length per LEADERBOARD_CACHE_MS,
  // however many players open the panel (on SQLite a query runs on the event loop the rooms tick on).
  const topLists = new Map<string, { at: number; entries: Promise<LeaderboardEntry[]> }>();
  app.get("/api/leaderboard", async (req, res) => {
    const query = parsed(res, leaderboardQuery, req.query, "leaderboard query");
    if (!query) return;
    const board = { board: query.board, period: query.period };
    const key = `${query.board}/${query.period}/${query.limit}`;
    let cached = topLists.get(key);
    if (!cached || performance.now() - cached.at > LEADERBOARD_CACHE_MS) {
      topLists.set(key, cached = { at: performance.now(), entries: records.leaderboards.top(board, query.limit) });
      cached.entries.catch(() => topLists.delete(key));
    }
    const entries = await cached.entries;
    const around = query.around === undefined ? undefined : await records.leaderboards.around(board, query.around, AROUND_SPAN);
    res.json({
      board: query.board, period: query.period, since: records.leaderboards.since(board),
      minMatches: query.board === "kd" ? KD_MIN_MATCHES : 1, entries, ...(around ? { around } : {}),
    });
  });

  /** A stored recording, uncompressed: what `?replay=URL` and `npm run replay` read. */
  app.get("/api/replays/:matchId", async (req, res) => {
    const id = parsed(res, matchId, req.params.matchId, "match id");
    if (!id) return;
    const stored = await records.matches.replay(id);
    if (!stored) {
      refuse(res, 404, "No recording of that match is kept.");
      return;
    }
    res.type("application/octet-stream").setHeader("Cache-Control", "public, max-age=86400, immutable");
    res.vary("Accept-Encoding");
    // Stored deflated (zlib's format, which is HTTP's "deflate"): sent as it is to any client that takes that
    // (browsers, fetch), with no inflating of a recording that can run to megabytes; inflated for the others.
    if (req.acceptsEncodings("deflate", "identity") === "deflate") res.setHeader("Content-Encoding", "deflate").send(Buffer.from(stored));
    else res.send(await uncompress(stored));
  });

  app.use(["/api", "/auth"], (_req, res) => refuse(res, 404, "No such route."));
  app.use(["/api", "/auth"], (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = statusOf(error);
    if (status >= 500) options.log.warn("player data request failed", { error: error instanceof Error ? error.message : String(error) });
    refuse(res, status, status === 400 ? "The request body is not valid JSON."
      : status === 413 ? "The request body is too large."
      : status < 500 ? "The request was refused." : "Player records are unavailable right now: try again shortly.");
  });
  return stop;
}

/** Express' body parser marks its errors with a 4xx status; anything else (the database down) is a 503. */
function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 ? status : 503;
}

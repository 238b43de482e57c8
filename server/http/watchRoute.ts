import { ErrorCode, matchMaker } from "@colyseus/core";
import express from "express";
import { GAME_ROOM_NAMES } from "../../shared/largeMode.ts";
import { REGISTRY_RETRY_AFTER_SECONDS } from "../../shared/registry.ts";
import type { RoomMetrics } from "../metrics.ts";
import { registryUnavailable } from "../registry/answers.ts";
import type { RegistryStatus } from "../registry/monitor.ts";
import { bearerToken } from "../security/authRoutes.ts";
import { describeTokenProblem, type GuestTokens } from "../security/tokens.ts";

/** What spectator matchmaking needs from the server around it. */
export interface WatchDependencies {
  tokens: GuestTokens;
  /** Where refused tokens are counted. */
  metrics: RoomMetrics;
  registry: RegistryStatus;
}

/**
 * Spectator matchmaking, `POST /watch/:roomId` (Bearer guest token, body
 * `{ name? }`): a spectator seat in room `roomId` (or the room whose code it
 * is), answered as a Colyseus seat reservation the SDK consumes
 * (`client.consumeSeatReservation`). A room whose player seats are all taken
 * is closed to matchmaking, but can still be watched through here. Answers
 * 401 without a valid token, 404 for no such game, 409 when the room refuses,
 * and 503 with `Retry-After` while the registry is away.
 */
export function mountWatchRoute(app: express.Application, { tokens, metrics, registry }: WatchDependencies): void {
  app.post("/watch/:roomId", express.json({ limit: "1kb" }), async (req, res) => {
    const check = tokens.check(bearerToken(req));
    if (!check.ok) {
      metrics.refused(`token_${check.problem}`);
      res.status(401).json({ code: ErrorCode.AUTH_FAILED, error: describeTokenProblem(check.problem) });
      return;
    }
    // A typed room code may come in lower case; room ids otherwise match exactly.
    const typed = String(req.params.roomId).trim();
    let found;
    try {
      found = (await matchMaker.query({ roomId: typed }))[0] ?? (await matchMaker.query({ roomId: typed.toUpperCase() }))[0];
    } catch (error) {
      // The registry went away mid-request (while it is known to be away, the request never gets here).
      if (await registry.confirm()) throw error;
      const unavailable = registryUnavailable();
      res.status(unavailable.code).set("retry-after", String(REGISTRY_RETRY_AFTER_SECONDS)).json({ code: unavailable.code, error: unavailable.message });
      return;
    }
    if (!found || !GAME_ROOM_NAMES.includes(found.name)) {
      res.status(404).json({ error: `No game "${req.params.roomId}" here: it may have ended.` });
      return;
    }
    const name = typeof req.body?.name === "string" ? req.body.name : undefined;
    try {
      res.json(await matchMaker.reserveSeatFor(found, { spectate: true, name }, check.claims));
    } catch (error) {
      res.status(409).json({ error: error instanceof Error ? error.message : "The game cannot be watched now." });
    }
  });
}

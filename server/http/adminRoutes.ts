import express from "express";
import { matchMaker } from "@colyseus/core";
import * as v from "valibot";
import { GAME_ROOM_NAMES } from "../../shared/largeMode.ts";
import type { Moderation } from "../moderation/moderation.ts";
import type { ModeratorAction, ModeratedPlayer, RoomAction } from "../rooms/moderation.ts";
import { bearerToken } from "../security/authRoutes.ts";
import type { AdminAuth } from "../security/admin.ts";
import type { Profile } from "../storage/profiles.ts";
import { parsed, profileId, profileSecret, refuse } from "./requests.ts";

/** Who the audit log names for actions taken with ADMIN_PASSWORD. */
export const ADMIN_ACTOR = "admin";
/** The longest timed ban or mute: ten years, in minutes. */
const MAX_MINUTES = 10 * 365 * 24 * 60;

const reason = v.pipe(v.string(), v.trim(), v.minLength(1, "Give a reason."), v.maxLength(200));
const minutes = v.pipe(v.number(), v.integer("Minutes are a whole number."), v.minValue(1), v.maxValue(MAX_MINUTES));
const banRequest = v.pipe(
  v.strictObject({ profileId: v.optional(profileId), address: v.optional(v.pipe(v.string(), v.trim(), v.minLength(2), v.maxLength(64))), minutes: v.optional(minutes), reason }),
  v.check((ban) => ban.profileId !== undefined || ban.address !== undefined, "Name a profileId, an address or both."),
);
const actionRequest = v.strictObject({
  action: v.picklist(["warn", "mute", "kick", "rename"]),
  roomId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "Not a room id.")),
  sessionId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "Not a session id.")),
  minutes: v.optional(minutes),
  reason,
});
const auditQuery = v.strictObject({
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(500)), "100"),
  before: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0))),
});
const liftRequest = v.strictObject({ reason: v.optional(reason, "lifted") });

/** A live room as the moderator page lists it. */
export interface ModeratedRoom {
  roomId: string;
  players: ModeratedPlayer[];
}

/** Who may use the moderation API: the admin (Basic auth), and the moderators' profiles (their secret as a bearer). */
export interface ModeratorAccess {
  /** The admin's Basic auth; none without ADMIN_PASSWORD. */
  admin?: AdminAuth;
  /** MODERATOR_PROFILES. */
  moderators: readonly string[];
  /** The profile a secret opens. */
  profileOf(secret: string): Promise<Profile | undefined>;
}

/**
 * Lets a moderator's profile secret (`Authorization: Bearer <secret>` of a
 * profile in MODERATOR_PROFILES) through, naming the moderator as the actor
 * (`res.locals.actor`, for the audit log); anything else goes to the admin's
 * Basic auth (actor `admin`), or is answered 401 without ADMIN_PASSWORD.
 */
function moderatorCheck(access: ModeratorAccess): express.RequestHandler {
  return async (req, res, next) => {
    const bearer = bearerToken(req);
    if (bearer !== undefined && access.moderators.length > 0 && v.is(profileSecret, bearer)) {
      const profile = await access.profileOf(bearer);
      if (profile && access.moderators.includes(profile.id)) {
        res.locals.actor = `moderator ${profile.name || "unnamed"} (${profile.id})`;
        next();
        return;
      }
      refuse(res, 403, "That profile is not a moderator.");
      return;
    }
    if (!access.admin) {
      refuse(res, 401, "Send a moderator's profile secret as 'Authorization: Bearer <secret>'.");
      return;
    }
    res.locals.actor = ADMIN_ACTOR;
    access.admin.check(req, res, next);
  };
}

/** Who the audit log names for this request (see `moderatorCheck`). */
function actorOf(res: express.Response): string {
  return typeof res.locals.actor === "string" ? res.locals.actor : ADMIN_ACTOR;
}

/**
 * The moderation API, every route behind the admin's Basic auth (and its
 * guessing limit) or a moderator's profile secret, JSON in and out, `{ error }` with a status on refusal:
 * - `POST /api/admin/bans` `{ profileId?, address?, minutes?, reason }` → 201 the ban (no `minutes`: permanent);
 * - `GET /api/admin/bans` → `{ bans }` in force; `DELETE /api/admin/bans/:id` `{ reason? }` → `{ lifted: true }`;
 * - `GET /api/admin/audit?limit&before` → `{ entries }`, newest first;
 * - `GET /api/admin/rooms` → `{ rooms: [{ roomId, players }] }`, every live room of the cluster;
 * - `POST /api/admin/actions` `{ action: warn|mute|kick|rename, roomId, sessionId, minutes?, reason }` → `{ done, player }`;
 * - `GET /api/admin/reports` → `{ reports }` open, oldest first, each with `replayUrl`;
 *   `POST /api/admin/reports/:id/resolve` `{ reason }` → `{ resolved: true }`.
 * Every action is written to the audit log, naming the admin or the moderator.
 */
export function mountAdminRoutes(app: express.Application, access: ModeratorAccess, moderation: Moderation): void {
  const body = express.json({ limit: "4kb" });
  const admin = express.Router();
  admin.use(moderatorCheck(access), body);

  admin.post("/bans", async (req, res) => {
    const input = parsed(res, banRequest, req.body, "ban");
    if (!input) return;
    res.status(201).json(await moderation.ban(input, actorOf(res)));
  });

  admin.get("/bans", async (_req, res) => {
    res.json({ bans: await moderation.store.activeBans() });
  });

  admin.delete("/bans/:id", async (req, res) => {
    const input = parsed(res, liftRequest, req.body ?? {}, "lift");
    if (!input) return;
    if (await moderation.lift(String(req.params.id), actorOf(res), input.reason)) res.json({ lifted: true });
    else refuse(res, 404, "No ban in force has that id.");
  });

  admin.get("/audit", async (req, res) => {
    const query = parsed(res, auditQuery, req.query, "audit query");
    if (query) res.json({ entries: await moderation.store.auditLog(query.limit, query.before) });
  });

  admin.get("/rooms", async (_req, res) => {
    const listed = (await Promise.all(GAME_ROOM_NAMES.map((name) => matchMaker.query({ name })))).flat();
    const rooms = await Promise.all(listed.map(async ({ roomId }): Promise<ModeratedRoom | undefined> => {
      const players = await callRoom(roomId, { kind: "view" }).catch(() => undefined);
      return Array.isArray(players) ? { roomId, players: players as ModeratedPlayer[] } : undefined;
    }));
    res.json({ rooms: rooms.filter((room) => room !== undefined) });
  });

  admin.post("/actions", async (req, res) => {
    const input = parsed(res, actionRequest, req.body, "action");
    if (!input) return;
    const action: ModeratorAction = { kind: input.action, sessionId: input.sessionId, reason: input.reason, minutes: input.minutes };
    const player = await callRoom(input.roomId, action).catch(() => undefined) as ModeratedPlayer | undefined;
    if (!player) {
      refuse(res, 404, "No such player in that room.");
      return;
    }
    await moderation.store.audit({
      actor: actorOf(res), action: input.action, targetProfile: player.profileId, targetName: player.name, targetAddress: player.address,
      reason: input.reason, details: { roomId: input.roomId, sessionId: input.sessionId, minutes: input.minutes ?? null, newName: player.renamedTo ?? null },
    });
    res.json({ done: input.action, player });
  });

  admin.get("/reports", async (_req, res) => {
    const reports = await moderation.store.openReports(200);
    res.json({ reports: reports.map((report) => ({ ...report, replayUrl: report.matchId ? `/api/replays/${report.matchId}` : null })) });
  });

  admin.post("/reports/:id/resolve", async (req, res) => {
    const input = parsed(res, v.strictObject({ reason }), req.body, "resolution");
    if (!input) return;
    if (await moderation.store.resolve(String(req.params.id), actorOf(res), input.reason)) res.json({ resolved: true });
    else refuse(res, 404, "No open report has that id.");
  });

  app.use("/api/admin", admin);
}

/** Runs `action` in room `roomId`, on whichever process holds it (Colyseus' room call, over the presence in a cluster). */
function callRoom(roomId: string, action: RoomAction): Promise<unknown> {
  return matchMaker.remoteRoomCall(roomId, "moderate", [action]);
}

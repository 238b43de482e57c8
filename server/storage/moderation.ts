import { randomUUID } from "node:crypto";
import type { Database } from "./database.ts";

/** A ban as stored: by profile, by address, or both; `endsAt` null is permanent. Times in ms since the epoch. */
export interface Ban {
  id: string;
  profileId: string | null;
  address: string | null;
  reason: string;
  createdAt: number;
  endsAt: number | null;
}

/** One line of the audit log: who did what, to whom, why, when. */
export interface AuditEntry {
  id: string;
  at: number;
  /** "admin" (the ADMIN_PASSWORD holder), "filter" (automatic), or a moderator's name. */
  actor: string;
  /** "ban", "unban", "warn", "mute", "kick", "rename", "auto-mute", "resolve-report". */
  action: string;
  targetProfile: string | null;
  targetName: string | null;
  targetAddress: string | null;
  reason: string;
  /** What else the action carried (minutes, room, session, the ban's id…). */
  details: Record<string, unknown>;
}

/** A chat line as a report keeps it. */
export interface ReportChatLine {
  from: string;
  text: string;
  /** ms since the epoch. */
  at: number;
}

/** A player's report on another, with the evidence around it. */
export interface Report {
  id: string;
  at: number;
  reporterProfile: string | null;
  reporterName: string;
  reportedProfile: string | null;
  reportedName: string;
  /** The address the reported player played from, when the room knew it. */
  reportedAddress: string | null;
  roomId: string;
  sessionId: string;
  /** The match being played (its replay: `/replays/<matchId>`), if one was. */
  matchId: string | null;
  reason: string;
  chat: ReportChatLine[];
  resolvedAt: number | null;
}

interface BanRow { id: string; profile_id: string | null; address: string | null; reason: string; created_at: number; ends_at: number | null }
interface AuditRow {
  id: string; at: number; actor: string; action: string; target_profile: string | null; target_name: string | null;
  target_address: string | null; reason: string; details: string;
}
interface ReportRow {
  id: string; at: number; reporter_profile: string | null; reporter_name: string; reported_profile: string | null; reported_name: string;
  reported_address: string | null; room_id: string; session_id: string; match_id: string | null; reason: string; chat: string; resolved_at: number | null;
}

const BAN_COLUMNS = "id, profile_id, address, reason, created_at, ends_at";

/** Bans, the audit log, chat mutes and reports: what moderation keeps in the database. */
export class ModerationStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Stores a ban and its audit line in one transaction. */
  async ban(ban: Omit<Ban, "id">, audit: Omit<AuditEntry, "id" | "at" | "details"> & { details?: Record<string, unknown> }): Promise<Ban> {
    const stored: Ban = { id: randomUUID(), ...ban };
    await this.db.transaction(async (tx) => {
      await tx.run(`INSERT INTO bans (${BAN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
        [stored.id, stored.profileId, stored.address, stored.reason, stored.createdAt, stored.endsAt]);
      await tx.run(AUDIT_INSERT, auditValues({ ...audit, at: ban.createdAt, details: { banId: stored.id, endsAt: ban.endsAt, ...audit.details } }));
    });
    return stored;
  }

  /** Bans in force at `now` (not ended, not lifted), newest first. */
  async activeBans(now = Date.now()): Promise<Ban[]> {
    const rows = await this.db.all<BanRow>(
      `SELECT ${BAN_COLUMNS} FROM bans WHERE lifted_at IS NULL AND (ends_at IS NULL OR ends_at > ?) ORDER BY created_at DESC`, [now]);
    return rows.map(toBan);
  }

  /** Lifts a ban early; the ban lifted, or undefined when there was none in force with that id. */
  async lift(id: string, actor: string, reason: string, now = Date.now()): Promise<Ban | undefined> {
    return this.db.transaction(async (tx) => {
      const row = await tx.one<BanRow>(`SELECT ${BAN_COLUMNS} FROM bans WHERE id = ? AND lifted_at IS NULL`, [id]);
      if (!row) return undefined;
      await tx.run("UPDATE bans SET lifted_at = ? WHERE id = ?", [now, id]);
      await tx.run(AUDIT_INSERT, auditValues({
        at: now, actor, action: "unban", targetProfile: row.profile_id, targetName: null, targetAddress: row.address, reason, details: { banId: id },
      }));
      return toBan(row);
    });
  }

  /** Appends a line to the audit log. */
  async audit(entry: Omit<AuditEntry, "id" | "at"> & { at?: number }): Promise<void> {
    await this.db.run(AUDIT_INSERT, auditValues({ ...entry, at: entry.at ?? Date.now() }));
  }

  /** The newest `limit` lines of the audit log, newest first, before `before` (ms) when given. */
  async auditLog(limit: number, before?: number): Promise<AuditEntry[]> {
    const rows = await this.db.all<AuditRow>(
      "SELECT * FROM audit_log WHERE at < ? ORDER BY at DESC, id LIMIT ?", [before ?? Number.MAX_SAFE_INTEGER, limit]);
    return rows.map((row) => ({
      id: row.id, at: row.at, actor: row.actor, action: row.action, targetProfile: row.target_profile, targetName: row.target_name,
      targetAddress: row.target_address, reason: row.reason, details: JSON.parse(row.details) as Record<string, unknown>,
    }));
  }

  /** Mutes `subject` in chat until `until` (ms), replacing a shorter or longer mute it had. */
  async mute(subject: string, until: number, reason: string): Promise<void> {
    await this.db.run(
      "INSERT INTO chat_mutes (subject, until_at, reason) VALUES (?, ?, ?) ON CONFLICT (subject) DO UPDATE SET until_at = excluded.until_at, reason = excluded.reason",
      [subject, until, reason]);
  }

  /** Until when `subject` is muted (ms), if it is at `now`. */
  async mutedUntil(subject: string, now = Date.now()): Promise<number | undefined> {
    const row = await this.db.one<{ until_at: number }>("SELECT until_at FROM chat_mutes WHERE subject = ? AND until_at > ?", [subject, now]);
    return row?.until_at;
  }

  /** Forgets mutes that ended before `now`; resolves with how many. */
  async dropEndedMutes(now = Date.now()): Promise<number> {
    return this.db.run("DELETE FROM chat_mutes WHERE until_at <= ?", [now]);
  }

  /** Stores a report; resolves with it as stored. */
  async report(report: Omit<Report, "id" | "resolvedAt">): Promise<Report> {
    const stored: Report = { id: randomUUID(), ...report, resolvedAt: null };
    await this.db.run(
      `INSERT INTO reports (id, at, reporter_profile, reporter_name, reported_profile, reported_name, reported_address, room_id, session_id, match_id, reason, chat)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [stored.id, stored.at, stored.reporterProfile, stored.reporterName, stored.reportedProfile, stored.reportedName, stored.reportedAddress, stored.roomId,
        stored.sessionId, stored.matchId, stored.reason, JSON.stringify(stored.chat)]);
    return stored;
  }

  /** Reports not yet resolved, oldest first (the queue), at most `limit`. */
  async openReports(limit: number): Promise<Report[]> {
    const rows = await this.db.all<ReportRow>("SELECT * FROM reports WHERE resolved_at IS NULL ORDER BY at, id LIMIT ?", [limit]);
    return rows.map(toReport);
  }

  /** Marks a report resolved (with its audit line); false when it was not open. */
  async resolve(id: string, actor: string, reason: string, now = Date.now()): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const row = await tx.one<ReportRow>("SELECT * FROM reports WHERE id = ? AND resolved_at IS NULL", [id]);
      if (!row) return false;
      await tx.run("UPDATE reports SET resolved_at = ? WHERE id = ?", [now, id]);
      await tx.run(AUDIT_INSERT, auditValues({
        at: now, actor, action: "resolve-report", targetProfile: row.reported_profile, targetName: row.reported_name, targetAddress: null,
        reason, details: { reportId: id, matchId: row.match_id },
      }));
      return true;
    });
  }
}

const AUDIT_INSERT = `INSERT INTO audit_log (id, at, actor, action, target_profile, target_name, target_address, reason, details)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function auditValues(entry: Omit<AuditEntry, "id">): Array<string | number | null> {
  return [randomUUID(), entry.at, entry.actor, entry.action, entry.targetProfile, entry.targetName, entry.targetAddress, entry.reason,
    JSON.stringify(entry.details)];
}

function toBan(row: BanRow): Ban {
  return { id: row.id, profileId: row.profile_id, address: row.address, reason: row.reason, createdAt: row.created_at, endsAt: row.ends_at };
}

function toReport(row: ReportRow): Report {
  return {
    id: row.id, at: row.at, reporterProfile: row.reporter_profile, reporterName: row.reporter_name, reportedProfile: row.reported_profile,
    reportedName: row.reported_name, reportedAddress: row.reported_address, roomId: row.room_id, sessionId: row.session_id, matchId: row.match_id, reason: row.reason,
    chat: JSON.parse(row.chat) as ReportChatLine[], resolvedAt: row.resolved_at,
  };
}

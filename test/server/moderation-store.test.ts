import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../server/storage/database.ts";
import { migrate } from "../../server/storage/migrations.ts";
import { BanList, banMessage } from "../../server/moderation/bans.ts";
import { ModerationStore, type Ban } from "../../server/storage/moderation.ts";
import { storageBackends } from "../helpers/postgres.ts";

const MINUTE = 60_000;
const admin = { actor: "admin", action: "ban", targetName: null, reason: "spam" } as const;

describe.each(storageBackends())("moderation records ($name)", (backend) => {
  let db: Database;
  let store: ModerationStore;

  beforeEach(async () => {
    db = openDatabase(await backend.fresh());
    await migrate(db);
    store = new ModerationStore(db);
  });

  afterEach(async () => {
    await db.close();
  });

  describe("bans", () => {
    it("keeps a timed ban in force until its end, a permanent one always, and audits each", async () => {
      const now = Date.UTC(2026, 11, 7, 10);
      const timed = await store.ban({ profileId: "p1", address: null, reason: "spam", createdAt: now, endsAt: now + 60 * MINUTE },
        { ...admin, targetProfile: "p1", targetAddress: null });
      const forever = await store.ban({ profileId: null, address: "203.0.113.7", reason: "slurs", createdAt: now + 1, endsAt: null },
        { ...admin, targetProfile: null, targetAddress: "203.0.113.7", reason: "slurs" });
      expect((await store.activeBans(now + 30 * MINUTE)).map((ban) => ban.id)).toEqual([forever.id, timed.id]);
      expect((await store.activeBans(now + 61 * MINUTE)).map((ban) => ban.id)).toEqual([forever.id]);
      const log = await store.auditLog(10);
      expect(log.map((entry) => [entry.action, entry.reason, entry.details.banId])).toEqual([["ban", "slurs", forever.id], ["ban", "spam", timed.id]]);
    });

    it("lifts a ban once, with an audit line; lifting again finds none", async () => {
      const ban = await store.ban({ profileId: "p1", address: null, reason: "spam", createdAt: 1, endsAt: null }, { ...admin, targetProfile: "p1", targetAddress: null });
      expect((await store.lift(ban.id, "admin", "appeal granted"))?.id).toBe(ban.id);
      expect(await store.lift(ban.id, "admin", "again")).toBeUndefined();
      expect(await store.activeBans()).toEqual([]);
      expect((await store.auditLog(1))[0]).toMatchObject({ action: "unban", targetProfile: "p1", reason: "appeal granted" });
    });
  });

  describe("the audit log", () => {
    it("pages newest first with before", async () => {
      for (let at = 1; at <= 5; at++) {
        await store.audit({ at, actor: "admin", action: "warn", targetProfile: null, targetName: `P${at}`, targetAddress: null, reason: "r", details: { n: at } });
      }
      expect((await store.auditLog(2)).map((entry) => entry.at)).toEqual([5, 4]);
      expect((await store.auditLog(2, 4)).map((entry) => entry.details.n)).toEqual([3, 2]);
    });
  });

  describe("chat mutes", () => {
    it("holds the latest mute of a subject until it ends", async () => {
      await store.mute("guest-1", 1000, "spam");
      await store.mute("guest-1", 5000, "more spam");
      expect(await store.mutedUntil("guest-1", 2000)).toBe(5000);
      expect(await store.mutedUntil("guest-1", 5000)).toBeUndefined();
      expect(await store.mutedUntil("guest-2", 0)).toBeUndefined();
      expect(await store.dropEndedMutes(4000)).toBe(0);
      expect(await store.dropEndedMutes(5000)).toBe(1);
    });
  });

  describe("reports", () => {
    it("queues a report with its match and chat until it is resolved", async () => {
      const report = await store.report({
        at: 10, reporterProfile: "p1", reporterName: "Ann", reportedProfile: "p2", reportedName: "Bob", reportedAddress: "203.0.113.9", roomId: "room1", sessionId: "s2",
        matchId: "room1-abc-1", reason: "insults", chat: [{ from: "Bob", text: "***", at: 9 }],
      });
      expect(await store.openReports(10)).toEqual([{ ...report, resolvedAt: null }]);
      expect(await store.resolve(report.id, "admin", "banned")).toBe(true);
      expect(await store.resolve(report.id, "admin", "again")).toBe(false);
      expect(await store.openReports(10)).toEqual([]);
      expect((await store.auditLog(1))[0]).toMatchObject({ action: "resolve-report", targetName: "Bob", details: { reportId: report.id, matchId: "room1-abc-1" } });
    });
  });
});

describe("the ban list each process holds", () => {
  const ban = (id: string, fields: Partial<Ban>): Ban => ({ id, profileId: null, address: null, reason: id, createdAt: 0, endsAt: null, ...fields });

  it("finds the ban on a profile or an address that ends last, and none once it has ended", () => {
    const list = new BanList();
    list.replace([ban("short", { profileId: "p1", endsAt: 1000 }), ban("long", { profileId: "p1", endsAt: 5000 }), ban("ip", { address: "::ffff:203.0.113.7" })]);
    expect(list.find({ profileId: "p1" }, 500)?.id).toBe("long");
    expect(list.find({ profileId: "p1" }, 6000)).toBeUndefined();
    expect(list.find({ profileId: "p2", address: "203.0.113.7" }, 6000)?.id).toBe("ip");
    expect(list.find({ address: "::FFFF:203.0.113.7" })?.id).toBe("ip");
    expect(list.find({})).toBeUndefined();
  });

  it("forgets a lifted ban, and a ban heard twice counts once", () => {
    const list = new BanList();
    list.add(ban("b", { profileId: "p1", address: "198.51.100.1" }));
    list.add(ban("b", { profileId: "p1", address: "198.51.100.1" }));
    expect(list.size).toBe(1);
    list.remove("b");
    expect(list.find({ profileId: "p1", address: "198.51.100.1" })).toBeUndefined();
    expect(list.size).toBe(0);
  });

  it("words the refusal with the end, or as permanent", () => {
    expect(banMessage({ endsAt: Date.UTC(2026, 11, 8, 9, 30), reason: "spam" })).toBe("banned until 2026-12-08 09:30 UTC: spam");
    expect(banMessage({ endsAt: null, reason: "cheating" })).toBe("banned permanently: cheating");
  });
});

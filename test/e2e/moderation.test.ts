import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { KickCode, ROOM_NAME, type ArenaView } from "../../shared/protocol.ts";
import { ADMIN_PASSWORD } from "../helpers/admin.ts";
import { findTestChromium } from "../helpers/browser.ts";
import { joinFromMenu, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";
import type { ArenaClientRoom } from "../helpers/server.ts";
import { waitFor } from "../helpers/server.ts";

/** The profile MODERATOR_PROFILES names on the file's server. */
const MODERATOR_ID = "7d1e3c2b-5a4f-4e6d-8c9b-0a1b2c3d4e5f";

/** The HUD's chat list as shown on `page`. */
function chatLines(page: Page): Promise<string[]> {
  return page.evaluate(() => window.arenaProbe?.hud?.chatLines ?? []);
}

/**
 * Moderation in real Chromium: a player mutes another for itself and reports
 * it from the scoreboard; a moderator finds the report on the moderator page,
 * plays the match's replay from it and bans the player in three clicks.
 */
describe.skipIf(!findTestChromium())("moderation in the browser (real Chromium)", () => {
  const game = useGameInBrowser({ matchSeconds: 3, scoreboardSeconds: 1, security: { adminPassword: ADMIN_PASSWORD }, moderatorProfiles: [MODERATOR_ID] });

  it("mutes a player for oneself, reports them, and a moderator bans them from the report", async () => {
    const server = game.server;
    const ann = await joinFromMenu(game.browser, server.url, "Ann");
    const bob = await (await server.client("Bob")).joinOrCreate<ArenaView>(ROOM_NAME, { name: "Bob" }) as ArenaClientRoom;
    bob.onMessage("*", () => {});
    const bobLeft = new Promise<number>((resolve) => bob.onLeave((code) => resolve(code)));
    bob.send("chat", { text: "first line" });
    await ann.waitForFunction(() => window.arenaProbe?.hud?.chatLines.includes("Bob: first line"), null, { timeout: 10_000 });

    // Mute: from the scoreboard (Tab held), Bob's lines are hidden on this browser alone, and stay so.
    await ann.keyboard.down("Tab");
    await ann.locator(".scoreboard .line.others", { hasText: "Bob" }).hover();
    await ann.getByRole("button", { name: "Mute Bob" }).click();
    await ann.getByRole("button", { name: "Unmute Bob" }).waitFor({ timeout: 5000 });
    await ann.keyboard.up("Tab");
    expect(await ann.evaluate(() => localStorage.getItem("arena.mutedPlayers"))).toBe(JSON.stringify(["Bob"]));
    bob.send("chat", { text: "second line" });
    await ann.waitForFunction(() => window.arenaProbe?.feed.includes("Bob: second line"), null, { timeout: 10_000 });
    expect(await chatLines(ann)).not.toContain("Bob: second line");

    // Report: two clicks from the scoreboard, answered in the feed.
    await ann.keyboard.down("Tab");
    await ann.locator(".scoreboard .line.others", { hasText: "Bob" }).hover();
    await ann.getByRole("button", { name: "Report Bob" }).click();
    await ann.getByRole("button", { name: "Abusive chat" }).click();
    await ann.keyboard.up("Tab");
    await ann.waitForFunction(() => window.arenaProbe?.hud?.chatLines.includes("Thank you: Bob is reported to the moderators."), null, { timeout: 10_000 });

    // The moderator page, with the admin's credentials.
    const moderator = await game.browser.newContext({ viewport: { width: 1280, height: 900 }, httpCredentials: { username: "admin", password: ADMIN_PASSWORD } });
    try {
      const page = await moderator.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${server.url}/monitor/moderation`);
      const report = page.getByTestId("report").filter({ hasText: "Bob, reported by Ann: Abusive chat" });
      await report.waitFor({ timeout: 10_000 });
      expect(await report.locator(".chat").textContent()).toContain("Bob second line");
      await page.getByTestId("room").filter({ hasText: "Ann" }).filter({ hasText: "Bob" }).waitFor({ timeout: 10_000 });

      // The replay is one click away: it plays once the match is stored.
      const replayUrl = await report.getByRole("link", { name: "Watch replay" }).getAttribute("href");
      const matchId = decodeURIComponent(replayUrl!).split("/").pop()!;
      await waitFor(async () => (await server.arena.records.matches.replay(matchId)) !== undefined, { timeoutMs: 20_000, message: "the reported match's recording" });
      const [replay] = await Promise.all([moderator.waitForEvent("page"), report.getByRole("link", { name: "Watch replay" }).click()]);
      await replay.waitForFunction(() => (window.arenaProbe?.replay?.tick ?? 0) > 5, null, { timeout: 40_000 });
      await replay.close();

      // Ban: the button, then Confirm (the report's reason comes filled in).
      await page.screenshot({ path: screenshotPath("moderation-page.png") });
      await report.getByRole("button", { name: "Ban 1 day" }).click();
      await page.getByRole("button", { name: "Confirm" }).click();
      expect(await bobLeft).toBe(KickCode.removed);
      await page.getByTestId("reports").getByText("No open reports.").waitFor({ timeout: 10_000 });
      await page.getByTestId("ban").filter({ hasText: "Abusive chat" }).waitFor({ timeout: 10_000 });
      await page.getByTestId("audit-entry").filter({ hasText: "ban" }).filter({ hasText: "Abusive chat" }).first().waitFor({ timeout: 10_000 });
      expect(errors).toEqual([]);
    } finally {
      await moderator.close();
      await ann.close();
    }
  }, 120_000);

  it("opens /moderation to a moderator's profile, with the secret this browser plays with", async () => {
    const { db, profiles } = game.server.arena.records;
    await db.run("INSERT INTO profiles (id, name, created_at) VALUES (?, 'Mod', 0)", [MODERATOR_ID]);
    const secret = await profiles.addSecret(MODERATOR_ID);
    const context = await game.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      await context.addInitScript(([key, value]) => localStorage.setItem(key!, value!), [`arena.profile.${game.server.url}`, secret]);
      const page = await context.newPage();
      await page.goto(`${game.server.url}/moderation`);
      await page.getByTestId("status").filter({ hasText: /^Updated/ }).waitFor({ timeout: 10_000 });
      expect(await page.getByRole("link", { name: "Colyseus monitor" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("asks for the admin's credentials", async () => {
    const answer = await fetch(`${game.server.url}/monitor/moderation`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toMatch(/^Basic /);
  });
});

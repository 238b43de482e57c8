import { describe, expect, it } from "vitest";
import { findTestChromium } from "../helpers/browser.ts";
import { joinFromMenu, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";
import { waitFor } from "../helpers/server.ts";

/**
 * Players who come back, in real Chromium: play a match from the menu; later,
 * on a phone-sized screen with the same browser profile, the match is in My
 * matches and on the week's leaderboard, and Watch replay plays its recording.
 */
describe.skipIf(!findTestChromium())("player records in the browser (real Chromium)", () => {
  const game = useGameInBrowser({ matchSeconds: 3, scoreboardSeconds: 1, minPlayers: 3 });

  it("shows a played match in My matches and on the leaderboard, and opens its replay", async () => {
    const server = game.server;
    const play = await joinFromMenu(game.browser, server.url, "Ann");
    const stored = async () => Number((await server.arena.records.db.one<{ n: number }>(
      "SELECT COUNT(*) AS n FROM match_players WHERE name = 'Ann' AND profile_id IS NOT NULL"))!.n);
    await waitFor(async () => (await stored()) > 0, { timeoutMs: 20_000, message: "Ann's match in the records" });
    const [key, secret] = await play.evaluate(() => Object.entries(localStorage).find(([name]) => name.startsWith("arena.profile."))!);
    await play.close();

    // The same browser profile, another day, on a phone.
    const phone = await game.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.addInitScript(([name, value]) => localStorage.setItem(name!, value!), [key, secret]);
    const page = await phone.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await page.goto(`${server.url}/?renderer=canvas`);
      await page.getByRole("button", { name: "Leaderboard" }).click();
      await page.waitForSelector("[data-testid=leaderboard] .line.me", { timeout: 10_000 });
      expect(await page.textContent("[data-testid=leaderboard] .line.me")).toContain("Ann");
      await page.getByRole("button", { name: "Close" }).click();

      await page.getByRole("button", { name: "My matches" }).click();
      await page.waitForSelector("[data-testid=my-matches] .line", { timeout: 10_000 });
      const card = (await page.locator(".player-panel .card").boundingBox())!;
      expect(card.x).toBeGreaterThanOrEqual(0);
      expect(card.x + card.width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: screenshotPath("my-matches-phone.png") });
      await page.getByRole("button", { name: "Watch replay" }).first().click();
      await page.waitForURL(/[?&]replay=/, { timeout: 10_000 });
      await page.waitForFunction(() => (window.arenaProbe?.replay?.tick ?? 0) > 5 && window.arenaProbe!.playersDrawn >= 3, null, { timeout: 20_000 });
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  }, 90_000);
});

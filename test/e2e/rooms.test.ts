import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { findTestChromium } from "../helpers/browser.ts";
import { openGame, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";

const chromiumPath = findTestChromium();

// play.test.ts reports a missing browser (and fails under CI); here the suite just does not run.
describe.skipIf(!chromiumPath)("private rooms, chat and spectators in real Chromium", () => {
  const game = useGameInBrowser();

  async function menu(name: string): Promise<Page> {
    const { page } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`);
    await page.fill("form.menu input[name=name]", name);
    return page;
  }

  const inGame = (page: Page) => page.waitForFunction(() => window.arenaProbe?.status === "connected" && window.arenaProbe.feed !== undefined, null, { timeout: 15_000 });

  async function say(page: Page, text: string): Promise<void> {
    await page.keyboard.press("Enter");
    await page.waitForSelector("input.chat-input", { state: "visible" });
    await page.fill("input.chat-input", text);
    await page.keyboard.press("Enter");
    await page.waitForSelector("input.chat-input", { state: "hidden" });
  }

  it("lists public games in the menu, live", async () => {
    await game.server.connect("Listed");
    const page = await menu("Looker");
    await page.waitForSelector("form.menu .room", { timeout: 10_000 });
    expect(await page.textContent("form.menu .rooms")).toContain("1/16 players");
    await page.screenshot({ path: screenshotPath("menu-room-list.png") });
    await page.close();
  });

  it("one creates a private room, another joins by its code, they chat, a third watches", { timeout: 90_000 }, async () => {
    const host = await menu("Host");
    await host.click("text=Create private room");
    await inGame(host);
    const code = await host.evaluate(() => window.arenaProbe!.roomCode!);
    expect(code).toMatch(/^[A-Z2-9]{5}$/);

    const friend = await menu("Friend");
    await friend.fill("form.menu input.code", code.toLowerCase());
    await friend.click("form.menu button:text-is('Join')");
    await inGame(friend);
    expect(await friend.evaluate(() => window.arenaProbe!.roomCode)).toBe(code);

    const watcher = await menu("Watcher");
    await watcher.fill("form.menu input.code", code);
    await watcher.click("form.menu button:text-is('Watch')");
    await inGame(watcher);
    expect(await watcher.evaluate(() => window.arenaProbe!.spectating)).toBe(true);
    await host.waitForFunction(() => window.arenaProbe!.playersDrawn === 2, null, { timeout: 10_000 });

    const hostile = "<script>window.__pwned = true</script><b>bold</b>";
    await say(host, "hello from the host");
    await say(friend, hostile);
    for (const page of [host, friend, watcher]) {
      await page.waitForFunction((line) => window.arenaProbe!.feed.includes(line), `Friend: ${hostile}`, { timeout: 10_000 });
      await page.waitForFunction(() => window.arenaProbe!.feed.includes("Host: hello from the host"), null, { timeout: 10_000 });
      // Shown as text: nothing ran, nothing was added to the page.
      expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();
      expect(await page.locator("b").count()).toBe(0);
    }
    await host.screenshot({ path: screenshotPath("private-room-chat.png") });

    // The watcher takes the free seat.
    await watcher.keyboard.press("j");
    await watcher.waitForFunction(() => window.arenaProbe!.spectating === false && window.arenaProbe!.me !== undefined, null, { timeout: 10_000 });
    await Promise.all([host.close(), friend.close(), watcher.close()]);
  });

  it("says so in words when a code matches no game", async () => {
    const page = await menu("Lost");
    await page.fill("form.menu input.code", "ZZZZZ");
    await page.click("form.menu button:text-is('Join')");
    await page.waitForFunction(() => document.querySelector("form.menu .status")?.textContent?.includes("No game with that code"), null, { timeout: 10_000 });
    await page.close();
  });
});

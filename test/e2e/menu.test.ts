import { describe, expect, it } from "vitest";
import { findChromium } from "../helpers/browser.ts";
import { joinFromMenu, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";
import { phone } from "../helpers/screen.ts";

/** The menu form and the settings dialog in real Chromium, on a desktop and on phones. */
describe.skipIf(!findChromium())("menu and settings (real Chromium)", () => {
  const game = useGameInBrowser();

  describe("menu", () => {
    it("labels every input, submits Quick Play with Enter, and remembers the name", async () => {
      const context = await game.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${game.server.url}/?renderer=canvas`);
      const unlabelled = await page.$$eval("form.menu input", (inputs) => inputs.filter((i) => (i as HTMLInputElement).labels?.length === 0).map((i) => i.outerHTML));
      expect(unlabelled).toEqual([]);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("menu-name");
      expect(await page.textContent("form.menu .help")).toContain("WASD");
      // The name box is exactly as wide as the row of buttons under it.
      const [nameBox, row] = await Promise.all([page.locator("form.menu input.name").boundingBox(), page.locator("form.menu .row").first().boundingBox()]);
      expect(nameBox!.x).toBeCloseTo(row!.x, 0);
      expect(nameBox!.width).toBeCloseTo(row!.width, 0);
      await page.screenshot({ path: screenshotPath("menu.png") });

      await page.keyboard.type("Remembered");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => window.arenaProbe?.me !== undefined, null, { timeout: 15_000 });
      await page.reload();
      await page.waitForSelector("form.menu input.name");
      // The seat is taken back on a reload if it was held; this server holds none, so the menu shows.
      expect(await page.inputValue("form.menu input.name")).toBe("Remembered");
      await context.close();
    });

    it.each([[390, 844], [844, 390]] as const)("on a %i×%i phone: explains the sticks, the name and Quick Play on the first screen, aligned", async (width, height) => {
      const context = await phone(game.browser, width, height);
      const page = await context.newPage();
      await page.goto(`${game.server.url}/?renderer=canvas`);
      expect(await page.textContent("form.menu .help")).toContain("thumb");
      const [nameBox, play, row] = await Promise.all([
        page.locator("form.menu input.name").boundingBox(),
        page.locator("form.menu button").first().boundingBox(),
        page.locator("form.menu .row").first().boundingBox(),
      ]);
      for (const box of [nameBox!, play!]) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        expect(box.y + box.height).toBeLessThanOrEqual(height);
        expect(box.height).toBeGreaterThanOrEqual(44);
      }
      expect(nameBox!.x).toBeCloseTo(row!.x, 0);
      expect(nameBox!.width).toBeCloseTo(row!.width, 0);
      await page.screenshot({ path: screenshotPath(`menu-phone-${width}x${height}.png`) });
      await context.close();
    });
  });

  describe("settings", () => {
    it("opens from the menu, works by keyboard, and survives a reload", async () => {
      const context = await game.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${game.server.url}/?renderer=canvas`);
      await page.click("form.menu button:text-is('Settings')");
      await page.waitForSelector(".settings", { state: "visible" });
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("settings-volume");
      const unlabelled = await page.$$eval(".settings input", (inputs) => inputs.filter((i) => (i as HTMLInputElement).labels?.length === 0).length);
      expect(unlabelled).toBe(0);
      // The slider by arrow keys (70% to 50%), then Mute and Screen shake by Tab and Space.
      for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Space");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Space");
      await page.keyboard.press("Escape");
      await page.waitForSelector(".settings", { state: "hidden" });

      await page.reload();
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("arena.settings") ?? "{}"));
      expect(stored).toMatchObject({ volume: 0.5, muted: true, screenShake: false });
      await page.click("form.menu button:text-is('Settings')");
      expect(await page.inputValue("#settings-volume")).toBe("50");
      expect(await page.isChecked(".settings input[name=muted]")).toBe(true);
      expect(await page.isChecked(".settings input[name=screenShake]")).toBe(false);
      await context.close();
    });

    it("opens with Esc in game (after closing the chat box), and a change takes effect at once", async () => {
      const page = await joinFromMenu(game.browser, game.server.url, "Esc");
      await page.waitForFunction(() => window.arenaProbe?.hud?.statsText.includes("ms") === true, null, { timeout: 10_000 });

      await page.keyboard.press("Enter");
      await page.waitForSelector("input.chat-input", { state: "visible" });
      await page.keyboard.press("Escape");
      await page.waitForSelector("input.chat-input", { state: "hidden" });
      expect(await page.evaluate(() => window.arenaProbe!.hud!.settingsOpen)).toBe(false);

      await page.keyboard.press("Escape");
      await page.waitForFunction(() => window.arenaProbe?.hud?.settingsOpen === true, null, { timeout: 10_000 });
      await page.screenshot({ path: screenshotPath("settings.png") });
      await page.click(".settings input[name=showStats]");
      await page.click(".settings input[name=netGraph]");
      await page.waitForFunction(() => window.arenaProbe?.hud?.statsText === "" && window.arenaProbe.net?.visible === true, null, { timeout: 10_000 });
      await page.keyboard.press("Escape");
      await page.waitForFunction(() => window.arenaProbe?.hud?.settingsOpen === false, null, { timeout: 10_000 });
      // F3 turns the net graph off again, and the setting follows.
      await page.keyboard.press("F3");
      await page.waitForFunction(() => window.arenaProbe?.net?.visible === false, null, { timeout: 10_000 });
      expect(await page.evaluate(() => JSON.parse(localStorage.getItem("arena.settings")!))).toMatchObject({ netGraph: false, showStats: false });
      await page.close();
    });
  });
});

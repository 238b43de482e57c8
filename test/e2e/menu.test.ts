import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { findTestChromium } from "../helpers/browser.ts";
import { GAME_VIEWPORT, joinFromMenu, quickPlay, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";
import { expectControlsOnScreen, THUMB } from "../helpers/layout.ts";
import { phone } from "../helpers/screen.ts";

/** The menu form and the settings dialog in real Chromium, on a desktop and on phones. */
describe.skipIf(!findTestChromium())("menu and settings (real Chromium)", () => {
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
      // The name box is exactly as wide as Quick Play under it.
      const [nameBox, play] = await Promise.all([page.locator("form.menu input.name").boundingBox(), page.locator("form.menu button.primary").boundingBox()]);
      expect(nameBox!.x).toBeCloseTo(play!.x, 0);
      expect(nameBox!.width).toBeCloseTo(play!.width, 0);
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
      const [nameBox, play] = await Promise.all([
        page.locator("form.menu input.name").boundingBox(),
        page.locator("form.menu button").first().boundingBox(),
      ]);
      for (const box of [nameBox!, play!]) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        expect(box.y + box.height).toBeLessThanOrEqual(height);
        expect(box.height).toBeGreaterThanOrEqual(THUMB);
      }
      expect(nameBox!.x).toBeCloseTo(play!.x, 0);
      expect(nameBox!.width).toBeCloseTo(play!.width, 0);
      await page.screenshot({ path: screenshotPath(`menu-phone-${width}x${height}.png`) });
      await context.close();
    });
  });

  it("lets the engine sleep behind the menu: no frame drawn there, before a match or after one", async () => {
    const context = await game.browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Every frame the page asks for (Phaser's loop asks once a frame while it runs).
    await context.addInitScript(() => {
      let asked = 0;
      const request = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (callback) => { asked++; return request(callback); };
      Object.assign(window, { framesAsked: () => asked });
    });
    const page = await context.newPage();
    const framesAsked = () => page.evaluate(() => (window as unknown as { framesAsked(): number }).framesAsked());
    /** Resolves once no frame was asked for over 300 ms; a loop that runs never lets it. */
    const stillFor300ms = async () => {
      for (let before = await framesAsked(); ; ) {
        await page.waitForTimeout(300);
        const now = await framesAsked();
        if (now === before) return;
        before = now;
      }
    };
    await page.goto(`${game.server.url}/?renderer=canvas`);
    await page.waitForSelector("#game canvas", { state: "attached", timeout: 15_000 });
    await stillFor300ms();

    await page.fill("form.menu input.name", "Sleeper");
    await page.click("form.menu button.primary");
    await page.waitForFunction(() => window.arenaProbe?.me !== undefined, null, { timeout: 15_000 });
    const inMatch = await framesAsked();
    await page.waitForFunction((from) => window.arenaProbe!.frame > from + 10, await page.evaluate(() => window.arenaProbe!.frame));
    expect(await framesAsked()).toBeGreaterThan(inMatch + 10);

    // The server closes the room: the page says so, Enter goes back to the menu, and the loop sleeps again.
    const { matchMaker } = await import("@colyseus/core");
    for (const room of await matchMaker.query({ name: "arena" })) game.server.serverRoom(room.roomId).disconnect();
    await page.waitForFunction(() => window.arenaProbe?.status === "closed", null, { timeout: 15_000 });
    await page.keyboard.press("Enter");
    await page.waitForSelector("form.menu input.name", { timeout: 5000 });
    await stillFor300ms();
    await context.close();
  });

  describe("on every screen", () => {
    // A public game in the list, so its row's Join and Watch buttons are laid out too.
    beforeAll(async () => {
      (await game.server.connect("Listed")).onMessage("*", () => {});
    });

    /**
     * What is checked, for the menu and for each panel it opens (Leaderboard,
     * My matches, Settings): every button, field and list (a checkbox by its
     * label) once the browser has scrolled it into view where its container
     * scrolls lies wholly inside the viewport, is what a tap at its centre
     * reaches (nothing covers or clips it), and is at least 44 px each way;
     * no two overlap as laid out; nothing scrolls sideways. The name and
     * Quick Play are on the first screen without any scrolling, and no
     * control of the menu sticks out of its column.
     */
    it.each([
      ["a small phone upright", 320, 568, true],
      ["a phone upright", 390, 844, true],
      ["a phone on its side", 844, 390, true],
      ["a small phone on its side", 568, 320, true],
      ["a desktop", 1280, 800, false],
    ] as const)("on %s (%i×%i): every control of the menu and its panels on screen, thumb-sized, apart", { timeout: 90_000 }, async (_, width, height, touch) => {
      const context = touch ? await phone(game.browser, width, height) : await game.browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${game.server.url}/?renderer=canvas`);
      await page.waitForSelector("form.menu .room button", { timeout: 30_000 });
      for (const first of ["form.menu input.name", "form.menu button.primary"]) {
        const box = (await page.locator(first).boundingBox())!;
        expect(box.y + box.height, `${first} on the first screen`).toBeLessThanOrEqual(height);
      }
      await page.screenshot({ path: screenshotPath(`menu-${width}x${height}.png`) });
      const menu = await expectControlsOnScreen(page, ".menu-screen", width, height);
      // Nothing sticks out of the menu's column (or columns) either.
      const column = (await page.locator("form.menu").boundingBox())!;
      const outside = menu.placed.filter((box) => box.x < column.x - 0.5 || box.x + box.width > column.x + column.width + 0.5);
      expect(outside.map((box) => box.label)).toEqual([]);

      for (const panel of ["Leaderboard", "My matches"]) {
        await page.click(`form.menu button:text-is('${panel}')`);
        await page.waitForFunction(() => [...document.querySelectorAll(".player-panel .note")].every((note) => note.textContent !== "Loading…"), null, { timeout: 30_000 });
        await page.screenshot({ path: screenshotPath(`menu-${panel.replace(" ", "-").toLowerCase()}-${width}x${height}.png`) });
        await expectControlsOnScreen(page, ".player-panel", width, height);
        await closePanel(page, ".player-panel button:text-is('Close')", ".player-panel");
      }
      await page.click("form.menu button:text-is('Settings')");
      await page.waitForSelector(".settings", { state: "visible" });
      await page.screenshot({ path: screenshotPath(`menu-settings-${width}x${height}.png`) });
      await expectControlsOnScreen(page, ".settings-backdrop", width, height);
      await closePanel(page, ".settings button:text-is('Close')", ".settings");
      expect(errors).toEqual([]);
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

    it("caps the frame rate at 30 when asked, and draws every frame the display shows when not", async () => {
      const context = await game.browser.newContext({ viewport: GAME_VIEWPORT });
      // The display's frames as the page asks for them (only Phaser's loop asks), and no cap to start with.
      await context.addInitScript(() => {
        let asked = 0;
        const request = window.requestAnimationFrame.bind(window);
        window.requestAnimationFrame = (callback) => { asked++; return request(callback); };
        Object.assign(window, { framesAsked: () => asked });
        const stored = JSON.parse(localStorage.getItem("arena.settings") ?? "{}") as object;
        localStorage.setItem("arena.settings", JSON.stringify({ ...stored, frameRateCap: 0 }));
      });
      const page = await context.newPage();
      await quickPlay(page, game.server.url, "Capped");
      /** Frames drawn and asked for over 2 s of the page's own time. */
      const overTwoSeconds = () => page.evaluate(async () => {
        const asked = (window as unknown as { framesAsked(): number }).framesAsked;
        const start = { drawn: window.arenaProbe!.frame, asked: asked(), at: performance.now() };
        await new Promise((resolve) => setTimeout(resolve, 2000));
        return { drawn: window.arenaProbe!.frame - start.drawn, asked: asked() - start.asked, seconds: (performance.now() - start.at) / 1000 };
      });
      // Uncapped, each of the display's frames is drawn (give or take the one in flight at each end).
      const uncapped = await overTwoSeconds();
      expect(uncapped.drawn).toBeGreaterThanOrEqual(uncapped.asked - 2);

      await page.keyboard.press("Escape");
      await page.waitForSelector(".settings", { state: "visible" });
      await page.selectOption(".settings select[name=frameRateCap]", "30");
      await page.keyboard.press("Escape");
      await page.waitForSelector(".settings", { state: "hidden" });
      expect(await page.evaluate(() => JSON.parse(localStorage.getItem("arena.settings")!))).toMatchObject({ frameRateCap: 30 });
      // At most about 30 a second (30.5 on average, see phaserLimitFor), however fast the display goes,
      // with a frame of slack at each end of the window; and the readout counts what is drawn.
      const capped = await overTwoSeconds();
      expect(capped.drawn).toBeLessThanOrEqual(capped.seconds * 31 + 3);
      const readout = await page.evaluate(() => window.arenaProbe!.hud!.statsText);
      expect(Number(/(\d+) fps/.exec(readout)?.[1])).toBeLessThanOrEqual(32);
      await context.close();
    });
  });
});

async function closePanel(page: Page, closeButton: string, panel: string): Promise<void> {
  await page.click(closeButton);
  await page.waitForSelector(panel, { state: "hidden" });
}

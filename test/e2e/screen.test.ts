import { copyFileSync, mkdirSync } from "node:fs";
import { matchMaker } from "@colyseus/core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOM_NAME, ServerMessage } from "../../shared/protocol.ts";
import { findChromium } from "../helpers/browser.ts";
import { joinFromMenu, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";
import type { TestServer } from "../helpers/server.ts";
import type { ProbeRect } from "../../client/probe.ts";

/** `npm run screenshots` sets this: the pictures also go to docs/screenshots/ for the README. */
const DOCS_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? new URL("../../docs/screenshots/", import.meta.url).pathname : undefined;

async function screenshot(page: Page, name: string): Promise<void> {
  const path = screenshotPath(name);
  await page.screenshot({ path });
  if (DOCS_SCREENSHOTS) {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(path, `${DOCS_SCREENSHOTS}${name}`);
  }
}

/** Tests that take a README picture wait for play when making them. */
const PICTURE_TIMEOUT = DOCS_SCREENSHOTS ? 180_000 : 30_000;

/**
 * For the README's pictures only (`npm run screenshots`): waits for a kill in the
 * feed while the own player is alive, so the picture shows both. Tests never wait on play.
 */
async function awaitKillForPicture(page: Page): Promise<void> {
  if (!DOCS_SCREENSHOTS) return;
  await page.waitForFunction(() => (window.arenaProbe?.hud?.kills.length ?? 0) > 0 && window.arenaProbe?.me !== undefined, null, { timeout: 120_000, polling: 250 });
}

/** A phone as Playwright emulates one: touch, a mobile viewport, no mouse. */
function phone(browser: Browser, width: number, height: number): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height }, hasTouch: true, isMobile: true });
}

/** Quick play from the menu in `page`; resolves once the own player is drawn and the HUD published. */
async function quickPlay(page: Page, url: string, name: string): Promise<void> {
  await page.goto(`${url}/?renderer=canvas`);
  await page.fill("form.menu input", name);
  await page.click("form.menu button");
  await page.waitForFunction(() => window.arenaProbe?.me !== undefined && window.arenaProbe.hud !== undefined, null, { timeout: 15_000 });
}

/** The server's room that seats `sessionId`. */
async function roomOf(server: TestServer, sessionId: string) {
  const rooms = (await matchMaker.query({ name: ROOM_NAME })).map((listing) => server.serverRoom(listing.roomId));
  const room = rooms.find((candidate) => candidate.state.players.has(sessionId));
  if (!room) throw new Error(`no room seats ${sessionId}`);
  return room;
}

/** Resolves after GameScene has drawn a new frame (it rebuilds the probe every frame). */
async function nextFrame(page: Page): Promise<void> {
  await page.evaluate(() => { (window.arenaProbe as { stale?: boolean }).stale = true; });
  await page.waitForFunction(() => (window.arenaProbe as { stale?: boolean } | undefined)?.stale === undefined, null, { timeout: 10_000 });
}

function inside(rect: ProbeRect, width: number, height: number): boolean {
  return rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= width + 0.5 && rect.y + rect.height <= height + 0.5;
}

/** Every HUD piece and touch button lies within the viewport, and the page has not scrolled. */
async function expectHudOnScreen(page: Page, width: number, height: number): Promise<void> {
  // A frame at the new size first: the HUD lays out on the resize event.
  await page.waitForFunction(([w, h]) => {
    const hud = window.arenaProbe?.hud;
    return hud !== undefined && hud.clock.x + hud.clock.width <= w && hud.killFeed.x <= w && hud.status.y + hud.status.height <= h;
  }, [width, height] as const, { timeout: 10_000 });
  const hud = (await page.evaluate(() => window.arenaProbe!.hud!));
  for (const part of ["clock", "status", "stats", "killFeed", "chat"] as const) {
    expect(inside(hud[part], width, height), `${part} ${JSON.stringify(hud[part])} in ${width}×${height}`).toBe(true);
  }
  expect(hud.clock.width).toBeGreaterThan(0);
  expect(hud.status.width).toBeGreaterThan(0);
  const buttons = await page.$$eval(".hud-buttons button", (found) => found.map((b) => {
    const r = b.getBoundingClientRect();
    return { label: b.getAttribute("aria-label"), x: r.x, y: r.y, width: r.width, height: r.height };
  }));
  // Chromium has the Fullscreen API: all four buttons.
  expect(buttons.map((b) => b.label)).toEqual(["Chat", "Scoreboard", "Settings", "Fullscreen"]);
  for (const b of buttons) {
    expect(inside(b, width, height), `${b.label} button`).toBe(true);
    expect(b.width).toBeGreaterThanOrEqual(44);
    // At the top edge, away from where thumbs hold the sticks.
    expect(b.y).toBeLessThan(height * 0.2);
  }
  const scroll = await page.evaluate(() => ({
    x: window.scrollX, y: window.scrollY,
    overflowX: document.documentElement.scrollWidth - window.innerWidth,
    overflowY: document.documentElement.scrollHeight - window.innerHeight,
  }));
  expect(scroll).toEqual({ x: 0, y: 0, overflowX: 0, overflowY: 0 });
}

describe.skipIf(!findChromium())("screen layout, HUD, menu and settings (real Chromium)", () => {
  // Bots fill every room to four players, so the pictures show a fight.
  const game = useGameInBrowser({ minPlayers: 4 });
  let server: TestServer;
  let browser: Browser;
  beforeAll(() => {
    server = game.server();
    browser = game.browser();
  });

  describe("menu", () => {
    it("labels every input, submits Quick Play with Enter, and remembers the name", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/?renderer=canvas`);
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
      const context = await phone(browser, width, height);
      const page = await context.newPage();
      await page.goto(`${server.url}/?renderer=canvas`);
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
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/?renderer=canvas`);
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
      const page = await joinFromMenu(browser, server.url, "Esc");
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

  describe("HUD", () => {
    it("shows a kill in the kill feed in the players' colours, and keeps it out of the chat list", async () => {
      const page = await joinFromMenu(browser, server.url, "Victim");
      const me = await page.evaluate(() => window.arenaProbe!.sessionId);
      const room = await roomOf(server, me);
      const bot = [...room.state.players.keys()].find((id) => id !== me)!;
      const botName = room.state.players.get(bot)!.name;
      // Exactly what the room sends when one player eliminates another.
      room.broadcast(ServerMessage.kill, { killer: bot, victim: me });
      room.broadcast(ServerMessage.chat, { from: "", text: `${botName} eliminated Victim` });
      room.broadcast(ServerMessage.chat, { from: "Someone", text: "nice shot" });
      await page.waitForFunction(() => window.arenaProbe?.hud?.kills.length === 1 && window.arenaProbe.feed.includes("Someone: nice shot"), null, { timeout: 10_000 });
      const hud = await page.evaluate(() => window.arenaProbe!.hud!);
      const colors = await page.evaluate(() => window.arenaProbe!.hud!.kills[0]);
      expect(hud.kills[0]).toMatchObject({ killer: botName, victim: "Victim" });
      expect(colors.killerColor).not.toBe(colors.victimColor);
      expect(hud.chatLines).toContain("Someone: nice shot");
      expect(hud.chatLines.some((line) => line.includes("eliminated"))).toBe(false);
      expect(hud.killFeed.width).toBeGreaterThan(0);
      await page.close();
    });
  });

  describe.each([
    ["portrait", 390, 844],
    ["landscape", 844, 390],
  ] as const)("a phone in %s", (orientation, width, height) => {
    it("fits the HUD and the buttons on screen, follows the own player, and does not scroll", { timeout: PICTURE_TIMEOUT }, async () => {
      const context = await phone(browser, width, height);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await quickPlay(page, server.url, "Thumb");
      await expectHudOnScreen(page, width, height);
      const hud = await page.evaluate(() => window.arenaProbe!.hud!);
      expect(hud.camera.wholeWorld).toBe(false);
      // Players drawn at least 20 px across (radius 18 u).
      expect(hud.camera.zoom * 36).toBeGreaterThanOrEqual(20);
      await page.waitForFunction(() => (window.arenaProbe?.playersDrawn ?? 0) >= 3, null, { timeout: 10_000 });

      // The scoreboard button pins the table open; it fits the screen.
      await page.tap(".hud-buttons button[aria-label=Scoreboard]");
      await page.waitForFunction(() => window.arenaProbe?.hud?.scoreboard === true, null, { timeout: 10_000 });
      // The canvas fills the screen exactly (Phaser's RESIZE mode).
      const canvas = await page.evaluate(() => {
        const element = document.querySelector("canvas")!;
        return { width: element.clientWidth, height: element.clientHeight };
      });
      expect(canvas).toEqual({ width, height });
      await page.screenshot({ path: screenshotPath(`scoreboard-${orientation}.png`) });
      await page.tap(".hud-buttons button[aria-label=Scoreboard]");
      await page.waitForFunction(() => window.arenaProbe?.hud?.scoreboard === false, null, { timeout: 10_000 });
      await awaitKillForPicture(page);
      await screenshot(page, `phone-${orientation}.png`);

      // The settings button opens the dialog over the game; its Close button is reachable (scrolled to on a short screen).
      await page.tap(".hud-buttons button[aria-label=Settings]");
      await page.waitForFunction(() => window.arenaProbe?.hud?.settingsOpen === true, null, { timeout: 10_000 });
      await page.screenshot({ path: screenshotPath(`settings-${orientation}.png`) });
      await page.tap(".settings button:text-is('Close')");
      await page.waitForFunction(() => window.arenaProbe?.hud?.settingsOpen === false, null, { timeout: 10_000 });

      // Fullscreen takes the whole page, so the buttons stay on top of the game; the same button leaves it.
      {
        await page.tap(".hud-buttons button[aria-label=Fullscreen]");
        await page.waitForFunction(() => document.fullscreenElement === document.documentElement, null, { timeout: 10_000 });
        expect(await page.evaluate(() => {
          const button = document.querySelector(".hud-buttons button[aria-label=Chat]")!.getBoundingClientRect();
          return document.elementFromPoint(button.x + button.width / 2, button.y + button.height / 2)?.closest("button")?.getAttribute("aria-label");
        })).toBe("Chat");
        await page.tap(".hud-buttons button[aria-label=Fullscreen]");
        await page.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 10_000 });
      }

      // The chat button opens the chat box at the top, clear of the keyboard.
      await page.tap(".hud-buttons button[aria-label=Chat]");
      await page.waitForSelector("input.chat-input", { state: "visible" });
      const chatBox = await page.locator("input.chat-input").boundingBox();
      expect(chatBox!.y).toBeLessThan(height / 2);
      expect(chatBox!.x + chatBox!.width).toBeLessThanOrEqual(width);
      expect(await page.evaluate(() => document.activeElement?.className)).toBe("chat-input");
      // A tap on the game with nothing typed closes it again, giving the controls back.
      await page.touchscreen.tap(width / 2, height * 0.75);
      await page.waitForSelector("input.chat-input", { state: "hidden", timeout: 10_000 });
      expect(errors).toEqual([]);
      await context.close();
    });
  });

  it("draws no fullscreen button where the page cannot go fullscreen (iPhone Safari)", async () => {
    const context = await phone(browser, 390, 844);
    // Safari on an iPhone has no Fullscreen API for pages.
    await context.addInitScript(() => {
      for (const proto of [Element.prototype, HTMLElement.prototype]) {
        for (const name of ["requestFullscreen", "webkitRequestFullscreen", "webkitRequestFullScreen"]) delete (proto as unknown as Record<string, unknown>)[name];
      }
    });
    const page = await context.newPage();
    await quickPlay(page, server.url, "Safari");
    await page.waitForSelector(".hud-buttons button[aria-label=Settings]");
    expect(await page.$$eval(".hud-buttons button", (found) => found.map((b) => b.getAttribute("aria-label")))).toEqual(["Chat", "Scoreboard", "Settings"]);
    await context.close();
  });

  it("keeps playing through a rotation mid-match, laying the HUD out for the new shape", async () => {
    const context = await phone(browser, 390, 844);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await quickPlay(page, server.url, "Turner");
    for (const [width, height] of [[844, 390], [390, 844], [844, 390]] as const) {
      await page.setViewportSize({ width, height });
      await expectHudOnScreen(page, width, height);
      // Still running: frames keep coming, and the player is still seated and connected.
      await nextFrame(page);
      expect(await page.evaluate(() => window.arenaProbe!.status)).toBe("connected");
    }
    const me = await page.evaluate(() => window.arenaProbe!.sessionId);
    expect((await roomOf(server, me)).state.players.get(me)?.connected).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the whole arena on a desktop screen, letterboxed, with the HUD outside it", { timeout: PICTURE_TIMEOUT }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await quickPlay(page, server.url, "Desk");
    await page.waitForFunction(() => (window.arenaProbe?.playersDrawn ?? 0) >= 3, null, { timeout: 10_000 });
    const hud = await page.evaluate(() => window.arenaProbe!.hud!);
    expect(hud.camera.wholeWorld).toBe(true);
    expect(hud.arena.x).toBeGreaterThan(50);
    expect(hud.arena.x * 2 + hud.arena.width).toBeCloseTo(1280, 0);
    // The top line sits above the arena.
    for (const part of [hud.clock, hud.status, hud.stats]) expect(part.y + part.height).toBeLessThanOrEqual(hud.arena.y + 1);
    expect(await page.$$(".hud-buttons button")).toHaveLength(0);
    await awaitKillForPicture(page);
    // A moment of play for the picture: walk and fire until the player has moved (or fallen).
    const start = (await (await page.waitForFunction(() => window.arenaProbe?.me, null, { timeout: 15_000 })).jsonValue())!;
    const key = start.y < 600 ? "s" : "w";
    await page.mouse.move(640, 300);
    await page.keyboard.down(key);
    await page.mouse.down();
    await page.waitForFunction((y0) => {
      const me = window.arenaProbe?.me;
      return me === undefined || Math.abs(me.y - y0) > 40;
    }, start.y, { timeout: 10_000 });
    await screenshot(page, "desktop.png");
    await page.mouse.up();
    await page.keyboard.up(key);

    // A small window: too small for the whole arena, so the camera follows; and back.
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.setViewportSize({ width: 700, height: 500 });
    await page.waitForFunction(() => window.arenaProbe?.hud?.camera.wholeWorld === false, null, { timeout: 10_000 });
    const small = await page.evaluate(() => window.arenaProbe!.hud!);
    for (const part of [small.clock, small.status, small.stats]) expect(inside(part, 700, 500)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForFunction(() => window.arenaProbe?.hud?.camera.wholeWorld === true, null, { timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});

import { describe, expect, it } from "vitest";
import { ServerMessage } from "../../shared/protocol.ts";
import { findTestChromium } from "../helpers/browser.ts";
import { joinFromMenu, quickPlay, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";
import {
  PICTURE_TIMEOUT, awaitKillForPicture, expectHudOnScreen, inside, nextFrame, phone, roomOf, screenshot,
} from "../helpers/screen.ts";

/**
 * The screen in real Chromium with bots in the room: the camera, the HUD and
 * the touch buttons on a desktop and on phones both ways up, through resizes
 * and rotations. `npm run screenshots` also writes the README's pictures.
 */
describe.skipIf(!findTestChromium())("screen layout and HUD (real Chromium)", () => {
  // Bots fill every room to four players, so the pictures show a fight.
  const game = useGameInBrowser({ minPlayers: 4 });

  describe("HUD", () => {
    it("shows a kill in the kill feed in the players' colours, and keeps it out of the chat list", async () => {
      const page = await joinFromMenu(game.browser, game.server.url, "Victim");
      const me = await page.evaluate(() => window.arenaProbe!.sessionId);
      const room = await roomOf(game.server, me);
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
      const context = await phone(game.browser, width, height);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await quickPlay(page, game.server.url, "Thumb");
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

  it("shows sixteen players' scores on a phone either way up, in the game's type, the own line outlined, every name whole", { timeout: 90_000 }, async () => {
    const context = await phone(game.browser, 390, 844);
    const page = await context.newPage();
    await quickPlay(page, game.server.url, "Me");
    const room = await roomOf(game.server, await page.evaluate(() => window.arenaProbe!.sessionId));
    // Fifteen more people with names of the longest length allowed: the bots leave them the seats.
    // Each listens from its join on (the room's chat lines to them would warn otherwise).
    const others = await Promise.all(Array.from({ length: 15 }, async (_, i) => {
      const other = await game.server.joinById(room.roomId, `Player number ${String(i + 1).padStart(2, "0")}`);
      other.onMessage("*", () => {});
      return other;
    }));
    await page.tap(".hud-buttons button[aria-label=Scoreboard]");
    for (const [width, height] of [[390, 844], [844, 390]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForFunction((w) => window.innerWidth === w && document.querySelectorAll(".scoreboard .line").length === 16, width, { timeout: 30_000 });
      const seen = await page.evaluate(() => {
        const board = document.querySelector(".scoreboard")!;
        const style = getComputedStyle(board);
        return {
          board: board.getBoundingClientRect().toJSON() as DOMRect,
          font: style.fontFamily,
          buttonsBottom: document.querySelector(".hud-buttons")!.getBoundingClientRect().bottom,
          lines: [...board.querySelectorAll<HTMLElement>(".line")].map((line) => {
            const name = line.querySelector<HTMLElement>(".name")!;
            return {
              box: line.getBoundingClientRect().toJSON() as DOMRect, me: line.classList.contains("me"), name: name.textContent,
              outline: getComputedStyle(line).outlineStyle, fontSize: parseFloat(getComputedStyle(line).fontSize), cut: name.scrollWidth > name.clientWidth,
            };
          }),
        };
      });
      await page.screenshot({ path: screenshotPath(`scoreboard-16-${width}x${height}.png`) });
      expect(seen.font).toContain("sans-serif");
      expect(inside(seen.board, width, height), `the board ${JSON.stringify(seen.board)} in ${width}×${height}`).toBe(true);
      // Under the touch buttons, which stay in reach.
      expect(seen.board.y).toBeGreaterThanOrEqual(seen.buttonsBottom);
      for (const line of seen.lines) {
        const box = line.box;
        expect(box.x >= seen.board.x && box.y >= seen.board.y && box.right <= seen.board.right && box.bottom <= seen.board.bottom, `${line.name} on the board`).toBe(true);
        expect(line.cut, `${line.name} whole`).toBe(false);
        expect(line.fontSize).toBeGreaterThanOrEqual(13);
      }
      expect(seen.lines.filter((line) => line.me).map((line) => [line.name, line.outline])).toEqual([["Me", "solid"]]);
    }
    await Promise.all(others.map((other) => other.leave()));
    await context.close();
  });

  it("draws no fullscreen button where the page cannot go fullscreen (iPhone Safari)", async () => {
    const context = await phone(game.browser, 390, 844);
    // Safari on an iPhone has no Fullscreen API for pages.
    await context.addInitScript(() => {
      for (const proto of [Element.prototype, HTMLElement.prototype]) {
        for (const name of ["requestFullscreen", "webkitRequestFullscreen", "webkitRequestFullScreen"]) delete (proto as unknown as Record<string, unknown>)[name];
      }
    });
    const page = await context.newPage();
    await quickPlay(page, game.server.url, "Safari");
    await page.waitForSelector(".hud-buttons button[aria-label=Settings]");
    expect(await page.$$eval(".hud-buttons button", (found) => found.map((b) => b.getAttribute("aria-label")))).toEqual(["Chat", "Scoreboard", "Settings"]);
    await context.close();
  });

  it("lets a spectator on a phone watch a player up close, and take a seat with a tap", async () => {
    const host = await game.server.createRoom("Host");
    host.onMessage("*", () => {});
    const context = await phone(game.browser, 390, 844);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${game.server.url}/?renderer=canvas`);
    await page.fill("form.menu input.code", host.roomId);
    await page.tap("form.menu button:text-is('Watch')");
    await page.waitForFunction(() => window.arenaProbe?.spectating === true && (window.arenaProbe.hud?.status.width ?? 0) > 0, null, { timeout: 15_000 });
    const hud = await page.evaluate(() => window.arenaProbe!.hud!);
    expect(hud.camera.wholeWorld).toBe(false);
    await page.touchscreen.tap(195, 600);
    await page.waitForFunction(() => window.arenaProbe?.spectating === false && window.arenaProbe.me !== undefined, null, { timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
    await host.leave();
  });

  it("keeps playing through a rotation mid-match, laying the HUD out for the new shape", async () => {
    const context = await phone(game.browser, 390, 844);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await quickPlay(page, game.server.url, "Turner");
    for (const [width, height] of [[844, 390], [390, 844], [844, 390]] as const) {
      await page.setViewportSize({ width, height });
      await expectHudOnScreen(page, width, height);
      // Still running: frames keep coming, and the player is still seated and connected.
      await nextFrame(page);
      expect(await page.evaluate(() => window.arenaProbe!.status)).toBe("connected");
    }
    const me = await page.evaluate(() => window.arenaProbe!.sessionId);
    expect((await roomOf(game.server, me)).state.players.get(me)?.connected).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the whole arena on a desktop screen, letterboxed, with the HUD outside it", { timeout: PICTURE_TIMEOUT }, async () => {
    const context = await game.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await quickPlay(page, game.server.url, "Desk");
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

import { matchMaker } from "@colyseus/core";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { LargeRoom } from "../../server/rooms/LargeRoom.ts";
import { largeMap } from "../../shared/largeMap.ts";
import { LARGE_ROOM_NAME, MAX_VIEW } from "../../shared/largeMode.ts";
import { findTestChromium } from "../helpers/browser.ts";
import { openGame, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";
import { waitFor } from "../helpers/server.ts";
import { phone } from "../helpers/screen.ts";

/** The large mode in real Chromium: the menu's way in, the map, players coming into view and leaving it, a phone's view. */
describe.skipIf(!findTestChromium())("the large mode (real Chromium)", () => {
  // No bots: the players in view are the test's own.
  const game = useGameInBrowser({ largeMinPlayers: 0 });

  /** Plays the large mode from the menu of `page` as `name`; resolves with the page's session id once its player is drawn. */
  async function playLarge(page: Page, name: string, touch = false): Promise<string> {
    await page.fill("form.menu input.name", name);
    if (touch) await page.tap("form.menu button.large");
    else await page.click("form.menu button.large");
    await page.waitForFunction(() => window.arenaProbe?.me !== undefined && window.arenaProbe.mode === "large", null, { timeout: 20_000 });
    return page.evaluate(() => window.arenaProbe!.sessionId);
  }

  async function largeRoom(): Promise<LargeRoom> {
    const [listing] = await matchMaker.query({ name: LARGE_ROOM_NAME });
    return game.server.serverRoom(listing.roomId) as unknown as LargeRoom;
  }

  /** Puts a player at (x, y), standing (the world's plain player: the next tick publishes it). */
  function place(room: LargeRoom, sessionId: string, x: number, y: number): void {
    Object.assign(room.world.players.get(sessionId)!, { x, y, vx: 0, vy: 0 });
  }

  it("joins from the menu's button, draws the room's map, fades a player in as it comes into view and out as it leaves", async () => {
    const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`, { width: 1024, height: 768 });
    const annId = await playLarge(page, "Ann");
    const room = await largeRoom();
    expect(room.metadata).toMatchObject({ mode: "large" });
    const seen = await page.evaluate(() => ({ seed: window.arenaProbe!.mapSeed, map: window.arenaProbe!.mapDrawn, view: window.arenaProbe!.largeView }));
    expect(seen.seed).toBe(room.world.seed);
    const map = largeMap(room.world.seed);
    expect(seen.map).toEqual({ width: map.width, height: map.height, walls: map.walls.length });
    // A 1024×768 page shows the whole of the largest view, and the server holds it to that.
    expect(seen.view).toEqual(MAX_VIEW);
    expect(room.viewOf(annId).size).toEqual(MAX_VIEW);

    const bob = await (await game.server.client("Bob")).joinById(room.roomId, { name: "Bob" });
    bob.onMessage("*", () => {});
    try {
      // Block corners: lanes cross there, never a wall.
      place(room, annId, 250, 250);
      place(room, bob.sessionId, 3750, 2750);
      const drawnIds = () => page.evaluate(() => window.arenaProbe!.players!.map((drawn) => drawn.id));
      // Settled: Ann drawn where she was put (so a patch after the moves came), and Bob, who may have
      // spawned in her view for a tick before he was moved, out of the state and faded out.
      await page.waitForFunction((id) => {
        const probe = window.arenaProbe!;
        return Math.hypot(probe.me!.x - 250, probe.me!.y - 250) < 1 && probe.inState!.players === 1 && probe.fadingOut === 0
          && probe.players!.every((drawn) => drawn.id === id);
      }, annId, { timeout: 10_000 });
      expect(await drawnIds()).toEqual([annId]);
      const before = await page.evaluate(() => ({ ...window.arenaProbe!.playerFades! }));

      place(room, bob.sessionId, 500, 250);
      await page.waitForFunction((id) => window.arenaProbe!.players!.some((drawn) => drawn.id === id), bob.sessionId, { timeout: 10_000 });
      expect((await page.evaluate(() => window.arenaProbe!.playerFades!)).in).toBe(before.in + 1);
      await page.screenshot({ path: screenshotPath("large-mode.png") });

      place(room, bob.sessionId, 3750, 2750);
      // Gone from the state, faded out, and then gone from the picture too: nothing left behind.
      await page.waitForFunction((id) => {
        const probe = window.arenaProbe!;
        return probe.inState!.players === 1 && probe.fadingOut === 0 && probe.playersDrawn === 1 && !probe.players!.some((drawn) => drawn.id === id);
      }, bob.sessionId, { timeout: 10_000 });
      expect((await page.evaluate(() => window.arenaProbe!.playerFades!)).out).toBe(before.out + 1);
      // The scoreboard lists the room's roster: Bob too, out of view.
      await page.keyboard.down("Tab");
      await page.waitForFunction(() => document.querySelector(".scoreboard:not([hidden])")?.textContent?.includes("Bob"), null, { timeout: 5000 });
      await page.keyboard.up("Tab");
      expect(errors).toEqual([]);
    } finally {
      // The next test counts the room's players: nobody of this one stays in it, whatever failed.
      await bob.leave(true);
      await page.close();
    }
  });

  it("lets a spectator watch the first player of the roster, then the next one with N, and tells the server", async () => {
    const players = await Promise.all(["Bob", "Cat"].map(async (name) => {
      const client = await game.server.client(name);
      const joined = await client.joinOrCreate(LARGE_ROOM_NAME, { name });
      joined.onMessage("*", () => {});
      return joined;
    }));
    const room = await largeRoom();
    const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`);
    try {
      await page.fill("form.menu input.code", room.roomId);
      await page.click("form.menu button:text-is('Watch')");
      await page.waitForFunction(() => window.arenaProbe?.spectating === true && window.arenaProbe.followed !== undefined, null, { timeout: 20_000 });
      const sorted = players.map((joined) => joined.sessionId).sort();
      const spectatorId = await page.evaluate(() => window.arenaProbe!.sessionId);
      expect(await page.evaluate(() => window.arenaProbe!.followed)).toBe(sorted[0]);
      await waitFor(() => room.viewOf(spectatorId).follow === sorted[0], { timeoutMs: 10_000, message: "the server to follow the first player" });
      await page.keyboard.press("n");
      await page.waitForFunction((id) => window.arenaProbe!.followed === id, sorted[1], { timeout: 10_000 });
      await waitFor(() => room.viewOf(spectatorId).follow === sorted[1], { timeoutMs: 10_000, message: "the server to follow the next player" });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await Promise.all(players.map((joined) => joined.leave(true)));
    }
  });

  it("joins from a phone on its side with a smaller view than a desktop's, its minimap clear of the touch buttons", async () => {
    const context = await phone(game.browser, 844, 390);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${game.server.url}/?renderer=canvas`);
    const sessionId = await playLarge(page, "Pat", true);
    const view = (await page.evaluate(() => window.arenaProbe!.largeView))!;
    expect(view.width * view.height).toBeLessThan(MAX_VIEW.width * MAX_VIEW.height);
    expect((await largeRoom()).viewOf(sessionId).size).toEqual(view);
    await page.waitForFunction(() => (window.arenaProbe?.minimap?.width ?? 0) > 0, null, { timeout: 10_000 });
    const minimap = (await page.evaluate(() => window.arenaProbe!.minimap))!;
    const buttons = (await page.locator(".hud-buttons").boundingBox())!;
    const apart = minimap.x + minimap.width <= buttons.x || minimap.y >= buttons.y + buttons.height;
    expect(apart).toBe(true);
    expect(minimap.x + minimap.width).toBeLessThanOrEqual(844);
    expect(minimap.y + minimap.height).toBeLessThanOrEqual(390 / 2);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Helpers for the browser tests of the screen and the menu: pictures, phones, quick play, HUD checks. */
import { copyFileSync, mkdirSync } from "node:fs";
import { matchMaker } from "@colyseus/core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { ROOM_NAME } from "../../shared/protocol.ts";
import type { ProbeRect } from "../../client/probe.ts";
import { screenshotPath } from "./e2e.ts";
import type { TestServer } from "./server.ts";

/** `npm run screenshots` sets this: the pictures also go to docs/screenshots/ for the README. */
export const DOCS_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? new URL("../../docs/screenshots/", import.meta.url).pathname : undefined;

/** Saves a picture under test-output/screenshots/, and under docs/screenshots/ too for `npm run screenshots`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = screenshotPath(name);
  await page.screenshot({ path });
  if (DOCS_SCREENSHOTS) {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(path, `${DOCS_SCREENSHOTS}${name}`);
  }
}

/** Tests that take a README picture wait for play when making them. */
export const PICTURE_TIMEOUT = DOCS_SCREENSHOTS ? 180_000 : 30_000;

/**
 * For the README's pictures only (`npm run screenshots`): waits for a kill in the
 * feed while the own player is alive, so the picture shows both. Tests never wait on play.
 */
export async function awaitKillForPicture(page: Page): Promise<void> {
  if (!DOCS_SCREENSHOTS) return;
  await page.waitForFunction(() => (window.arenaProbe?.hud?.kills.length ?? 0) > 0 && window.arenaProbe?.me !== undefined, null, { timeout: 120_000, polling: 250 });
}

/** A phone as Playwright emulates one: touch, a mobile viewport, no mouse. */
export function phone(browser: Browser, width: number, height: number): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height }, hasTouch: true, isMobile: true });
}

/** The server's room that seats `sessionId`. */
export async function roomOf(server: TestServer, sessionId: string) {
  const rooms = (await matchMaker.query({ name: ROOM_NAME })).map((listing) => server.serverRoom(listing.roomId));
  const room = rooms.find((candidate) => candidate.state.players.has(sessionId));
  if (!room) throw new Error(`no room seats ${sessionId}`);
  return room;
}

/** Resolves after GameScene has drawn a new frame (the probe's frame counter moved on). */
export async function nextFrame(page: Page): Promise<void> {
  const drawn = await page.evaluate(() => window.arenaProbe!.frame);
  await page.waitForFunction((before) => window.arenaProbe !== undefined && window.arenaProbe.frame !== before, drawn, { timeout: 10_000 });
}

export function inside(rect: ProbeRect, width: number, height: number): boolean {
  return rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= width + 0.5 && rect.y + rect.height <= height + 0.5;
}

/** Every HUD piece and touch button lies within the viewport, and the page has not scrolled. */
export async function expectHudOnScreen(page: Page, width: number, height: number): Promise<void> {
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

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import "../../client/probe.ts";
import { findTestChromium, launchChromium } from "./browser.ts";
import { takeBrowserSlot } from "./browserSlots.ts";
import { capTestPages } from "./frameRateCap.ts";
import { TEST_CLIENT_DIR } from "./build-client.ts";
import { startTestServer, type TestServer, type TestServerOptions } from "./server.ts";

export const SCREENSHOTS = new URL("../../test-output/screenshots/", import.meta.url).pathname;

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}

/**
 * The window of a test that plays in a desktop browser and is not about the
 * screen's size. Headless Chromium draws the canvas in software, and copying
 * and compositing its pixels every frame is most of a page's CPU: in a match,
 * 61 % of a core at 1024×768 against 44 % at 640×480 (docs/development.md).
 * 800×600 is the smallest desktop window that none of the layout's narrow or
 * short rules applies to (`client/view/hudLayout.ts`, `client/style.css`);
 * the screen tests try the other sizes.
 */
export const GAME_VIEWPORT = { width: 800, height: 600 } as const;

/** A script a test runs in a page before the page's own (Playwright's `addInitScript`), with its argument. */
export interface InitScript<A> {
  script: (arg: A) => void;
  arg?: A;
}

/**
 * Opens a page on `url`, in a window of `viewport`, that records uncaught page
 * errors in `errors`; `init`, when given, runs in the page before any of its
 * own scripts (saved settings, a device without some API, a test gamepad).
 */
export async function openGame<A = undefined>(
  browser: Browser, url: string, viewport: { width: number; height: number } = GAME_VIEWPORT, init?: InitScript<A>,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Playwright types the argument as it arrives in the page (serialised); these scripts take plain values.
  if (init) await page.addInitScript(init.script as (arg: unknown) => void, init.arg);
  await page.goto(url);
  return { page, errors };
}

/** How the page saw its last press: how long it was down, and the longest wait between two of its frames since it went down. */
export interface PressSeen {
  pressedMs: number;
  longestFrameGapMs: number;
}

/**
 * Times `page`'s pointer presses (mouse or finger) as the page itself saw them, for tests of a
 * press too short for a tick: on a busy machine one made in one go can reach the page stretched,
 * or the page can stall with it down and then send every missed tick's input with it. Returns the
 * reading of the last press.
 */
export async function watchPresses(page: Page): Promise<() => Promise<PressSeen>> {
  await page.evaluate(() => {
    const press = { downAt: -1, pressedMs: NaN, longestFrameGapMs: 0 };
    Object.assign(window, { arenaTestPress: press });
    let lastFrame = 0;
    const frame = (now: number) => {
      if (press.downAt >= 0 && lastFrame > 0) press.longestFrameGapMs = Math.max(press.longestFrameGapMs, now - lastFrame);
      lastFrame = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    window.addEventListener("pointerdown", (event) => { press.downAt = event.timeStamp; press.longestFrameGapMs = 0; }, true);
    window.addEventListener("pointerup", (event) => { press.pressedMs = event.timeStamp - press.downAt; }, true);
  });
  return () => page.evaluate(() => {
    const { pressedMs, longestFrameGapMs } = (window as unknown as { arenaTestPress: PressSeen }).arenaTestPress;
    return { pressedMs, longestFrameGapMs };
  });
}

/**
 * Enters `name` in the menu of the game open in `page` and clicks Play; resolves once the own
 * player is drawn and the HUD published.
 */
export async function playFromMenu(page: Page, name: string): Promise<void> {
  await page.fill("form.menu input", name);
  await page.click("form.menu button");
  await page.waitForFunction(() => window.arenaProbe?.me !== undefined && window.arenaProbe.hud !== undefined, null, { timeout: 15_000 });
}

/** Quick play from the menu in `page` (a page of a context of the test's own, say), at `url`. */
export async function quickPlay(page: Page, url: string, name: string): Promise<void> {
  await page.goto(`${url}/?renderer=canvas`);
  await playFromMenu(page, name);
}

/**
 * Opens the game at `url` in a page of its own and plays from the menu as `name`
 * (`playFromMenu`), with no page error on the way. The canvas renderer is the default here:
 * software WebGL in a headless browser draws at a few frames a second.
 */
export async function joinFromMenu(browser: Browser, baseUrl: string, name: string, query = "?renderer=canvas"): Promise<Page> {
  const { page, errors } = await openGame(browser, `${baseUrl}/${query}`);
  await playFromMenu(page, name);
  expect(errors).toEqual([]);
  return page;
}

/**
 * The deadline of a hook that launches a browser: it waits for one of the run's
 * browser slots first (browserSlots.ts), behind the files that hold them.
 */
export const BROWSER_HOOK_TIMEOUT_MS = 10 * 60_000;

/**
 * A headless Chromium for a test file, once one of the run's browser slots is
 * free; the slot is given back when the browser closes (or the file's process
 * ends). Launch it in a hook with BROWSER_HOOK_TIMEOUT_MS. Its pages play at
 * TEST_FRAME_RATE_CAP frames a second unless a test sets its own (frameRateCap.ts).
 */
export async function launchTestChromium(): Promise<Browser> {
  const giveBack = await takeBrowserSlot();
  try {
    const browser = await launchChromium(findTestChromium()!);
    browser.once("disconnected", giveBack);
    capTestPages(browser);
    return browser;
  } catch (error) {
    giveBack();
    throw error;
  }
}

/** A real server and a headless Chromium for the tests of one describe (see `useGameInBrowser`). */
export interface GameInBrowser {
  /** The server, from the describe's `beforeAll` on. */
  readonly server: TestServer;
  /** The browser, from the describe's `beforeAll` on. */
  readonly browser: Browser;
}

/**
 * Registers `beforeAll`/`afterAll` in the current describe: a real server on a
 * free port serving the built client (no held seats unless `overrides` say so,
 * so a closed page leaves at once), and a headless Chromium. Call it only
 * where a Chromium exists (`describe.skipIf(!findTestChromium())`, the browser they launch); read
 * `game.server` and `game.browser` in the tests.
 */
export function useGameInBrowser(overrides: TestServerOptions = {}): GameInBrowser {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startTestServer({ clientDir: TEST_CLIENT_DIR, reconnectSeconds: 0, ...overrides });
    browser = await launchTestChromium();
  }, BROWSER_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error("the game server starts in beforeAll: read game.server inside a test");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("the browser starts in beforeAll: read game.browser inside a test");
      return browser;
    },
  };
}

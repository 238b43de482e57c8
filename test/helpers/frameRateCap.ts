import type { Browser, BrowserContext } from "playwright-core";
import type { FrameRateCap } from "../../client/settings.ts";

/**
 * The frame rate cap the test pages play at unless a test sets its own: 30, the
 * player's "saves battery" setting (client/view/frameRate.ts). A game page drawing
 * in software costs about a quarter less CPU at 30 frames a second than at 60,
 * and the browser tests run beside each other on few cores; the game's ticks,
 * inputs and netcode go on at 30 Hz either way. Tests of the cap itself, or of
 * anything drawn per frame, set `frameRateCap` in the page's settings.
 */
export const TEST_FRAME_RATE_CAP: FrameRateCap = 30;

/**
 * Runs in every page before its own scripts: stores the cap in the page's
 * settings where they do not name one yet, so a test's own choice (and a
 * change the page made before a reload) stands.
 */
function storeCap(cap: FrameRateCap): void {
  try {
    const stored = JSON.parse(localStorage.getItem("arena.settings") ?? "{}") as Record<string, unknown>;
    if (!("frameRateCap" in stored)) localStorage.setItem("arena.settings", JSON.stringify({ ...stored, frameRateCap: cap }));
  } catch {
    // No storage on this page (about:blank, a data URL): nothing of the game's runs there.
  }
}

/**
 * Makes every page `browser` opens start with TEST_FRAME_RATE_CAP (see `storeCap`), through the
 * one door every page comes in by: a context (Playwright's `browser.newPage` makes one of its own
 * with `newContext`).
 */
export function capTestPages(browser: Browser): void {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser["newContext"]>): Promise<BrowserContext> => {
    const context = await newContext(...args);
    await context.addInitScript(storeCap, TEST_FRAME_RATE_CAP);
    return context;
  };
}

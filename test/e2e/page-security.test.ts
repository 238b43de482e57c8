import { matchMaker } from "@colyseus/core";
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { findTestChromium } from "../helpers/browser.ts";
import { GAME_VIEWPORT, useGameInBrowser } from "../helpers/e2e.ts";
import { waitFor, type TestServer } from "../helpers/server.ts";

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

/** What the browser refused on a page: `securitypolicyviolation` events and "Refused to …" console lines. */
interface Refusals {
  violations(): Promise<string[]>;
  console: string[];
  errors: string[];
}

/** Opens `url` in a new page that records every CSP refusal from its first script on. */
async function openWatched(browser: Browser, url: string): Promise<{ page: Page; refusals: Refusals }> {
  const page = await browser.newPage({ viewport: GAME_VIEWPORT });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.cspViolations!.push(`${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  const refusals: Refusals = {
    violations: () => page.evaluate(() => window.cspViolations ?? []),
    console: [],
    errors: [],
  };
  page.on("console", (message) => {
    if (/Refused to|Content.Security.Policy/i.test(message.text())) refusals.console.push(message.text());
  });
  page.on("pageerror", (error) => refusals.errors.push(error.message));
  const response = await page.goto(url);
  expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
  return { page, refusals };
}

/** Quick Play from the menu, then the trigger held until the server has the player's shots in flight. */
async function joinAndFire(server: TestServer, page: Page): Promise<void> {
  await page.fill("form.menu input", "Guard");
  await page.click("form.menu button[type=submit]");
  await page.waitForFunction(() => window.arenaProbe?.me !== undefined, null, { timeout: 20_000 });
  const canvas = page.locator("canvas").first();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
  await page.mouse.down();
  const sessionId = await page.evaluate(() => window.arenaProbe!.sessionId);
  await waitFor(async () => {
    const rooms = (await matchMaker.query({ name: ROOM_NAME })).map((listing) => server.serverRoom(listing.roomId));
    return rooms.some((room) => [...room.state.projectiles.values()].some((projectile) => projectile.owner === sessionId));
  }, { timeoutMs: 10_000, message: "a shot of the player on the server" });
  await page.mouse.up();
}

describe.skipIf(!findTestChromium())("the page's compression and security headers (real Chromium)", () => {
  const game = useGameInBrowser();

  it.each([
    ["canvas", "?renderer=canvas"],
    ["WebGL", ""],
  ])("loads the game and plays on the %s renderer without a refusal or a page error", async (_renderer, query) => {
    const { page, refusals } = await openWatched(game.browser, `${game.server.url}/${query}`);
    await joinAndFire(game.server, page);
    expect(await refusals.violations()).toEqual([]);
    expect(refusals.console).toEqual([]);
    expect(refusals.errors).toEqual([]);
    await page.close();
  });

  // Chromium always advertises gzip, deflate, br and zstd (it rewrites the header even under request
  // interception): requests that ask for less are covered over plain HTTP in test/server/client-files.test.ts.
  it("sends the page and its scripts brotli-compressed to Chromium, and the game runs on them", async () => {
    const page = await game.browser.newPage({ viewport: GAME_VIEWPORT });
    const received: Array<{ path: string; encoding: string | undefined; vary: string | undefined }> = [];
    page.on("response", (response) => {
      const path = new URL(response.url()).pathname;
      if (path === "/" || path.startsWith("/assets/")) received.push({ path, encoding: response.headers()["content-encoding"], vary: response.headers().vary });
    });
    await page.goto(`${game.server.url}/?renderer=canvas`);
    await page.fill("form.menu input", "Reader");
    await page.click("form.menu button[type=submit]");
    await page.waitForFunction(() => window.arenaProbe?.me !== undefined, null, { timeout: 20_000 });
    expect(received.filter(({ path }) => path.endsWith(".js")).length).toBeGreaterThanOrEqual(2);
    for (const { path, encoding, vary } of received) {
      expect(encoding, path).toBe("br");
      expect(vary, path).toMatch(/Accept-Encoding/i);
    }
    await page.close();
  });

  it("would report a refusal: an inline script is blocked and seen", async () => {
    const { page, refusals } = await openWatched(game.browser, `${game.server.url}/?renderer=canvas`);
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true";
      document.body.append(script);
    });
    await page.waitForFunction(() => (window.cspViolations ?? []).length > 0, null, { timeout: 5000 });
    expect((await refusals.violations()).filter((line) => line.startsWith("script-src"))).toHaveLength(1);
    expect(await page.evaluate(() => (window as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    await page.close();
  });
});

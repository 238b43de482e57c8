/**
 * The game in real Chromium while the game's registry (Redis, on a port of
 * this test's own) is away: quick play says why it waits and tries again by
 * itself, and the player is in a game once Redis is back, without a click.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRY_UNAVAILABLE_SENTENCE } from "../../client/net/errors.ts";
import { findTestChromium } from "../helpers/browser.ts";
import { TEST_CLIENT_DIR } from "../helpers/build-client.ts";
import { BROWSER_HOOK_TIMEOUT_MS, launchTestChromium, openGame, screenshotPath } from "../helpers/e2e.ts";
import { ownRedisAvailable, startOwnRedis, type OwnRedis } from "../helpers/ownRedis.ts";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

const chromiumPath = findTestChromium();

// play.test.ts reports a missing browser (and fails under CI); ownRedis.ts a missing redis-server.
describe.skipIf(!chromiumPath || !ownRedisAvailable)("the game in Chromium while the registry is away", () => {
  let redis: OwnRedis;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    redis = await startOwnRedis();
    server = await startTestServer({ clientDir: TEST_CLIENT_DIR, reconnectSeconds: 0, redisUrl: redis.url });
    browser = await launchTestChromium();
  }, BROWSER_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await redis?.close();
  }, 30_000);

  it("quick play says the registry is unavailable, keeps trying, and plays once Redis is back", { timeout: 60_000 }, async () => {
    await redis.kill();
    await waitFor(async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { registry: string }).registry === "down", {
      timeoutMs: 5000, message: "the server to notice Redis is away",
    });
    const { page, errors } = await openGame(browser, `${server.url}/?renderer=canvas`);
    await page.fill("form.menu input[name=name]", "Patient");
    await page.press("form.menu input[name=name]", "Enter");
    await page.waitForFunction(
      (sentence) => document.querySelector("form.menu .status")?.textContent === sentence,
      `${REGISTRY_UNAVAILABLE_SENTENCE} Trying again…`,
      { timeout: 10_000 },
    );
    await page.screenshot({ path: screenshotPath("menu-registry-unavailable.png") });

    await redis.start();
    await page.waitForFunction(() => window.arenaProbe?.me !== undefined, null, { timeout: 20_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});

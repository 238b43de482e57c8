import { matchMaker } from "@colyseus/core";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { findTestChromium } from "../helpers/browser.ts";
import { GAME_VIEWPORT, openGame, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";
import { waitFor } from "../helpers/server.ts";

const chromiumPath = findTestChromium();

/**
 * Joins by Quick Play without a user gesture: the form is submitted by a
 * script through DevTools with `userGesture: false`. Playwright's own
 * `evaluate` and waits run as if the user had acted, and an audio context the
 * engine makes after that (it loads behind the menu) would be allowed to start:
 * the engine is awaited first, without a gesture too.
 */
async function joinWithoutGesture(page: Page): Promise<void> {
  const devtools = await page.context().newCDPSession(page);
  const run = async (expression: string) =>
    (await devtools.send("Runtime.evaluate", { expression, userGesture: false, returnByValue: true })).result.value as unknown;
  // The engine (and its audio context) is there before anything that counts as a gesture: on a busy
  // machine it loaded after Playwright's first wait, and its context was allowed to start.
  await waitFor(async () => (await run(`document.querySelector("form.menu button") !== null && document.querySelector("#game canvas") !== null`)) === true, {
    timeoutMs: 15_000, message: "the menu and the engine behind it",
  });
  await run(`document.querySelector("form.menu").requestSubmit()`);
  await devtools.detach();
  await page.waitForFunction(() => window.arenaProbe?.me !== undefined && window.arenaProbe.feel !== undefined, null, { timeout: 15_000 });
}

/** Where world point (x, y) is on the page, in CSS pixels, through the game camera's view. */
async function pageXY(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.evaluate(([wx, wy]) => {
    const view = window.arenaProbe!.view!;
    const { screen } = view;
    const canvas = document.querySelector("#game canvas")!.getBoundingClientRect();
    const gameX = screen.x + ((wx - view.x) / view.width) * screen.width;
    const gameY = screen.y + ((wy - view.y) / view.height) * screen.height;
    return {
      x: canvas.left + (gameX / screen.gameWidth) * canvas.width,
      y: canvas.top + (gameY / screen.gameHeight) * canvas.height,
    };
  }, [x, y] as const);
}

describe.skipIf(!chromiumPath)("sound and game feel (real Chromium)", () => {
  // One bot joins each room with the first person: a target to hit.
  const game = useGameInBrowser({ minPlayers: 2 });

  /** The server's view of the room `sessionId` plays in. */
  async function serverRoomOf(sessionId: string) {
    for (const listing of await matchMaker.query({ name: ROOM_NAME })) {
      const room = game.server.serverRoom(listing.roomId);
      if (room.state.players.has(sessionId)) return room;
    }
    throw new Error(`no room holds ${sessionId}`);
  }

  it("joins and plays before any gesture without an error and without a sound, then sounds after one", async () => {
    const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`);
    await joinWithoutGesture(page);
    // The bot fires at the player: game events arrive and sounds are asked for, but none may start.
    await page.waitForFunction(() => (window.arenaProbe!.feel!.sound.requested.shot ?? 0) > 0, null, { timeout: 30_000 });
    const before = await page.evaluate(() => window.arenaProbe!.feel!.sound);
    expect(before.backend).toBe("webaudio");
    expect(before.context).toBe("suspended");
    expect(before.started).toEqual({});
    expect(before.playing).toBe(0);
    expect(errors).toEqual([]);

    // The first gesture (a held mouse button, which also fires) unlocks the audio, and the own shot sounds.
    const me = await page.evaluate(() => window.arenaProbe!.me!);
    const aim = await pageXY(page, me.x + 80, me.y);
    await page.mouse.move(aim.x, aim.y);
    await page.mouse.down();
    await page.waitForFunction(() => {
      const feel = window.arenaProbe!.feel!;
      return feel.sound.context === "running" && (feel.sound.started.shotOwn ?? 0) > 0;
    }, null, { timeout: 15_000 });
    await page.mouse.up();
    const after = await page.evaluate(() => window.arenaProbe!.feel!);
    expect(after.events.shot).toBeGreaterThan(0);
    expect(after.effects.muzzleFlash).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows the hit marker and sounds the hit when an own shot hits the bot", async () => {
    const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`);
    await joinWithoutGesture(page);
    const sessionId = await page.evaluate(() => window.arenaProbe!.sessionId);
    const room = await serverRoomOf(sessionId);
    const botOf = () => [...room.state.players.values()].find((player) => player.bot);
    const botIdOf = (bot: object) => [...room.state.players.entries()].find(([, player]) => player === bot)![0];
    await waitFor(() => botOf() !== undefined, { timeoutMs: 10_000, message: "a bot to join" });

    // Aim at the bot (where the server has it) with the trigger held until the server grants a hit,
    // and on to the kill if it comes soon: the picture of its death burst goes in the docs.
    await page.mouse.move(10, 10);
    await page.mouse.down();
    let deadline = Date.now() + 60_000;
    let hit = false;
    let burstsBefore = 0;
    while (Date.now() < deadline) {
      const bot = botOf();
      if (bot) {
        const target = await pageXY(page, bot.x, bot.y);
        await page.mouse.move(target.x, target.y);
      }
      const { events, effects } = await page.evaluate(() => window.arenaProbe!.feel!);
      if ((events.kill ?? 0) > 0) {
        // The kill notice may come a patch before the state that shows the death: wait for the burst.
        await page.waitForFunction((bursts) => window.arenaProbe!.feel!.effects.deathBurst > bursts, burstsBefore, { timeout: 3000 })
          .catch(() => undefined);
        await page.screenshot({ path: screenshotPath("effects.png") });
        break;
      }
      burstsBefore = effects.deathBurst;
      if (!hit && (events.hitDealt ?? 0) > 0) {
        hit = true;
        deadline = Math.min(deadline, Date.now() + 20_000);
      }
      // After the first hit, one more finishes the bot (the server still judges every hit).
      const botState = bot && room.world.players.get(botIdOf(bot));
      if (hit && botState && botState.alive) botState.hp = Math.min(botState.hp, 25);
      await page.waitForFunction(() => true, null, { polling: "raf" });
    }
    await page.mouse.up();
    const feel = await page.evaluate(() => window.arenaProbe!.feel!);
    expect(feel.events.hitDealt).toBeGreaterThan(0);
    expect(feel.effects.hitMarker).toBeGreaterThan(0);
    expect(feel.sound.requested.hitDealt).toBeGreaterThan(0);
    expect(feel.sound.started.hitDealt).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("flashes, shakes and warns when the own hp falls; no shake with screen shake off", async () => {
    for (const screenShake of [true, false]) {
      const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`, GAME_VIEWPORT, {
        script: (shake: boolean) => localStorage.setItem("arena.settings", JSON.stringify({ screenShake: shake })), arg: screenShake,
      });
      await joinWithoutGesture(page);
      const sessionId = await page.evaluate(() => window.arenaProbe!.sessionId);
      const me = (await serverRoomOf(sessionId)).world.players.get(sessionId)!;
      await waitFor(() => me.alive, { timeoutMs: 10_000, message: "the player to be alive" });
      me.hp = 20;
      await page.waitForFunction(() => {
        const feel = window.arenaProbe!.feel!;
        return feel.lowHpWarning && (feel.events.hurt ?? 0) > 0 && feel.effects.hitFlash > 0 && (feel.sound.requested.hurt ?? 0) > 0;
      }, null, { timeout: 10_000 });
      const shakes = await page.evaluate(() => window.arenaProbe!.feel!.effects.shake);
      if (screenShake) expect(shakes).toBeGreaterThan(0);
      else expect(shakes).toBe(0);
      // Back to full health (or dead and back): the warning goes.
      me.hp = 100;
      await page.waitForFunction(() => !window.arenaProbe!.feel!.lowHpWarning, null, { timeout: 10_000 });
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 60_000);

  it("sets the master volume and mute from the saved settings", async () => {
    const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`, GAME_VIEWPORT, {
      script: () => localStorage.setItem("arena.settings", JSON.stringify({ volume: 0.3, muted: true })),
    });
    await joinWithoutGesture(page);
    // The manager's gains read back once the context runs (Web Audio applies scheduled values as it plays).
    await page.keyboard.press("Shift");
    await page.waitForFunction(() => window.arenaProbe!.feel!.sound.context === "running", null, { timeout: 10_000 });
    await page.waitForFunction(() => Math.abs(window.arenaProbe!.feel!.sound.volume - 0.3) < 1e-5, null, { timeout: 10_000 });
    expect(await page.evaluate(() => window.arenaProbe!.feel!.sound.muted)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("plays on silently on a device without Web Audio", async () => {
    const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`, GAME_VIEWPORT, {
      script: () => {
        const audioless = window as unknown as Record<string, unknown>;
        delete audioless.AudioContext;
        delete audioless.webkitAudioContext;
        delete audioless.OfflineAudioContext;
      },
    });
    await page.click("form.menu button");
    await page.waitForFunction(() => window.arenaProbe?.feel !== undefined && window.arenaProbe.me !== undefined, null, { timeout: 15_000 });
    expect(await page.evaluate(() => typeof window.AudioContext)).toBe("undefined");

    const me = await page.evaluate(() => window.arenaProbe!.me!);
    const aim = await pageXY(page, me.x + 80, me.y);
    await page.mouse.move(aim.x, aim.y);
    await page.mouse.down();
    await page.waitForFunction(() => (window.arenaProbe!.feel!.sound.requested.shotOwn ?? 0) > 1, null, { timeout: 15_000 });
    await page.mouse.up();
    const feel = await page.evaluate(() => window.arenaProbe!.feel!);
    expect(feel.sound.backend).toBe("none");
    expect(feel.sound.started).toEqual({});
    expect(feel.effects.muzzleFlash).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!chromiumPath)("match sounds (real Chromium)", () => {
  // Short phases, so one test sees a match end, the countdown and the next start.
  const game = useGameInBrowser({ matchSeconds: 10, scoreboardSeconds: 4 });

  it("sounds the end of the match, the last three seconds of the scoreboard and the start", async () => {
    const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`);
    await joinWithoutGesture(page);
    await page.keyboard.press("Shift");
    await page.waitForFunction(() => window.arenaProbe!.feel!.sound.context === "running", null, { timeout: 10_000 });
    await page.waitForFunction(() => {
      const { started } = window.arenaProbe!.feel!.sound;
      return (started.matchEnd ?? 0) > 0 && (started.countdown ?? 0) >= 3 && (started.go ?? 0) > 0;
    }, null, { timeout: 45_000 });
    const events = await page.evaluate(() => window.arenaProbe!.feel!.events);
    // The room is new, so the page saw its first match end: each second of that countdown once.
    expect(events.countdown).toBe(3);
    expect(events.matchStart).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});

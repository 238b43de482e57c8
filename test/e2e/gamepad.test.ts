import { matchMaker } from "@colyseus/core";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { findTestChromium } from "../helpers/browser.ts";
import { GAME_VIEWPORT, openGame, playFromMenu, useGameInBrowser } from "../helpers/e2e.ts";
import { waitFor, type TestServer } from "../helpers/server.ts";
import { angleGap, ShotLog } from "../helpers/shots.ts";
import { nextFrames } from "../helpers/touch.ts";

const chromiumPath = findTestChromium();

/** The pad the page is given instead of a real one (see `installTestPad`). */
interface TestPad {
  plug(): void;
  unplug(): void;
  /** Sets the four stick axes (left x, left y, right x, right y) and the right trigger (0…1). */
  set(axes: [number, number, number, number], trigger: number): void;
}

declare global {
  interface Window {
    testPad?: TestPad;
  }
}

/**
 * Runs in the page before any of its scripts: `navigator.getGamepads()` then
 * reports one standard-layout pad while it is plugged in, and plugging and
 * unplugging announce themselves as a browser does.
 */
function installTestPad(): void {
  const pad = {
    id: "Arena test pad (STANDARD GAMEPAD)", index: 0, connected: false, mapping: "standard",
    axes: [0, 0, 0, 0], buttons: Array.from({ length: 17 }, () => ({ pressed: false, touched: false, value: 0 })),
    vibrationActuator: null,
    // A browser stamps a pad whenever it reads it anew.
    get timestamp() { return performance.now(); },
  };
  let plugged = false;
  Object.defineProperty(Navigator.prototype, "getGamepads", { configurable: true, value: () => [plugged ? pad : null, null, null, null] });
  const announce = (type: string) => {
    const event = new Event(type);
    Object.defineProperty(event, "gamepad", { value: pad });
    window.dispatchEvent(event);
  };
  window.testPad = {
    plug() { plugged = true; pad.connected = true; announce("gamepadconnected"); },
    unplug() { plugged = false; pad.connected = false; announce("gamepaddisconnected"); },
    set(axes, trigger) {
      pad.axes = [...axes];
      pad.buttons[7] = { pressed: trigger > 0.5, touched: trigger > 0, value: trigger };
    },
  };
}

describe.skipIf(!chromiumPath)("gamepad controls (real Chromium)", () => {
  const game = useGameInBrowser();

  async function playWithPad(name: string): Promise<{ page: Page; errors: string[]; sessionId: string; room: ReturnType<TestServer["serverRoom"]> }> {
    const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas`, GAME_VIEWPORT, { script: installTestPad });
    await playFromMenu(page, name);
    const sessionId = await page.evaluate(() => window.arenaProbe!.sessionId);
    for (const listing of await matchMaker.query({ name: ROOM_NAME })) {
      const room = game.server.serverRoom(listing.roomId);
      if (room.state.players.has(sessionId)) return { page, errors, sessionId, room };
    }
    throw new Error(`no room holds ${sessionId}`);
  }

  it("moves with the left stick, fires along the right stick with the trigger, and carries on with the keyboard once unplugged", async () => {
    const { page, errors, sessionId, room } = await playWithPad("Pad");
    const player = room.state.players.get(sessionId)!;
    expect(await page.isVisible(".touch-sticks")).toBe(false);
    const sign = player.x < 800 ? 1 : -1;
    const start = { x: player.x, y: player.y };

    await page.evaluate((s) => { window.testPad!.plug(); window.testPad!.set([s, 0, 0, 0], 0); }, sign);
    await waitFor(() => (player.x - start.x) * sign > 60, { timeoutMs: 10_000, message: "the left stick to move the player on the server" });
    expect(player.y).toBe(start.y);
    expect(await page.evaluate(() => window.arenaProbe!.controls!)).toMatchObject({ device: "gamepad", moveX: sign, moveY: 0 });

    // Right stick back the way the player walked, trigger pulled: shots that way. (Towards the middle,
    // a player that walked on into a wall while the machine was busy had its muzzle in the wall: no shot.)
    const aim = sign > 0 ? Math.PI : 0;
    await page.evaluate((a) => window.testPad!.set([0, 0, Math.cos(a), Math.sin(a)], 1), aim);
    const shots = new ShotLog(room, sessionId);
    await waitFor(() => shots.record() >= 3, { timeoutMs: 10_000, message: "three shots from the trigger" });
    for (const direction of shots.directions) expect(angleGap(direction, aim)).toBeLessThan(0.02);

    // The pad at rest does not cancel the keyboard.
    await page.evaluate(() => window.testPad!.set([0, 0, 0, 0], 0));
    await waitFor(() => player.body.vx === 0, { timeoutMs: 5000, message: "the player to stop with the pad at rest" });
    const key = sign > 0 ? "a" : "d";
    const beforeKeys = player.x;
    await page.keyboard.down(key);
    await waitFor(() => (beforeKeys - player.x) * sign > 40, { timeoutMs: 10_000, message: "the keyboard to move the player beside a resting pad" });
    await page.keyboard.up(key);
    await waitFor(() => player.body.vx === 0, { timeoutMs: 5000, message: "the player to stop when the key is let go" });

    // Unplugged with the stick pushed: the player stops, nothing throws, the keyboard carries on.
    await page.evaluate((s) => window.testPad!.set([s, 0, 0, 0], 0), sign);
    await waitFor(() => player.body.vx * sign > 0, { timeoutMs: 5000, message: "the pad to move the player again" });
    await page.evaluate(() => window.testPad!.unplug());
    await waitFor(() => player.body.vx === 0, { timeoutMs: 5000, message: "the player to stop when the pad is unplugged" });
    await nextFrames(page, 5);
    expect((await page.evaluate(() => window.arenaProbe!.controls!)).moveX).toBe(0);
    const beforeUnplugged = player.x;
    await page.keyboard.down(key);
    await waitFor(() => (beforeUnplugged - player.x) * sign > 40, { timeoutMs: 10_000, message: "the keyboard to move the player after the unplug" });
    await page.keyboard.up(key);

    // Plugged in again: it plays again.
    await page.evaluate((s) => { window.testPad!.plug(); window.testPad!.set([s, 0, 0, 0], 0); }, sign);
    await waitFor(() => player.body.vx * sign > 0, { timeoutMs: 5000, message: "the pad to move the player after being plugged in again" });
    expect(errors).toEqual([]);
    await page.close();
  });
});

import { matchMaker } from "@colyseus/core";
import { describe, expect, it } from "vitest";
import { readStick } from "../../client/input/stickMath.ts";
import { MOVE_DEAD_ZONE, TAP_MAX_MS, thumbStickRadius } from "../../client/input/tuning.ts";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { findTestChromium } from "../helpers/browser.ts";
import { screenshotPath, useGameInBrowser, watchPresses } from "../helpers/e2e.ts";
import { waitFor } from "../helpers/server.ts";
import { angleGap, ShotLog } from "../helpers/shots.ts";
import { nextFrames, openPhone, PHONE } from "../helpers/touch.ts";

const chromiumPath = findTestChromium();

describe.skipIf(!chromiumPath)("touch controls on a phone (real Chromium)", () => {
  const game = useGameInBrowser();

  /** Opens the game on a phone, joins by quick play with a tap, and finds the player on the server. */
  async function playOnPhone(name: string) {
    const phone = await openPhone(game.browser, `${game.server.url}/?renderer=canvas`);
    await phone.page.fill("form.menu input", name);
    await phone.page.tap("form.menu button");
    await phone.page.waitForFunction(() => window.arenaProbe?.me !== undefined, null, { timeout: 15_000 });
    const sessionId = await phone.page.evaluate(() => window.arenaProbe!.sessionId);
    for (const listing of await matchMaker.query({ name: ROOM_NAME })) {
      const room = game.server.serverRoom(listing.roomId);
      const player = room.state.players.get(sessionId);
      if (player) return { ...phone, sessionId, room, player, shots: new ShotLog(room, sessionId) };
    }
    throw new Error(`no room holds ${sessionId}`);
  }

  it("moves the player the way the left stick is dragged, analog, on the server, and draws the stick", async () => {
    const p = await playOnPhone("Thumbs");
    const before = { x: p.player.x, y: p.player.y };
    const sign = before.x < 800 ? 1 : -1;
    expect(await p.page.isVisible(".touch-sticks")).toBe(true);

    // Half a push first: the stick's analog value reaches the input unchanged.
    const radius = thumbStickRadius(PHONE.width, PHONE.height);
    await p.fingers.place({ id: 0, x: 120, y: 650 });
    await p.fingers.place({ id: 0, x: 120 + sign * radius * 0.55, y: 650 });
    const half = readStick(sign * radius * 0.55, 0, radius, MOVE_DEAD_ZONE).x;
    await p.page.waitForFunction((x) => Math.abs(window.arenaProbe!.controls!.moveX - x) < 1e-6, half, { timeout: 5000 });
    expect(Math.abs(half)).toBeGreaterThan(0.3);
    expect(Math.abs(half)).toBeLessThan(0.7);
    expect(await p.page.isVisible(".touch-stick-move.held")).toBe(true);

    // Then all the way (past the rim): the player crosses the arena that way, and only that way.
    await p.fingers.place({ id: 0, x: 120 + sign * radius * 2, y: 650 });
    await waitFor(() => (p.player.x - before.x) * sign > 60, { timeoutMs: 10_000, message: "the server to move the player along the stick" });
    expect(p.player.y).toBe(before.y);
    expect(await p.page.evaluate(() => window.arenaProbe!.controls!)).toMatchObject({ device: "touch", moveX: sign, moveY: 0 });
    await p.page.screenshot({ path: screenshotPath("phone-sticks.png") });

    await p.fingers.liftAll();
    await waitFor(() => p.player.body.vx === 0 && p.player.body.vy === 0, { timeoutMs: 5000, message: "the player to stop once the thumb is lifted" });
    expect(await p.page.isVisible(".touch-stick-move.held")).toBe(false);
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it("fires along the right stick while it is held, and once more, the same way, for a tap", async () => {
    const p = await playOnPhone("Trigger");
    const aim = Math.atan2(600 - p.player.y, 800 - p.player.x);
    await p.fingers.place({ id: 1, x: 280, y: 650 });
    await p.fingers.place({ id: 1, x: 280 + 80 * Math.cos(aim), y: 650 + 80 * Math.sin(aim) });
    await waitFor(() => p.shots.record() >= 3, { timeoutMs: 10_000, message: "three shots from the held right stick" });
    for (const direction of p.shots.directions) expect(angleGap(direction, aim)).toBeLessThan(0.02);

    // Lifted: the firing stops (and the weapon reloads) before the tap.
    await p.fingers.liftAll();
    await p.page.waitForFunction(() => window.arenaProbe!.controls!.fire === false, null, { timeout: 5000 });
    await p.shots.recordFor(15);
    const held = p.shots.seen.size;
    await p.shots.recordFor(15);
    expect(p.shots.seen.size).toBe(held);

    // A tap far shorter than a tick: put down and lifted in one go. On a busy machine the page can
    // take the two apart by more than a tap lasts (TAP_MAX_MS): that is a press, which fires nothing,
    // and the tap is made again.
    const lastPress = await watchPresses(p.page);
    for (let tap = 1; ; tap++) {
      await p.fingers.place({ id: 2, x: 300, y: 500 });
      await p.fingers.lift(2);
      const tapMs = (await lastPress()).pressedMs;
      if (tapMs <= TAP_MAX_MS || tap === 5) {
        await waitFor(() => p.shots.record() > held, { timeoutMs: 5000, message: `the shot of tap ${tap} (${tapMs} ms on the page)` });
        break;
      }
    }
    await p.shots.recordFor(20);
    expect(p.shots.seen.size).toBe(held + 1);
    expect(angleGap(p.shots.directions.at(-1)!, aim)).toBeLessThan(0.02);
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it("keeps both sticks through a third finger, and lets go of them when it should", async () => {
    const p = await playOnPhone("Fingers");
    const sign = p.player.x < 800 ? 1 : -1;
    // Aimed back, away from where it walks: walking into a wall with the gun pointed at it would
    // stop the shots (no shot leaves a muzzle inside a wall) long before the ceiling below.
    const aim = sign > 0 ? Math.PI : 0;
    await p.fingers.place({ id: 0, x: 100, y: 650 });
    await p.fingers.place({ id: 0, x: 100 + sign * 70, y: 650 });
    await p.fingers.place({ id: 1, x: 290, y: 650 });
    await p.fingers.place({ id: 1, x: 290 + Math.cos(aim) * 80, y: 650 });
    // A third finger lands on the move half, wanders over both halves and is lifted.
    await p.fingers.place({ id: 2, x: 150, y: 300 });
    await p.fingers.place({ id: 2, x: 300, y: 200 });
    await p.fingers.lift(2);
    await nextFrames(p.page);
    const controls = await p.page.evaluate(() => window.arenaProbe!.controls!);
    expect(controls).toMatchObject({ device: "touch", moveX: sign, moveY: 0, fire: true });
    expect(angleGap(controls.aim, aim)).toBeLessThan(1e-6);
    const x0 = p.player.x;
    const shots = p.shots.record();
    // A ceiling, not a measure: on a machine many times oversubscribed the page and the server both crawl.
    await waitFor(() => (p.player.x - x0) * sign > 30 && p.shots.record() > shots + 1, { timeoutMs: 20_000, message: () => `moving and firing on after the third finger: x ${x0} → ${p.player.x} (sign ${sign}), shots ${shots} → ${p.shots.record()}, hp ${p.player.hp}, vx ${p.player.body.vx}` });

    // The system cancels the touches: both sticks let go.
    await p.fingers.cancel();
    await p.page.waitForFunction(() => window.arenaProbe!.controls!.moveX === 0 && !window.arenaProbe!.controls!.fire, null, { timeout: 5000 });
    await waitFor(() => p.player.body.vx === 0, { timeoutMs: 5000, message: "the player to stop after the cancel" });

    // The window loses focus mid-drag: let go, and the finger still down moves nothing any more.
    await p.fingers.place({ id: 3, x: 100, y: 650 });
    await p.fingers.place({ id: 3, x: 100 - sign * 70, y: 650 });
    await p.page.waitForFunction((s) => window.arenaProbe!.controls!.moveX === -s, sign, { timeout: 5000 });
    await p.page.evaluate(() => window.dispatchEvent(new Event("blur")));
    await p.page.waitForFunction(() => window.arenaProbe!.controls!.moveX === 0, null, { timeout: 5000 });
    await p.fingers.place({ id: 3, x: 100 - sign * 90, y: 650 });
    await nextFrames(p.page);
    expect((await p.page.evaluate(() => window.arenaProbe!.controls!)).moveX).toBe(0);
    await p.fingers.liftAll();

    // The tab goes to the background mid-drag and comes back: let go.
    await p.fingers.place({ id: 6, x: 100, y: 650 });
    await p.fingers.place({ id: 6, x: 100 + sign * 70, y: 650 });
    await p.page.waitForFunction((s) => window.arenaProbe!.controls!.moveX === s, sign, { timeout: 5000 });
    await p.page.evaluate(() => {
      const setHidden = (hidden: boolean) => {
        Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
        document.dispatchEvent(new Event("visibilitychange"));
      };
      setHidden(true);
      setHidden(false);
    });
    await p.page.waitForFunction(() => window.arenaProbe!.controls!.moveX === 0, null, { timeout: 5000 });
    await p.fingers.liftAll();

    // Turned to landscape mid-drag: let go, and sticks work in landscape.
    await p.fingers.place({ id: 4, x: 100, y: 650 });
    await p.fingers.place({ id: 4, x: 100, y: 580 });
    await p.page.waitForFunction(() => window.arenaProbe!.controls!.moveY === -1, null, { timeout: 5000 });
    await p.page.setViewportSize({ width: PHONE.height, height: PHONE.width });
    await p.page.waitForFunction(() => window.arenaProbe!.controls!.moveY === 0, null, { timeout: 5000 });
    await p.fingers.liftAll();
    await p.fingers.place({ id: 5, x: 700, y: 300 });
    await p.fingers.place({ id: 5, x: 700, y: 380 });
    await p.page.waitForFunction(() => window.arenaProbe!.controls!.fire && Math.abs(window.arenaProbe!.controls!.aim - Math.PI / 2) < 1e-6, null, { timeout: 5000 });
    await p.fingers.liftAll();
    await p.page.screenshot({ path: screenshotPath("phone-landscape.png") });
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it("leaves touches on buttons and text fields to them, and never scrolls, zooms or selects the page", async () => {
    const p = await playOnPhone("Still");
    await p.page.evaluate(() => {
      const button = document.createElement("button");
      button.textContent = "HUD";
      button.style.cssText = "position:fixed;left:20px;top:420px;width:120px;height:80px;z-index:30";
      button.addEventListener("click", () => { button.dataset.clicked = "yes"; });
      document.body.append(button);
    });
    await p.fingers.place({ id: 0, x: 60, y: 460 });
    await p.fingers.place({ id: 0, x: 130, y: 460 });
    await nextFrames(p.page);
    expect((await p.page.evaluate(() => window.arenaProbe!.controls!)).moveX).toBe(0);
    await p.fingers.liftAll();
    await p.page.tap("button >> text=HUD");
    expect(await p.page.getAttribute("button >> text=HUD", "data-clicked")).toBe("yes");

    // A swipe up from the bottom edge, a pinch out and a double tap.
    await p.fingers.place({ id: 1, x: 200, y: 830 });
    for (let y = 780; y >= 80; y -= 100) await p.fingers.place({ id: 1, x: 200, y });
    await p.fingers.liftAll();
    await p.fingers.place({ id: 2, x: 180, y: 100 }, { id: 3, x: 210, y: 120 });
    for (let step = 1; step <= 6; step++) await p.fingers.place({ id: 2, x: 180 - step * 25, y: 100 - step * 12 }, { id: 3, x: 210 + step * 25, y: 120 + step * 12 });
    await p.fingers.liftAll();
    for (let i = 0; i < 2; i++) {
      await p.fingers.place({ id: 4, x: 195, y: 120 });
      await p.fingers.liftAll();
    }
    await nextFrames(p.page, 10);

    // The chat line still takes a tap and text while the page holds still.
    await p.page.keyboard.press("Enter");
    await p.page.waitForSelector("input.chat-input", { state: "visible" });
    await p.page.tap("input.chat-input");
    await p.page.keyboard.type("gg");
    expect(await p.page.inputValue("input.chat-input")).toBe("gg");
    expect((await p.page.evaluate(() => window.arenaProbe!.controls!)).fire).toBe(false);
    await p.page.keyboard.press("Escape");

    const page = await p.page.evaluate(() => ({
      scrollX: window.scrollX, scrollY: window.scrollY, scale: window.visualViewport?.scale,
      selection: window.getSelection()?.toString() ?? "",
    }));
    expect(page).toEqual({ scrollX: 0, scrollY: 0, scale: 1, selection: "" });
    expect(p.errors).toEqual([]);
    await p.close();
  });
});

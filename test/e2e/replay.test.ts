import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findTestChromium } from "../helpers/browser.ts";
import { openGame, screenshotPath, useGameInBrowser } from "../helpers/e2e.ts";
import { waitFor, waitForTicks } from "../helpers/server.ts";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { circleOverlapsWall } from "../../shared/geometry.ts";
import { PLAYER_RADIUS } from "../../shared/constants.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { ReplayRun } from "../../shared/replayRun.ts";
import { fuzz } from "../../sim/fuzz/fuzz.ts";

const replayDir = mkdtempSync(join(tmpdir(), "arena-e2e-replays-"));
afterAll(() => rmSync(replayDir, { recursive: true, force: true }));

/**
 * Replay playback in the browser (`?replay=URL`): a match a server recorded
 * (REPLAY_DIR), served at /replays/<file>, plays back in real Chromium with
 * the game's drawing, players moving, and pause and speed controls.
 */
describe.skipIf(!findTestChromium())("replay playback (real Chromium)", () => {
  const game = useGameInBrowser({ replayDir, minPlayers: 4 });

  it("plays a recorded match back with players moving, and pauses and changes speed on request", async () => {
    const server = game.server;
    // A person plays for three seconds with three bots, then leaves: the room closes and writes its recording.
    const room = await server.connect("Recorder");
    room.onMessage("*", () => {});
    await waitForTicks(server, room.roomId, 90);
    await room.leave();
    await waitFor(() => readdirSync(replayDir).some((file) => file.endsWith(".replay")), {
      timeoutMs: 5000, message: "the room's recording",
    });
    const file = readdirSync(replayDir).find((name) => name.endsWith(".replay"))!;

    const { page, errors } = await openGame(game.browser, `${server.url}/?renderer=canvas&replay=/replays/${file}`);
    await page.waitForFunction(() => (window.arenaProbe?.replay?.tick ?? 0) > 5 && window.arenaProbe!.playersDrawn >= 3, null, { timeout: 15_000 });
    const before = await page.evaluate(() => window.arenaProbe!.replay!.players);
    // Someone is drawn somewhere else later on: the bots move.
    await page.waitForFunction((start) => window.arenaProbe!.replay!.players.some((p) => {
      const from = start.find((s) => s.id === p.id);
      return from !== undefined && Math.hypot(p.x - from.x, p.y - from.y) > 20;
    }), before, { timeout: 15_000 });
    await page.screenshot({ path: screenshotPath("replay.png") });

    await page.keyboard.press("Space");
    await page.waitForFunction(() => window.arenaProbe!.replay!.paused, null, { timeout: 5000 });
    const pausedAt = await page.evaluate(() => window.arenaProbe!.replay!.tick);
    await page.evaluate(() => new Promise<void>((resolve) => {
      let frames = 10;
      const next = () => (--frames === 0 ? resolve() : requestAnimationFrame(next));
      requestAnimationFrame(next);
    }));
    expect(await page.evaluate(() => window.arenaProbe!.replay!.tick)).toBe(pausedAt);
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((tick) => window.arenaProbe!.replay!.tick === tick + 1, pausedAt, { timeout: 5000 });

    // One control at a time, each seen to take effect before the next.
    await page.keyboard.press("Digit5");
    await page.waitForFunction(() => window.arenaProbe!.replay!.speed === 4, null, { timeout: 5000 });
    await page.keyboard.press("Space");
    await page.waitForFunction(() => !window.arenaProbe!.replay!.paused, null, { timeout: 5000 });
    await page.waitForFunction(() => window.arenaProbe!.replay!.finished, null, { timeout: 15_000 });
    const end = await page.evaluate(() => window.arenaProbe!.replay!);
    expect(end.tick).toBe(end.ticks);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("plays a fuzz case's minimal replay, its planted bug included: the player ends inside the wall", async () => {
    const { finding } = fuzz({ seed: 7, budgetMs: 60_000, now: () => performance.now(), rules: { faults: { wallCheckOff: true } } });
    writeFileSync(join(replayDir, "fuzz.replay"), finding!.replay);
    const run = new ReplayRun(decodeReplay(finding!.replay));
    while (!run.done) run.step([]);
    const [[id, last]] = [...run.world.players];
    expect(ARENA_MAP.walls.some((wall) => circleOverlapsWall(last.x, last.y, PLAYER_RADIUS - 1e-3, wall))).toBe(true);

    const { page, errors } = await openGame(game.browser, `${game.server.url}/?renderer=canvas&replay=/replays/fuzz.replay`);
    await page.waitForFunction(() => window.arenaProbe?.replay?.finished === true, null, { timeout: 15_000 });
    const end = await page.evaluate(() => window.arenaProbe!.replay!);
    expect(end.tick).toBe(finding!.ticks);
    expect(end.players).toEqual([{ id, x: last.x, y: last.y }]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

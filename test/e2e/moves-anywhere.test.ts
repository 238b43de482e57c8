/**
 * The browser client follows its room to a process at another address (issue
 * "Deploys anywhere"), in real Chromium: the page and matchmaking go through a
 * front at 127.0.0.1 (a load balancer's place), processes listen at 127.0.0.2,
 * .3, …; a room with the page's player, an SDK player, a held seat, bots and a
 * spectator moves from A to B and then to C, and the page plays on in it.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CLIENT_DIR } from "../helpers/build-client.ts";
import { findTestChromium } from "../helpers/browser.ts";
import { configureReconnection } from "../../client/net/reconnection.ts";
import { followRoomMoves } from "../../client/net/roomFollow.ts";
import { takeSeat, watchThrough } from "../helpers/cluster.ts";
import { BROWSER_HOOK_TIMEOUT_MS, joinFromMenu, launchTestChromium } from "../helpers/e2e.ts";
import { useAddressedProcesses } from "../helpers/movingAddresses.ts";
import { logOf } from "../helpers/movingProcesses.ts";
import { postgresAvailable } from "../helpers/postgres.ts";
import { redisAvailable } from "../helpers/redis.ts";
import { playerIn, waitFor } from "../helpers/server.ts";

const chromiumPath = findTestChromium();
const REDIS_DB = 14;

describe.skipIf(!chromiumPath || !redisAvailable || !postgresAvailable)("the browser client follows a room that moves to another address", () => {
  const processes = useAddressedProcesses(REDIS_DB, { CLIENT_DIR: TEST_CLIENT_DIR, MIN_PLAYERS: "4" });
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchTestChromium();
  }, BROWSER_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
  });

  it("keeps the page's seat, score and session through two moves, showing only the pause", async () => {
    let current = await processes.startAt("127.0.0.2");
    const front = processes.front();
    // An SDK player who follows moves, one whose seat is held (away), and a spectator, in A's room.
    const ann = await takeSeat(front, "create", { name: "Ann" });
    configureReconnection(ann.room);
    followRoomMoves(ann.room, front);
    const roomId = ann.room.roomId;
    const cid = await takeSeat(front, "joinById", { name: "Cid" }, roomId);
    const dee = await watchThrough(front, roomId, "Dee");
    configureReconnection(dee);
    followRoomMoves(dee, front);
    const page = await joinFromMenu(browser, front, "Pia");
    const sessionId = await page.evaluate(() => window.arenaProbe!.sessionId);
    await waitFor(() => playerIn(ann.room, sessionId)?.name === "Pia", { message: "Pia in Ann's room" });
    cid.room.reconnection.enabled = false;
    cid.room.connection.close(3000, "away");
    await waitFor(() => playerIn(ann.room, cid.room.sessionId)?.connected === false, { message: "Cid to be away" });
    // Every status the page shows, sampled each frame.
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { statusesSeen: Set<string> }).statusesSeen = seen;
      const sample = () => { seen.add(window.arenaProbe!.status); requestAnimationFrame(sample); };
      sample();
    });

    for (const host of ["127.0.0.3", "127.0.0.4"]) {
      const next = await processes.startAt(host);
      const scoreBefore = playerIn(ann.room, sessionId)!.score;
      processes.unroute(current);
      current.server.child.kill("SIGTERM");
      expect(await current.server.exited).toBe(0);
      expect(logOf(current.server, "room moved")).toEqual([expect.objectContaining({ roomId, address: next.address })]);
      await waitFor(() => logOf(next.server, "room arrived").length === 1, { message: `the room to arrive at ${host}` });
      await page.waitForFunction(() => window.arenaProbe?.status === "connected" && window.arenaProbe.me !== undefined, null, { timeout: 20_000 });
      await waitFor(() => playerIn(ann.room, sessionId)?.connected === true, { timeoutMs: 20_000, message: `Ann to see Pia back on ${host}` });
      expect(await page.evaluate(() => window.arenaProbe!.sessionId)).toBe(sessionId);
      expect(playerIn(ann.room, sessionId)!.score).toBeGreaterThanOrEqual(scoreBefore);
      expect(playerIn(ann.room, cid.room.sessionId)?.connected).toBe(false);
      expect(ann.room.state.spectators).toBe(1);
      // The page's player moves on the new process: its drawn position follows its inputs. It walks
      // towards the middle of the arena (a wall may stand beside its spawn point on the other side).
      // The bots may kill it meanwhile (on a busy machine the test is slow): then it moves once it respawns.
      const key = (await page.evaluate(() => window.arenaProbe!.me?.x ?? 0)) < 800 ? "d" : "a";
      await page.keyboard.down(key);
      await page.waitForFunction(() => {
        const walk = window as unknown as { walkFrom?: number };
        const me = window.arenaProbe!.me;
        if (!me) {
          walk.walkFrom = undefined;
          return false;
        }
        walk.walkFrom ??= me.x;
        return Math.abs(me.x - walk.walkFrom) > 20;
      }, null, { timeout: 20_000 });
      await page.keyboard.up(key);
      await page.evaluate(() => { (window as unknown as { walkFrom?: number }).walkFrom = undefined; });
      current = next;
    }
    const seen = await page.evaluate(() => [...(window as unknown as { statusesSeen: Set<string> }).statusesSeen].sort());
    expect(seen).not.toContain("closed");
    expect(seen).toContain("connected");
    await page.close();
    await Promise.allSettled([ann.room.leave(true), dee.leave(true)]);
  }, 120_000);
});

import type { CDPSession, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { findTestChromium } from "../helpers/browser.ts";
import { GAME_VIEWPORT, joinFromMenu, quickPlay, useGameInBrowser } from "../helpers/e2e.ts";

const chromiumPath = findTestChromium();

/** Generous: two shared cores, a software-rendered page, a server and a browser in one machine. */
const CHANNEL_DEADLINE_MS = 20_000;

/** Waits for the probe to say the state arrives on `transport`. */
async function waitForTransport(page: Page, transport: "datagram" | "websocket", timeout = CHANNEL_DEADLINE_MS): Promise<void> {
  await page.waitForFunction((wanted) => window.arenaProbe?.net?.transport === wanted, transport, { timeout });
}

/**
 * Chromium's network emulation for the page: `packetLoss` (%) applies to its
 * WebRTC traffic only with a `latency` of 1 ms or more (which also delays the
 * WebSocket), and only to peer connections made while emulation is on (later
 * changes of the conditions then apply to them): turn it on before joining.
 */
async function emulate(page: Page, packetLoss: number): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 5, downloadThroughput: -1, uploadThroughput: -1, packetLoss,
  });
  return cdp;
}

/**
 * In the page: counts drawn frames (the display's frames that the game drew,
 * under a frame rate cap not all), and frames in which some player other than
 * the own one was drawn somewhere else than in the frame drawn before, from now on.
 */
async function watchRemoteMotion(page: Page): Promise<void> {
  await page.evaluate(() => {
    const watch = { frames: 0, moving: 0, last: new Map<string, string>(), drawn: -1 };
    (window as unknown as { remoteMotion: typeof watch }).remoteMotion = watch;
    const step = () => {
      const probe = window.arenaProbe;
      if (probe?.players && probe.frame !== watch.drawn) {
        watch.drawn = probe.frame;
        let moved = false;
        for (const player of probe.players) {
          if (player.id === probe.sessionId) continue;
          const at = `${player.x.toFixed(1)},${player.y.toFixed(1)}`;
          if (watch.last.has(player.id) && watch.last.get(player.id) !== at) moved = true;
          watch.last.set(player.id, at);
        }
        watch.frames++;
        if (moved) watch.moving++;
      }
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}

describe.skipIf(!chromiumPath)("datagrams in a real Chromium", () => {
  // Bots fill the room to four, so there are remote players who keep moving; a reloaded page takes its seat back.
  const game = useGameInBrowser({ minPlayers: 4, reconnectSeconds: 20 });

  it("plays on a DataChannel by default: the probe says the state arrives on datagrams", async () => {
    const page = await joinFromMenu(game.browser, game.server.url, "Datagram");
    await waitForTransport(page, "datagram");
    expect(game.server.arena.datagrams.counts.proven).toBeGreaterThan(0);
    // Still playing: the own player moves on its inputs.
    const before = await page.evaluate(() => window.arenaProbe!.me!.x);
    await page.keyboard.down("d");
    await page.waitForFunction((x) => Math.abs((window.arenaProbe?.me?.x ?? x) - x) > 30, before, { timeout: 15_000 });
    await page.keyboard.up("d");
    await page.close();
  });

  it("opens the channel again after a reload, on the seat the page took back", async () => {
    const page = await joinFromMenu(game.browser, game.server.url, "Reloader");
    await waitForTransport(page, "datagram");
    const sessionId = await page.evaluate(() => window.arenaProbe!.sessionId);
    await page.reload();
    await page.waitForFunction((id) => window.arenaProbe?.sessionId === id && window.arenaProbe?.net?.transport === "datagram", sessionId, {
      timeout: CHANNEL_DEADLINE_MS,
    });
    await page.close();
  });

  it("under packet loss keeps the channel, counts the loss, and the remote players keep moving", async () => {
    const page = await game.browser.newPage({ viewport: GAME_VIEWPORT });
    const cdp = await emulate(page, 10);
    await quickPlay(page, game.server.url, "Lossy");
    await waitForTransport(page, "datagram");
    await page.waitForFunction(() => (window.arenaProbe?.net?.datagramLossPercent ?? 0) > 0, null, { timeout: CHANNEL_DEADLINE_MS });
    await watchRemoteMotion(page);
    await page.waitForFunction(() => (window as unknown as { remoteMotion: { frames: number } }).remoteMotion.frames >= 200, null, { timeout: 60_000 });
    const motion = await page.evaluate(() => (window as unknown as { remoteMotion: { frames: number; moving: number } }).remoteMotion);
    // Bots stop now and then, and a frame may come before the next patch: most frames, not all.
    expect(motion.moving / motion.frames).toBeGreaterThan(0.5);
    expect(await page.evaluate(() => window.arenaProbe!.net!.transport)).toBe("datagram");
    await cdp.detach();
    await page.close();
  });

  it("falls back to the WebSocket when the channel dies mid-match, plays on, and opens it again", async () => {
    const page = await game.browser.newPage({ viewport: GAME_VIEWPORT });
    const cdp = await emulate(page, 0);
    await quickPlay(page, game.server.url, "Survivor");
    await waitForTransport(page, "datagram");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 5, downloadThroughput: -1, uploadThroughput: -1, packetLoss: 100 });
    await waitForTransport(page, "websocket");
    await watchRemoteMotion(page);
    await page.waitForFunction(() => (window as unknown as { remoteMotion: { moving: number } }).remoteMotion.moving >= 30, null, { timeout: 30_000 });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1, packetLoss: 0 });
    await waitForTransport(page, "datagram", 60_000);
    await cdp.detach();
    await page.close();
  });

  it("plays over the WebSocket in a browser without WebRTC", async () => {
    const context = await game.browser.newContext({ viewport: GAME_VIEWPORT });
    await context.addInitScript(() => {
      delete (window as { RTCPeerConnection?: unknown }).RTCPeerConnection;
    });
    const offered = game.server.arena.datagrams.counts.offered;
    const page = await context.newPage();
    await quickPlay(page, game.server.url, "NoWebRTC");
    await watchRemoteMotion(page);
    await page.waitForFunction(() => (window as unknown as { remoteMotion: { moving: number } }).remoteMotion.moving >= 30, null, { timeout: 30_000 });
    expect(await page.evaluate(() => window.arenaProbe!.net!.transport)).toBe("websocket");
    // It never asked.
    expect(game.server.arena.datagrams.counts.offered).toBe(offered);
    await context.close();
  });

  it("plays over the WebSocket when UDP to the server is blocked, and keeps trying", async () => {
    const context = await game.browser.newContext({ viewport: GAME_VIEWPORT });
    // The server's candidates never reach the page's ICE: no check can reach the server, as behind a firewall.
    await context.addInitScript(() => {
      RTCPeerConnection.prototype.addIceCandidate = () => Promise.resolve();
    });
    const offered = game.server.arena.datagrams.counts.offered;
    const page = await context.newPage();
    await quickPlay(page, game.server.url, "Firewalled");
    // A first attempt that times out after 3 s, then another after the back-off.
    await expect.poll(() => game.server.arena.datagrams.counts.offered - offered, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await watchRemoteMotion(page);
    await page.waitForFunction(() => (window as unknown as { remoteMotion: { moving: number } }).remoteMotion.moving >= 30, null, { timeout: 30_000 });
    expect(await page.evaluate(() => window.arenaProbe!.net!.transport)).toBe("websocket");
    await context.close();
  });
});


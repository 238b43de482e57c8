import type { BrowserContext } from "playwright-core";

/** A mobile network as Chromium's DevTools emulate it: throughput in bit/s, latency added to each request. */
export interface NetworkConditions {
  name: string;
  downloadBitsPerSecond: number;
  uploadBitsPerSecond: number;
  /** Round trip added to every request (ms). */
  latencyMs: number;
}

/** A good 4G connection: 9 Mbit/s both ways, 170 ms round trip. */
export const FOUR_G: NetworkConditions = { name: "4G", downloadBitsPerSecond: 9e6, uploadBitsPerSecond: 9e6, latencyMs: 170 };

/** When things happened in the page, on its own clock (ms from navigation start); see `recordMilestones`. */
interface Milestones {
  /** The menu works: its form is shown and Quick Play is enabled (nothing of the game engine is needed for that). */
  menu?: number;
  /** The list of public games shows what the lobby said (a game, or that there is none). */
  games?: number;
  /** The engine has booted: Phaser's canvas is on the page. */
  engine?: number;
  /** Quick Play was pressed (only when the visit asks for it: at once, when the menu works). */
  play?: number;
  /** The match's first frame was drawn. */
  match?: number;
}

/** The little of the DOM the page-side functions read (bench/ compiles without the DOM's types). */
interface PageElement {
  disabled?: boolean;
  textContent?: string | null;
  querySelector(selector: string): PageElement | null;
  getClientRects(): { length: number };
  click(): void;
}
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null };
  performance: { now(): number; getEntriesByType(type: string): Array<{ transferSize: number; responseEnd: number }> };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  requestAnimationFrame(callback: () => void): void;
  arenaMilestones?: Milestones;
  arenaProbe?: { frame: number };
}

/**
 * Runs in the page before its own scripts (an init script: the page's CSP
 * does not apply to it) and notes each milestone on the page's clock as the
 * DOM changes. With `play`, it presses Quick Play the moment the menu works
 * and watches for the match's first frame.
 */
function recordMilestones(play: boolean): void {
  const page = globalThis as unknown as PageGlobals;
  const times: Milestones = {};
  page.arenaMilestones = times;
  const watchForMatch = () => {
    if ((page.arenaProbe?.frame ?? 0) > 0) times.match = page.performance.now();
    else page.requestAnimationFrame(watchForMatch);
  };
  const check = () => {
    const now = page.performance.now();
    const doc = page.document;
    const quickPlay = doc.querySelector("form.menu button[type=submit]");
    if (times.menu === undefined && quickPlay && quickPlay.disabled === false && quickPlay.getClientRects().length > 0) {
      times.menu = now;
      if (play) {
        times.play = now;
        quickPlay.click();
        watchForMatch();
      }
    }
    // A game listed, or the sentence that there is none (builds before the list had its own element for it too).
    const rooms = doc.querySelector("form.menu .rooms");
    if (times.games === undefined && rooms && (rooms.querySelector(".room") || rooms.textContent?.startsWith("No public games"))) times.games = now;
    if (times.engine === undefined && doc.querySelector("#game canvas")) times.engine = now;
  };
  new page.MutationObserver(check).observe(page.document, { childList: true, subtree: true, attributes: true });
}

/** Runs in the page: the milestones once every one the visit waits for has come, else false. */
function milestonesReached(play: boolean): Milestones | false {
  const times = (globalThis as unknown as PageGlobals).arenaMilestones;
  const done = times?.menu !== undefined && times.games !== undefined && times.engine !== undefined && (!play || times.match !== undefined);
  return done ? times : false;
}

/**
 * Runs in the page: the bytes of every response that had ended by `at` (ms,
 * the page's clock), the page itself included: what was transferred before
 * then (Resource Timing's `transferSize`: headers and body as received).
 */
function bytesEndedBy(at: number): number {
  const timing = (globalThis as unknown as PageGlobals).performance;
  const entries = [...timing.getEntriesByType("navigation"), ...timing.getEntriesByType("resource")];
  return entries.filter((entry) => entry.responseEnd <= at).reduce((sum, entry) => sum + entry.transferSize, 0);
}

/** What one visit of the page cost and how long the player waited. */
export interface Visit {
  /** From navigation start (the page's time origin) until the menu could be used (ms). */
  playableMenuMs: number;
  /** The bytes of the responses that had ended when the menu could be used: what the working menu cost. */
  bytesBeforeMenu: number;
  /** Until the list of public games showed what the lobby said (ms). */
  gamesListedMs: number;
  /** Until the game engine (Phaser and the scenes, loaded behind the menu) had booted (ms). */
  engineReadyMs: number;
  /** With Quick Play pressed the moment the menu worked: from that press to the match's first frame (ms). */
  quickPlayToMatchMs?: number;
  /** Everything received for every request of the visit (headers included; bytes on the wire, after compression). */
  transferredBytes: number;
  /** The part of `transferredBytes` that was script. */
  scriptBytes: number;
  /** Requests the page made, and how many of them the browser answered from its cache. */
  requests: number;
  fromCache: number;
}

/**
 * Opens `url` in a new page of `context` under `network`, with the browser's
 * cache off when `cold`, and waits for a playable menu (the menu form shown
 * and its Quick Play button enabled), the list of games and the engine; with
 * `play`, Quick Play is pressed as soon as the menu works and the visit waits
 * for the match's first frame too. Bytes are Chromium's own count
 * (`Network.loadingFinished`'s `encodedDataLength`, over every request).
 */
export async function visit(context: BrowserContext, url: string, network: NetworkConditions, cold: boolean, play = false): Promise<Visit> {
  const page = await context.newPage();
  await page.addInitScript(recordMilestones, play);
  const cdp = await context.newCDPSession(page);
  const scripts = new Set<string>();
  const cached = new Set<string>();
  const requests = new Set<string>();
  let transferredBytes = 0;
  let scriptBytes = 0;
  // data: URLs (Phaser's built-in textures) are no traffic.
  cdp.on("Network.requestWillBeSent", (event) => {
    if (!event.request.url.startsWith("data:")) requests.add(event.requestId);
  });
  cdp.on("Network.responseReceived", (event) => {
    if (event.type === "Script") scripts.add(event.requestId);
    if (requests.has(event.requestId) && (event.response.fromDiskCache || event.response.fromPrefetchCache)) cached.add(event.requestId);
  });
  cdp.on("Network.requestServedFromCache", (event) => {
    if (requests.has(event.requestId)) cached.add(event.requestId);
  });
  cdp.on("Network.loadingFinished", (event) => {
    transferredBytes += event.encodedDataLength;
    if (scripts.has(event.requestId)) scriptBytes += event.encodedDataLength;
  });
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: cold });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: network.latencyMs,
    downloadThroughput: network.downloadBitsPerSecond / 8,
    uploadThroughput: network.uploadBitsPerSecond / 8,
  });
  await page.goto(url, { waitUntil: "commit" });
  const reached = await page.waitForFunction(milestonesReached, play, { polling: 50, timeout: 60_000 });
  const times = (await reached.jsonValue()) as Required<Milestones>;
  // Whatever the page fetches after that (the engine's last pieces, the lobby) belongs to the visit too.
  await page.waitForLoadState("networkidle");
  const bytesBeforeMenu = await page.evaluate(bytesEndedBy, times.menu);
  await cdp.detach();
  await page.close();
  return {
    playableMenuMs: times.menu, bytesBeforeMenu, gamesListedMs: times.games, engineReadyMs: times.engine,
    quickPlayToMatchMs: play ? times.match - times.play : undefined,
    transferredBytes, scriptBytes, requests: requests.size, fromCache: cached.size,
  };
}

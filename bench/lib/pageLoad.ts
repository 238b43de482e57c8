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

/** The little of the DOM that `playableMenuAt` reads (bench/ compiles without the DOM's types). */
interface MenuElement {
  disabled?: boolean;
  getClientRects(): { length: number };
  querySelector(selector: string): MenuElement | null;
}

/**
 * Runs in the page (a function, not a string: the page's CSP forbids eval):
 * the page's clock when the menu form is shown with Quick Play enabled, else false.
 */
function playableMenuAt(): number | false {
  const page = globalThis as unknown as { document: MenuElement; performance: { now(): number } };
  const form = page.document.querySelector("form.menu");
  const quickPlay = form?.querySelector("button[type=submit]");
  const shown = form !== null && form !== undefined && form.getClientRects().length > 0;
  return shown && quickPlay && quickPlay.disabled === false ? page.performance.now() : false;
}

/** What one visit of the page cost and how long the player waited. */
export interface Visit {
  /** From navigation start (the page's time origin) until the menu could be used (ms). */
  playableMenuMs: number;
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
 * cache off when `cold`, and waits for a playable menu: the menu form shown
 * and its Quick Play button enabled. Bytes are Chromium's own count
 * (`Network.loadingFinished`'s `encodedDataLength`, over every request).
 */
export async function visit(context: BrowserContext, url: string, network: NetworkConditions, cold: boolean): Promise<Visit> {
  const page = await context.newPage();
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
  const playable = await page.waitForFunction(playableMenuAt, null, { polling: 5, timeout: 60_000 });
  const playableMenuMs = (await playable.jsonValue()) as number;
  // Whatever the menu fetches after it is usable (the list of games) belongs to the visit too.
  await page.waitForLoadState("networkidle");
  await cdp.detach();
  await page.close();
  return { playableMenuMs, transferredBytes, scriptBytes, requests: requests.size, fromCache: cached.size };
}

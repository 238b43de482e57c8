/**
 * `npm run clientfps [-- --gunners 40 --warmup 8 --seconds 20]`: the client's
 * frame rate in a full fight. A real server (its own process) serves the built
 * client; one player joins by Quick Play in headless Chromium (canvas renderer,
 * 1280×800) and the server's bots fill the match to 16 players. Bots fire only
 * at a target, which keeps fewer than 100 shots in the air, so `--gunners` more
 * players join over the network and fire without a pause (the match takes them
 * as extra seats: the bots stay 15). A spectator counts the players and the
 * projectiles in flight. After the warm-up, the page times its own frames with
 * requestAnimationFrame for `--seconds`, and Chromium reports how long its main
 * thread was busy. Prints a table and writes bench/results/clientfps.json.
 *
 * `--large`: the large mode instead: the player joins by the menu's large-mode
 * button and the server's bots fill the room to 100 on the large map (no
 * gunners: a hundred players keep the air full); the players and projectiles
 * are those the page holds (its view of the room), and the results go to
 * bench/results/clientfps-large.json.
 */
import type { CDPSession, Page } from "playwright-core";
import type { RenderProbe } from "../client/probe.ts";
import { findChromium, launchChromium, NO_CHROMIUM_MESSAGE } from "../test/helpers/browser.ts";
import { buildClient, servingEnv } from "./lib/clientBuild.ts";
import { Gunners, watchTheRoom } from "./lib/gunners.ts";
import { numericFlags, percentile, progress, table, writeResult } from "./lib/report.ts";
import { startServerProcess } from "../testkit/serverProcess.ts";

const large = process.argv.includes("--large");
const options = numericFlags(process.argv.slice(2).filter((arg) => arg !== "--large"), { gunners: large ? 0 : 40, warmup: 8, seconds: 20 });
const chromium = findChromium();
if (!chromium) {
  process.stderr.write(`clientfps: ${NO_CHROMIUM_MESSAGE}\n`);
  process.exit(2);
}
const TICK_HZ = 30;
const PLAYERS = large ? 100 : 16;
const VIEWPORT = { width: 1280, height: 800 };
const CLIENT_DIR = new URL("../test-output/clientfps/client/", import.meta.url).pathname;

await buildClient(CLIENT_DIR);
const seats = String(PLAYERS + options.gunners);
const server = await startServerProcess({
  ...servingEnv(CLIENT_DIR), TICK_HZ: String(TICK_HZ), MIN_PLAYERS: large ? "0" : seats, MAX_PLAYERS: large ? "16" : seats,
  LARGE_MIN_PLAYERS: String(PLAYERS), LARGE_MAX_PLAYERS: String(PLAYERS),
  // One match for the whole run: no scoreboard pause in the middle of a measurement.
  MATCH_SECONDS: "3600",
});
const browser = await launchChromium(chromium);
const show = progress();
try {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/?renderer=canvas`);
  await page.fill("form.menu input", "Measured");
  await page.click(large ? "form.menu button.large" : "form.menu button[type=submit]");
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).arenaProbe?.me !== undefined, null, { timeout: 30_000 });
  const gunners = await Gunners.join(server.url, options.gunners, TICK_HZ);
  const observer = large ? undefined : await watchTheRoom(server.url);
  observer?.onMessage("*", () => {});
  // What the page holds of the room: in the large mode, its view of it.
  const inPage = () => page.evaluate(() => (globalThis as unknown as PageGlobals).arenaProbe?.inState ?? { players: 0, projectiles: 0 });

  const projectiles: number[] = [];
  const players: number[] = [];
  const drawn: number[] = [];
  let measuring = false;
  const sampler = setInterval(() => {
    const state = observer?.state;
    if (!measuring || !state?.projectiles || !state.players) return;
    projectiles.push(state.projectiles.size);
    players.push(state.players.size);
  }, 100);
  const inView = { players: [] as number[], projectiles: [] as number[] };

  for (let waited = 0; waited < options.warmup; waited++) {
    show(`warming up ${waited + 1}/${options.warmup} s: ${observer?.state?.projectiles?.size ?? (await inPage()).projectiles} projectiles in flight`);
    await page.waitForTimeout(1000);
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const before = await mainThreadSeconds(cdp);
  measuring = true;
  await startFrameTimer(page);
  for (let waited = 0; waited < options.seconds; waited++) {
    drawn.push(await page.evaluate(() => (globalThis as unknown as PageGlobals).arenaProbe?.playersDrawn ?? 0));
    const held = await inPage();
    inView.players.push(held.players);
    inView.projectiles.push(held.projectiles);
    if (large) {
      players.push(PLAYERS);
      projectiles.push(held.projectiles);
    }
    show(`measuring ${waited + 1}/${options.seconds} s: ${observer?.state?.projectiles?.size ?? held.projectiles} projectiles in flight`);
    await page.waitForTimeout(1000);
  }
  const frames = await stopFrameTimer(page);
  measuring = false;
  const after = await mainThreadSeconds(cdp);
  clearInterval(sampler);
  process.stderr.write("\n");
  await gunners.leave();
  await observer?.leave(true).catch(() => undefined);

  const seconds = frames.reduce((sum, ms) => sum + ms, 0) / 1000;
  const figures = {
    renderer: "canvas",
    viewport: VIEWPORT,
    frames: frames.length,
    fps: frames.length / seconds,
    frameMs: { p50: percentile(frames, 0.5), p99: percentile(frames, 0.99), max: Math.max(...frames) },
    framesOver20Ms: frames.filter((ms) => ms > 20).length,
    mainThreadBusyMsPerFrame: ((after.task - before.task) * 1000) / frames.length,
    scriptMsPerFrame: ((after.script - before.script) * 1000) / frames.length,
    projectilesInFlight: { p50: percentile(projectiles, 0.5), min: Math.min(...projectiles), max: Math.max(...projectiles) },
    playersInMatch: { p50: percentile(players, 0.5), min: Math.min(...players), max: Math.max(...players) },
    playersDrawn: { p50: percentile(drawn, 0.5), min: Math.min(...drawn) },
    mode: large ? "large" : "arena",
    inPage: { players: percentile(inView.players, 0.5), projectiles: percentile(inView.projectiles, 0.5) },
    gunners: options.gunners,
    pageErrors,
  };
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`Headless Chromium, canvas renderer, ${VIEWPORT.width}×${VIEWPORT.height}; ${options.seconds} s measured after ${options.warmup} s of play.`);
  console.log("Frame times are the gaps between requestAnimationFrame callbacks: Chromium paces them to a 60 Hz");
  console.log("display, so 16.7 ms is the best possible; the main thread's busy time per frame shows the headroom.\n");
  console.log(table([
    ["frames", `${figures.frames} in ${seconds.toFixed(1)} s`],
    ["fps", figures.fps.toFixed(1)],
    ["frame time p50 / p99 / max", `${ms(figures.frameMs.p50)} / ${ms(figures.frameMs.p99)} / ${ms(figures.frameMs.max)}`],
    ["frames over 20 ms", `${figures.framesOver20Ms} (${((figures.framesOver20Ms / figures.frames) * 100).toFixed(1)} %)`],
    ["main thread busy per frame (all / script)", `${ms(figures.mainThreadBusyMsPerFrame)} / ${ms(figures.scriptMsPerFrame)}`],
    ["projectiles in flight p50 (min–max)", `${figures.projectilesInFlight.p50} (${figures.projectilesInFlight.min}–${figures.projectilesInFlight.max})`],
    ["players in the match p50 (min–max)", large
      ? `${PLAYERS}: 1 in the browser, ${PLAYERS - 1} bots, on the large map; the page holds ${figures.inPage.players} players and ${figures.inPage.projectiles} projectiles (p50)`
      : `${figures.playersInMatch.p50} (${figures.playersInMatch.min}–${figures.playersInMatch.max}): 1 in the browser, 15 bots, ${options.gunners} gunners`],
    ["players drawn p50 (min)", `${figures.playersDrawn.p50} (${figures.playersDrawn.min})`],
    ["page errors", String(pageErrors.length)],
  ]));
  console.log(`results: ${writeResult(large ? "clientfps-large" : "clientfps", { seconds: options.seconds, warmup: options.warmup, ...figures })}`);
} finally {
  await browser.close();
  await server.stop();
}
process.exit(0);

/** The page's globals this file reads in the page (bench/ compiles without the DOM's types). */
interface PageGlobals {
  arenaProbe?: RenderProbe;
  requestAnimationFrame(callback: (now: number) => void): number;
  frameTimer?: { gaps: number[]; running: boolean };
}

/** Chromium's cumulative main-thread time (seconds): all tasks, and script alone. */
async function mainThreadSeconds(cdp: CDPSession): Promise<{ task: number; script: number }> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
  return { task: value("TaskDuration"), script: value("ScriptDuration") };
}

/** Starts recording the gap between consecutive animation frames in the page. */
async function startFrameTimer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const timer = { gaps: [] as number[], running: true };
    const { requestAnimationFrame } = globalThis as unknown as PageGlobals;
    (globalThis as unknown as PageGlobals).frameTimer = timer;
    let last: number | undefined;
    const frame = (now: number) => {
      if (last !== undefined) timer.gaps.push(now - last);
      last = now;
      if (timer.running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/** Stops the recording and returns the frame gaps (ms). */
async function stopFrameTimer(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const timer = (globalThis as unknown as PageGlobals).frameTimer!;
    timer.running = false;
    return timer.gaps;
  });
}

/**
 * `npm run pageload [-- --runs 5]`: what the page costs a player on 4G. Builds
 * the client, serves it from two real servers side by side, one with the
 * build's brotli and gzip copies (as shipped) and one with the plain files only
 * (the way the page was served before), and loads each in headless Chromium
 * under DevTools' network emulation (9 Mbit/s both ways, 170 ms round trip):
 * a first visit (fresh profile, cache disabled), a repeat visit (cache on),
 * and a first visit whose player presses Quick Play the moment the menu works.
 * Measures the bytes transferred (Chromium's own count, and those of the
 * responses that had ended when the menu worked) and the times from navigation
 * to a playable menu, to the list of games and to the engine (Phaser, loaded
 * behind the menu), and from that Quick Play to the match's first frame.
 * `--baseline REV` builds the client as it was at git revision REV and
 * measures it too, served as shipped, in the same runs: the figures before a
 * change beside those after it, under the same load.
 * Prints a table and writes bench/results/pageload.json.
 */
import { cpSync, readdirSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { findChromium, launchChromium, NO_CHROMIUM_MESSAGE } from "../test/helpers/browser.ts";
import { buildClient, buildClientAt, servingEnv } from "./lib/clientBuild.ts";
import { FOUR_G, visit, type Visit } from "./lib/pageLoad.ts";
import { percentile, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { startServerProcess, type ServerProcess } from "../testkit/serverProcess.ts";

const { flags: options, positional } = toolFlags("pageload", process.argv.slice(2), { runs: 5, baseline: "" });
if (positional.length > 0) usageError("pageload", `unexpected argument ${JSON.stringify(positional[0])}`);
const chromium = findChromium();
if (!chromium) {
  process.stderr.write(`pageload: ${NO_CHROMIUM_MESSAGE}\n`);
  process.exit(2);
}

const OUT = new URL("../test-output/pageload/", import.meta.url).pathname;
const COMPRESSED_DIR = join(OUT, "compressed");
const PLAIN_DIR = join(OUT, "plain");
rmSync(PLAIN_DIR, { recursive: true, force: true });

await buildClient(COMPRESSED_DIR);
// The same build without its encoded copies: the server then sends every file as it is.
cpSync(COMPRESSED_DIR, PLAIN_DIR, { recursive: true, filter: (source) => !/\.(br|gz)$/.test(source) });
const scripts = scriptSizes(COMPRESSED_DIR);

const variants = [
  { name: "compressed (br/gzip)", dir: COMPRESSED_DIR },
  { name: "uncompressed", dir: PLAIN_DIR },
];
if (options.baseline) {
  // The page as it was at another revision, served as shipped: measured in the same runs, under the same load.
  const dir = join(OUT, "baseline");
  await buildClientAt(options.baseline, join(OUT, "baseline-source"), dir);
  variants.push({ name: `compressed, at ${options.baseline}`, dir });
}
// Other work on the machine slows the page's scripts: the one-minute load average is kept with the figures.
const loadBefore = loadavg()[0];
const servers: ServerProcess[] = [];
const browser = await launchChromium(chromium);
const results = variants.map((variant) => ({ variant: variant.name, cold: [] as Visit[], warm: [] as Visit[], play: [] as Visit[] }));
try {
  for (const variant of variants) servers.push(await startServerProcess(servingEnv(variant.dir)));
  // Run by run, every variant in turn: a burst of load elsewhere on the machine falls on all of them alike.
  for (let run = 0; run < options.runs; run++) {
    for (const [index, variant] of variants.entries()) {
      process.stderr.write(`run ${run + 1}/${options.runs}: ${variant.name}\n`);
      const { url } = servers[index];
      const measured = results[index];
      // A fresh profile: an empty cache, as a new player has.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      measured.cold.push(await visit(context, `${url}/`, FOUR_G, true));
      // The visit that fills the cache, then the repeat visit measured.
      await visit(context, `${url}/`, FOUR_G, false);
      measured.warm.push(await visit(context, `${url}/`, FOUR_G, false));
      await context.close();
      const player = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      measured.play.push(await visit(player, `${url}/?renderer=canvas`, FOUR_G, true, true));
      await player.close();
    }
  }
} finally {
  await browser.close();
  await Promise.all(servers.map((server) => server.stop()));
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const median = (values: number[]) => percentile(values, 0.5);
const summary = (visits: Visit[]) => ({
  transferredBytes: median(visits.map((one) => one.transferredBytes)),
  bytesBeforeMenu: median(visits.map((one) => one.bytesBeforeMenu)),
  scriptBytes: median(visits.map((one) => one.scriptBytes)),
  playableMenuMs: median(visits.map((one) => one.playableMenuMs)),
  playableMenuMsRange: [Math.min(...visits.map((one) => one.playableMenuMs)), Math.max(...visits.map((one) => one.playableMenuMs))],
  gamesListedMs: median(visits.map((one) => one.gamesListedMs)),
  engineReadyMs: median(visits.map((one) => one.engineReadyMs)),
  quickPlayToMatchMs: visits[0]?.quickPlayToMatchMs === undefined ? undefined : median(visits.map((one) => one.quickPlayToMatchMs!)),
  requests: median(visits.map((one) => one.requests)),
  fromCache: median(visits.map((one) => one.fromCache)),
});
const rows = results.flatMap(({ variant, cold, warm, play }) => [
  { variant, visit: "first (cold)", ...summary(cold) },
  { variant, visit: "repeat (warm)", ...summary(warm) },
  { variant, visit: "first, Quick Play at once", ...summary(play) },
]);

const ms = (value: number | undefined) => (value === undefined ? "–" : `${Math.round(value)} ms`);
const header = ["served", "visit", "transferred", "before the menu", "of it script", "playable menu (median)", "range", "games listed", "engine", "Quick Play → match", "requests (cached)"];
const lines = rows.map((row) => [
  row.variant, row.visit, kB(row.transferredBytes), kB(row.bytesBeforeMenu), kB(row.scriptBytes), ms(row.playableMenuMs),
  `${Math.round(row.playableMenuMsRange[0])}–${Math.round(row.playableMenuMsRange[1])} ms`, ms(row.gamesListedMs), ms(row.engineReadyMs),
  ms(row.quickPlayToMatchMs), `${row.requests} (${row.fromCache})`,
]);
const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ");
console.log(`network: ${FOUR_G.name}, ${FOUR_G.downloadBitsPerSecond / 1e6} Mbit/s down, ${FOUR_G.uploadBitsPerSecond / 1e6} Mbit/s up, ${FOUR_G.latencyMs} ms RTT; ${options.runs} runs each\n`);
console.log(format(header));
console.log(widths.map((width) => "-".repeat(width)).join("  "));
for (const line of lines) console.log(format(line));
console.log(`\nscript in the build: ${kB(scripts.plain)} plain, ${kB(scripts.gzip)} gzip -9, ${kB(scripts.brotli)} brotli 11 (${scripts.files.join(", ")})`);
for (const [chunk, size] of Object.entries(scripts.chunks)) console.log(`  ${chunk}: ${kB(size.plain)} plain, ${kB(size.gzip)} gzip, ${kB(size.brotli)} brotli`);
console.log(`results: ${writeResult("pageload", { network: FOUR_G, runs: options.runs, baseline: options.baseline || undefined, loadAverage: { before: loadBefore, after: loadavg()[0] }, scripts, rows, visits: results })}`);
process.exit(0);

/** The built scripts' sizes in bytes: plain, and their .gz and .br copies; in all and for each chunk (by its name without the hash). */
function scriptSizes(dir: string) {
  const assets = join(dir, "assets");
  const files = readdirSync(assets).filter((name) => name.endsWith(".js"));
  const size = (name: string) => statSync(join(assets, name)).size;
  const sizes = (names: string[]) => ({
    plain: names.reduce((sum, name) => sum + size(name), 0),
    gzip: names.reduce((sum, name) => sum + size(`${name}.gz`), 0),
    brotli: names.reduce((sum, name) => sum + size(`${name}.br`), 0),
  });
  const chunks = Object.fromEntries(files.map((name) => [name.replace(/-[\w-]{8}\.js$/, ""), sizes([name])]));
  return { ...sizes(files), files, chunks };
}

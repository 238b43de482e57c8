/**
 * `npm run pageload [-- --runs 5]`: what the page costs a player on 4G. Builds
 * the client, serves it from two real servers side by side, one with the
 * build's brotli and gzip copies (as shipped) and one with the plain files only
 * (the way the page was served before), and loads each in headless Chromium
 * under DevTools' network emulation (9 Mbit/s both ways, 170 ms round trip):
 * a first visit (fresh profile, cache disabled) and a repeat visit (cache on).
 * Measures the bytes transferred (Chromium's own count) and the time from
 * navigation to a playable menu. Prints a table and writes bench/results/pageload.json.
 */
import { cpSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { findChromium, launchChromium, NO_CHROMIUM_MESSAGE } from "../test/helpers/browser.ts";
import { buildClient, servingEnv } from "./lib/clientBuild.ts";
import { FOUR_G, visit, type Visit } from "./lib/pageLoad.ts";
import { numericFlags, percentile, writeResult } from "./lib/report.ts";
import { startServerProcess, type ServerProcess } from "../testkit/serverProcess.ts";

const options = numericFlags(process.argv.slice(2), { runs: 5 });
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
  { name: "uncompressed (before)", dir: PLAIN_DIR },
];
const servers: ServerProcess[] = [];
const browser = await launchChromium(chromium);
const results: Array<{ variant: string; cold: Visit[]; warm: Visit[] }> = [];
try {
  for (const variant of variants) {
    const server = await startServerProcess(servingEnv(variant.dir));
    servers.push(server);
    const cold: Visit[] = [];
    const warm: Visit[] = [];
    for (let run = 0; run < options.runs; run++) {
      process.stderr.write(`${variant.name}: run ${run + 1}/${options.runs}\n`);
      // A fresh profile each run: an empty cache, as a new player has.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      cold.push(await visit(context, `${server.url}/`, FOUR_G, true));
      // The visit that fills the cache, then the repeat visit measured.
      await visit(context, `${server.url}/`, FOUR_G, false);
      warm.push(await visit(context, `${server.url}/`, FOUR_G, false));
      await context.close();
    }
    results.push({ variant: variant.name, cold, warm });
  }
} finally {
  await browser.close();
  await Promise.all(servers.map((server) => server.stop()));
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const median = (values: number[]) => percentile(values, 0.5);
const summary = (visits: Visit[]) => ({
  transferredBytes: median(visits.map((one) => one.transferredBytes)),
  scriptBytes: median(visits.map((one) => one.scriptBytes)),
  playableMenuMs: median(visits.map((one) => one.playableMenuMs)),
  playableMenuMsRange: [Math.min(...visits.map((one) => one.playableMenuMs)), Math.max(...visits.map((one) => one.playableMenuMs))],
  requests: median(visits.map((one) => one.requests)),
  fromCache: median(visits.map((one) => one.fromCache)),
});
const rows = results.flatMap(({ variant, cold, warm }) => [
  { variant, visit: "first (cold)", ...summary(cold) },
  { variant, visit: "repeat (warm)", ...summary(warm) },
]);

const header = ["served", "visit", "transferred", "of it script", "playable menu (median)", "range", "requests (cached)"];
const lines = rows.map((row) => [
  row.variant, row.visit, kB(row.transferredBytes), kB(row.scriptBytes), `${Math.round(row.playableMenuMs)} ms`,
  `${Math.round(row.playableMenuMsRange[0])}–${Math.round(row.playableMenuMsRange[1])} ms`, `${row.requests} (${row.fromCache})`,
]);
const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ");
console.log(`network: ${FOUR_G.name}, ${FOUR_G.downloadBitsPerSecond / 1e6} Mbit/s down, ${FOUR_G.uploadBitsPerSecond / 1e6} Mbit/s up, ${FOUR_G.latencyMs} ms RTT; ${options.runs} runs each\n`);
console.log(format(header));
console.log(widths.map((width) => "-".repeat(width)).join("  "));
for (const line of lines) console.log(format(line));
console.log(`\nscript in the build: ${kB(scripts.plain)} plain, ${kB(scripts.gzip)} gzip -9, ${kB(scripts.brotli)} brotli 11 (${scripts.files.join(", ")})`);
console.log(`results: ${writeResult("pageload", { network: FOUR_G, runs: options.runs, scripts, rows, visits: results })}`);
process.exit(0);

/** The built scripts' sizes in bytes: plain, and their .gz and .br copies. */
function scriptSizes(dir: string): { plain: number; gzip: number; brotli: number; files: string[] } {
  const assets = join(dir, "assets");
  const files = readdirSync(assets).filter((name) => name.endsWith(".js"));
  const size = (name: string) => statSync(join(assets, name)).size;
  return {
    plain: files.reduce((sum, name) => sum + size(name), 0),
    gzip: files.reduce((sum, name) => sum + size(`${name}.gz`), 0),
    brotli: files.reduce((sum, name) => sum + size(`${name}.br`), 0),
    files,
  };
}

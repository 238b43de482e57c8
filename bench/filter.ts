/**
 * The word filter's cost per chat line (`npm run bench:filter`): the shipped
 * list (obscenity's English list and Arena's own) screens ordinary lines,
 * lines with a word to mask, spaced-out letters and names, each kind timed
 * over many runs; also the time to build the filter from its file. Chat is
 * screened in the message handler, off the step: this is what a line costs
 * the event loop the rooms tick on. Prints a table; writes bench/results/filter.json.
 *
 *   --runs N   lines screened per kind (20000)
 */
import { WordFilter } from "../server/moderation/wordFilter.ts";
import { columnTable, percentile, toolFlags, usageError, writeResult } from "./lib/report.ts";

const { flags, positional } = toolFlags("bench:filter", process.argv.slice(2), { runs: 20_000 });
if (positional.length > 0) usageError("bench:filter", `unexpected argument ${JSON.stringify(positional[0])}`);

const KINDS: Record<string, string[]> = {
  "ordinary line": ["good game, well played everyone", "who is on the left side? cover me", "nice shot! one more round?", "brb, getting a drink"],
  "line to mask": ["oh fuck, not again", "you are such a b1tch", "what the shiiiit was that", "kys noob"],
  "spaced letters": ["f u c k this map", "a s s h o l e", "s.h.i.t happens", "you are a b i t c h lol"],
  "long line (200 chars)": ["a".repeat(40) + " the quick brown fox jumps over the lazy dog ".repeat(3) + "Scunthorpe assassin classic cocktail"],
  "name": ["Swift Fox 42", "Scunthorpe", "Fuuuckface", "xXsniperXx"],
};

const buildStart = performance.now();
const filter = WordFilter.fromFile();
const buildMs = performance.now() - buildStart;

const rows: string[][] = [];
const figures: Record<string, { medianUs: number; p99Us: number }> = {};
for (const [kind, lines] of Object.entries(KINDS)) {
  for (let warm = 0; warm < 1000; warm++) filter.screen(lines[warm % lines.length]!);
  const times: number[] = [];
  for (let run = 0; run < flags.runs; run++) {
    const line = lines[run % lines.length]!;
    const start = performance.now();
    filter.screen(line);
    times.push((performance.now() - start) * 1000);
  }
  figures[kind] = { medianUs: round(percentile(times, 0.5)), p99Us: round(percentile(times, 0.99)) };
  rows.push([kind, `${figures[kind].medianUs} µs`, `${figures[kind].p99Us} µs`]);
}
console.log(columnTable(["line", "median", "p99"], rows));
console.log(`\nbuilding the filter from its file: ${round(buildMs)} ms`);
console.log(`written: ${writeResult("filter", { runs: flags.runs, buildMs: round(buildMs), kinds: figures })}`);

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

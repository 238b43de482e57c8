import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { regenerate } from "../../scripts/benchReport.ts";
import { KNOWN_RESULTS, renderResults } from "../../scripts/benchTables.ts";

const root = new URL("../../", import.meta.url);
const readResult = (name: string): unknown => {
  try {
    return JSON.parse(readFileSync(new URL(`bench/results/${name}.json`, root), "utf8"));
  } catch {
    return undefined;
  }
};

describe("benchmarks page", () => {
  it("says exactly what bench/results holds (npm run bench:report regenerates it)", () => {
    const page = readFileSync(new URL("docs/benchmarks.md", root), "utf8");
    expect(regenerate(page, readResult)).toBe(page);
  });

  it("has a results block for every benchmark it can render", () => {
    const page = readFileSync(new URL("docs/benchmarks.md", root), "utf8");
    for (const name of KNOWN_RESULTS) expect(page).toContain(`<!-- results:${name} -->`);
  });

  it("fills a block from its results and says when a benchmark has not run", () => {
    const page = "a\n<!-- results:chaos -->\nold\n<!-- /results:chaos -->\n<!-- results:nothing -->\n<!-- /results:nothing -->\n";
    const chaos = { date: "2026-01-02T00:00:00Z", cores: 2, bots: 3, cuts: 4, resumedSameSeat: 4, lostSeats: 0, vanishedObservations: 0, resumeMsP50: 1, resumeMsP99: 2, resumeMsMax: 3 };
    const out = regenerate(page, (name) => (name === "chaos" ? chaos : undefined));
    expect(out).not.toContain("old");
    expect(out).toContain("_Measured 2026-01-02 on 2 cores._");
    expect(out).toContain("| 3 | 4 | 4 | 0 | 0 | 1 / 2 / 3 ms |");
    expect(out).toContain("No results yet: run the benchmark to produce `bench/results/nothing.json`");
  });

  it("lists a results file it has no table for by its name", () => {
    expect(renderResults("future", { date: "2026-01-02" })).toContain("See `bench/results/future.json`.");
  });
});

import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The browser tests: each drives a real Chromium, the heaviest on the cores. */
const BROWSER_FILES = "test/e2e/";

/**
 * Files that spend tens of seconds waiting by design (match clocks, the SDK's
 * five seconds before it reconnects, fixed-length network measurements, real
 * browsers and server processes starting), longest first: started before the
 * rest, so that none of them is left to run alone at the end. A directory
 * ends in "/"; a name may end in "*". Vitest orders by the last run's
 * durations when it has them (node_modules/.vite/vitest), by file size in a
 * fresh checkout; this list stands in for the durations there
 * (docs/development.md, "The test suite's time").
 */
const STARTED_FIRST = [
  "test/net/netcheck*",
  "test/server/migration*",
  "test/bench/loadtest.test.ts",
  "test/server/datagrams.test.ts",
  "test/server/players-api.test.ts",
  "test/server/room.test.ts",
  "test/server/match-records.test.ts",
  "test/server/cluster.test.ts",
  BROWSER_FILES,
];

/** Pure code, no server, process or browser: quick files, which fill in at the end. */
const STARTED_LAST = ["test/sim/", "test/client/", "test/build/", "test/docs/"];

/** Where `file` stands in `list` (see STARTED_FIRST); -1 when it is not there. */
function placeIn(list: readonly string[], file: string): number {
  return list.findIndex((pattern) => pattern.endsWith("*")
    ? file.startsWith(pattern.slice(0, -1))
    : pattern.endsWith("/") ? file.startsWith(pattern) : file === pattern);
}

/**
 * Vitest's order (failed, then longest, or largest, first), with the
 * STARTED_FIRST files ahead of the rest, browser files taking turns with the
 * others among them (a Chromium starting beside a server test that waits,
 * rather than several at once), and the STARTED_LAST files behind it.
 */
class LongestWaitsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const path = (spec: TestSpecification) => relative(spec.project.config.root, spec.moduleId);
    const place = (spec: TestSpecification) => placeIn(STARTED_FIRST, path(spec));
    // Stable: within one entry of the list, Vitest's own order.
    const first = sorted.filter((spec) => place(spec) >= 0).sort((a, b) => place(a) - place(b));
    const isBrowser = (spec: TestSpecification) => STARTED_FIRST[place(spec)] === BROWSER_FILES;
    const browsers = first.filter(isBrowser);
    const others = first.filter((spec) => !isBrowser(spec));
    const turns = Array.from({ length: Math.max(browsers.length, others.length) }, (_, i) => [others[i], browsers[i]]).flat();
    const last = (spec: TestSpecification) => placeIn(STARTED_LAST, path(spec)) >= 0;
    const middle = sorted.filter((spec) => place(spec) < 0 && !last(spec));
    return [...turns.filter((spec) => spec !== undefined), ...middle, ...sorted.filter((spec) => place(spec) < 0 && last(spec))];
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One production build of the client for the browser tests.
    globalSetup: ["test/helpers/build-client.ts"],
    // Each file boots its own server on a free port; files run in parallel processes.
    pool: "forks",
    // Most files wait far more than they compute (a round trip, a tick, a browser's frame), so
    // more files run at once than there are cores: three per core (Vitest's default, one less
    // than the cores, ran this 2-core machine's files one at a time).
    maxWorkers: Math.max(2, availableParallelism() * 3),
    sequence: { sequencer: LongestWaitsFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

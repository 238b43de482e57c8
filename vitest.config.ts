import { globSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** How the suite is organised for its time: docs/development.md, "The test suite's time". */

const ROOT = fileURLToPath(new URL(".", import.meta.url));

/** The browser tests: each drives a real Chromium, the heaviest on the cores (test/helpers/browserSlots.ts). */
const BROWSER_FILES = "test/e2e/";

/**
 * Three groups run one after the other (`groupOrder` below):
 * 0. the measurements in real time (REAL_TIME), with the pure files (PURE) beside them at the lowest priority;
 * 1. the files with servers and processes and no browser (these directories, SERVER_FILES). Some
 *    measure behaviour in real time too (input pacing, datagram traffic), and their figures move
 *    when browsers starve them of CPU;
 * 2. the browser files, and whatever the other groups do not name.
 */
const WITHOUT_BROWSERS = ["test/server/", "test/net/", "test/hostile/", "test/bench/", "test/scripts/", "test/testkit/"];
/** Files of those directories that read the client the browser group builds. */
const READ_THE_BUILT_CLIENT = ["test/server/client-files.test.ts"];

/**
 * The measurements in real time, which run before everything else and beside nothing but each
 * other and the pure files at the lowest priority: netcheck's fair hits on datagrams fell to 38 %
 * with every server file running beside it on a busy machine.
 */
const REAL_TIME = [
  "test/net/netcheck.test.ts", "test/net/netcheck-uncompensated.test.ts", "test/net/netcheck-datagrams.test.ts", "test/net/netcheck-large.test.ts",
];

const SERVER_FILES = globSync(WITHOUT_BROWSERS.map((directory) => `${directory}**/*.test.ts`), { cwd: ROOT })
  .filter((file) => !READ_THE_BUILT_CLIENT.includes(file) && !REAL_TIME.includes(file));

/**
 * Server files that keep a process of their own: those that load
 * the SDK over the `ws` package (testkit/sdkOverWs.ts, directly or through
 * testkit/netBots.ts), which works only in a process where nothing has loaded
 * the SDK yet, and those that start server processes (clusters, moves,
 * restarts), which spend their time in those processes anyway and whose
 * sockets and ports are safest in a process that no file used before. The
 * others share their worker processes, one file after another
 * (`isolate: false`): each starts and closes its own servers, and a process
 * that has loaded the server, Colyseus and the SDK once does not load them
 * again, which cut the group's CPU by a quarter to a third.
 */
const OWN_PROCESS = [
  ...SERVER_FILES.filter((file) => /sdkOverWs|netBots|serverProcess|helpers\/cluster|moving(Processes|Addresses)/.test(readFileSync(join(ROOT, file), "utf8"))),
];

/**
 * Files that spend tens of seconds waiting by design (fixed-length network measurements, the SDK's
 * five seconds before it reconnects, match clocks, server processes and browsers starting), longest
 * first: started before the rest of their group, so that none of them is left to run alone at the
 * end. A directory ends in "/"; a name may end in "*". Vitest orders by the last run's durations when
 * it has them (node_modules/.vite/vitest), by file size in a fresh checkout; this list stands in for
 * the durations there.
 */
const STARTED_FIRST = [
  "test/net/netcheck*",
  "test/server/datagram-intruder.test.ts",
  "test/server/datagrams.test.ts",
  "test/bench/loadtest.test.ts",
  "test/server/migration*",
  "test/server/match-records.test.ts",
  "test/server/results-spool.test.ts",
  "test/server/cluster.test.ts",
  "test/server/replay-recording.test.ts",
  "test/server/registry-outage.test.ts",
  "test/server/moderation-cluster.test.ts",
  "test/e2e/feel.test.ts",
  "test/e2e/datagrams.test.ts",
  "test/e2e/play.test.ts",
  BROWSER_FILES,
];

/**
 * Pure code, no server, process or browser: they run beside the measurements in real time, at the
 * lowest priority (test/helpers/lowPriority.ts), in the CPU those leave idle.
 */
const PURE = ["test/sim/", "test/client/", "test/build/", "test/docs/"];
const PURE_FILES = globSync(PURE.map((directory) => `${directory}**/*.test.ts`), { cwd: ROOT });

/** Where `file` stands in `list` (see STARTED_FIRST); -1 when it is not there. */
function placeIn(list: readonly string[], file: string): number {
  return list.findIndex((pattern) => pattern.endsWith("*")
    ? file.startsWith(pattern.slice(0, -1))
    : pattern.endsWith("/") ? file.startsWith(pattern) : file === pattern);
}

/**
 * Vitest's order (failed, then longest, or largest, first), within each group:
 * the STARTED_FIRST files ahead of the rest (in group 0, the netcheck runs
 * ahead of the pure files), and the browser files taking turns with the
 * others, so that the workers not waiting for a browser slot have something
 * else to run.
 */
class LongestWaitsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const path = (spec: TestSpecification) => relative(spec.project.config.root, spec.moduleId);
    const first = (spec: TestSpecification) => placeIn(STARTED_FIRST, path(spec));
    const isBrowser = (spec: TestSpecification) => path(spec).startsWith(BROWSER_FILES);
    const groups = [...new Set(sorted.map((spec) => spec.project.config.sequence.groupOrder))].sort((a, b) => a - b);
    return groups.flatMap((group) => {
      const inGroup = sorted.filter((spec) => spec.project.config.sequence.groupOrder === group);
      // Stable: within one entry of STARTED_FIRST, Vitest's own order.
      const listed = inGroup.filter((spec) => first(spec) >= 0).sort((a, b) => first(a) - first(b));
      const ordered = [...listed, ...inGroup.filter((spec) => first(spec) < 0)];
      const browsers = ordered.filter(isBrowser);
      const others = ordered.filter((spec) => !isBrowser(spec));
      return Array.from({ length: Math.max(browsers.length, others.length) }, (_, i) => [others[i], browsers[i]])
        .flat().filter((spec): spec is TestSpecification => spec !== undefined);
    });
  }
}

// Most files wait far more than they compute (a round trip, a tick, a browser's frame), so more
// files run at once than there are cores: three per core. (Vitest's default, one less than the
// cores, ran this 2-core machine's files one at a time.)
const WORKERS = Math.max(2, availableParallelism() * 3);
/** Group 0's: a worker for each measurement in real time, and one per core for the pure files beside them. */
const FIRST_WORKERS = REAL_TIME.length + availableParallelism();

export default defineConfig({
  test: {
    // Each file boots its own server on a free port; files run in parallel processes.
    pool: "forks",
    sequence: { sequencer: LongestWaitsFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Five projects in the three groups above, one group after the other; `npm test` runs them all.
    projects: [
      {
        extends: true,
        test: { name: "real time", include: REAL_TIME, sequence: { groupOrder: 0 }, maxWorkers: FIRST_WORKERS },
      },
      {
        extends: true,
        test: {
          name: "servers", include: SERVER_FILES.filter((file) => !OWN_PROCESS.includes(file)), isolate: false,
          sequence: { groupOrder: 1 }, maxWorkers: WORKERS,
        },
      },
      {
        extends: true,
        test: { name: "servers, alone in a process", include: OWN_PROCESS, sequence: { groupOrder: 1 }, maxWorkers: WORKERS },
      },
      {
        extends: true,
        test: {
          name: "pure, beside the measurements", include: PURE_FILES, setupFiles: ["test/helpers/lowPriority.ts"],
          sequence: { groupOrder: 0 }, maxWorkers: FIRST_WORKERS,
        },
      },
      {
        extends: true,
        test: {
          name: "browsers and the rest",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...REAL_TIME, ...SERVER_FILES, ...PURE_FILES],
          // One production build of the client for the browser tests (and the tests of the built
          // client), and the browser slots: one Chromium per core at once.
          globalSetup: ["test/helpers/build-client.ts", "test/helpers/browserSlots.ts"],
          // Files share worker processes, as in the servers' group: the test processes' CPU over a
          // run fell by a quarter (docs/development.md).
          isolate: false,
          sequence: { groupOrder: 2 },
          maxWorkers: WORKERS,
        },
      },
    ],
  },
});

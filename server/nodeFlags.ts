/**
 * Node options the server process runs with, its environment, and the script
 * it starts from, whoever starts it (`npm start`, `npm run cluster`, the
 * benchmarks): package.json's start script passes the same (a test checks
 * they agree).
 *
 * `--max-semi-space-size=4` (MB): V8 grows its young generation up to
 * several times that when a process allocates fast, as a server with a
 * hundred clients does (per-tick frames, decoded inputs, events), and keeps
 * the pages resident. The cap trades memory for collections.
 *
 * `--heap-growing-percent=30`: after each full collection V8 lets the old
 * generation grow to a multiple of what survived before the next one, up to
 * four times on a fast machine. A server's survivors are mostly garbage
 * promoted a moment too early (inputs waiting for their tick, frames waiting
 * for their socket), so the old generation swelled to three times the live
 * heap and the process kept those pages: most of what a connected client
 * cost. At 1.3 times the server runs a full collection every few seconds
 * under load, marked concurrently on a helper thread.
 *
 * Measured with 160 clients in 10 rooms over 120 s (main-thread collection
 * time from `nodejs_gc_duration_seconds`, resident C and JS heap):
 * 8 MB and 50 %: 22 ms a second, 83 MB; 8 MB and 30 %: 25 ms, 77 MB;
 * 4 MB and 30 %: 35 ms, 67 MB. The last costs about a hundredth of a core for
 * 16 MB, 100 kB a client (docs/benchmarks.md, "Memory over time"). Going on to
 * 2 MB saved 6 MB more for 18 ms a second more, a trade a host pays more for
 * in CPU than it saves in memory: not taken.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4", "--heap-growing-percent=30"];

/**
 * Environment the server process starts with, whoever starts it; a value the
 * host has set itself is kept (`npm start` and `npm run cluster` set these
 * only where unset; the benchmarks always, so runs compare). Read by glibc
 * when the process starts, these cannot be set from inside it: package.json's
 * start script, `npm run cluster` and the benchmarks pass them, and a host
 * that starts the server another way sets them in the service's environment
 * (docs/hosting.md).
 *
 * `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates a malloc arena
 * of its own, up to eight per core. Under load V8's helper threads (garbage
 * collection, compilation) each kept a few MB of freed memory in theirs:
 * about 10 MB of a server with 160 clients, and 2 MB of an idle one. With two
 * arenas the threads share, at no CPU cost measurable on the benchmark
 * machine (see docs/benchmarks.md, "Memory over time").
 *
 * `MALLOC_MMAP_THRESHOLD_=131072`: glibc serves a block of 128 kB or more
 * with a mapping of its own, returned to the system when freed, but after
 * each such free it raises that threshold to the block's size (up to 32 MB),
 * so that later large blocks come from the arenas, which keep what is freed.
 * A match's end allocates megabytes in 1 MB blocks (its recording read back
 * and compressed, `server/rooms/recordingSeal.ts`): with the moving threshold,
 * ten rooms ending together left a server of 160 clients 22 MB larger for
 * good; with it fixed, 8 MB. Nothing a tick does allocates blocks that large
 * (socket reads are 64 kB), so no CPU is spent on it while rooms play.
 *
 * Other C libraries (musl) ignore both.
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "131072" };

/**
 * The script the server process starts from, relative to the repository:
 * `server/start.mjs`, which turns on Node's compile cache and runs
 * `server/main.ts` (see start.mjs for why).
 */
export const SERVER_ENTRY = "server/start.mjs";

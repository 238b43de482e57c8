/**
 * A CPU-time profile of a server process with Linux `perf` (when installed
 * and allowed): `perf record -e cpu-clock` samples every thread of the
 * process by the CPU time it uses, kernel included, so the syscalls, V8's
 * helper threads and the garbage collector are counted where they fall, and a
 * busy machine's preemption is not (V8's own `--cpu-prof` samples by wall
 * time, on the main thread only). JavaScript frames are named from the map
 * Node writes with `--perf-basic-prof` (`PERF_NODE_OPTIONS`).
 */
import { spawn, spawnSync } from "node:child_process";

/** Node's option that makes JIT-compiled JavaScript frames nameable by `perf`. */
export const PERF_NODE_OPTIONS = "--perf-basic-prof";

/** True when `perf` is installed. Whether it may sample is only known once it tries (perf_event_paranoid). */
export const hasPerf: boolean = spawnSync("perf", ["--version"], { stdio: "ignore" }).status === 0;

/** Records `pid` for `seconds` into `file`; resolves with perf's exit code and what it printed. */
export function recordPerf(pid: number, seconds: number, file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // Asynchronous: the bots in this process must keep playing while perf records.
    const perf = spawn("perf", ["record", "-e", "cpu-clock", "-F", "1999", "-g", "-o", file, "-p", String(pid), "--", "sleep", String(seconds)]);
    let output = "";
    perf.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    perf.on("exit", (code) => resolve({ code, output }));
    perf.on("error", (error) => resolve({ code: -1, output: String(error) }));
  });
}

/** One sample: its thread's name and its stack, leaf first. */
interface Sample {
  thread: string;
  frames: string[];
}

function readSamples(file: string): Sample[] {
  const script = spawnSync("perf", ["script", "-i", file, "-F", "comm,tid,ip,sym"], { encoding: "utf8", maxBuffer: 1 << 30 });
  const samples: Sample[] = [];
  let current: Sample | undefined;
  for (const line of script.stdout.split("\n")) {
    if (line.trim() === "") {
      if (current) samples.push(current);
      current = undefined;
    } else if (!/^\s/.test(line)) {
      current = { thread: line.trim().split(/\s+/)[0], frames: [] };
    } else {
      const parts = line.trim().split(/\s+(.*)/);
      current?.frames.push(parts[1] ?? parts[0]);
    }
  }
  if (current) samples.push(current);
  return samples;
}

const any = (frames: readonly string[], pattern: RegExp) => frames.some((frame) => pattern.test(frame));

/**
 * Where a sample's CPU time belongs, tried in order against its whole stack;
 * the first rule that matches names the area. The areas follow the server's
 * work: the garbage collector (on any thread), the room's tick and its parts,
 * the patch (encode, per-player views, the per-client frames and their
 * sending), receiving (the socket read, `ws`, Colyseus' frame and input
 * decode, the frame screening), and the event loop itself.
 */
const AREAS: ReadonlyArray<{ name: string; test: (sample: Sample) => boolean }> = [
  { name: "garbage collection (all threads)", test: (s) => any(s.frames.slice(0, 8), /ConcurrentMarking|Sweeper|Scavenge|MarkCompact|IncrementalMarking|GCTracer|MinorMS|Heap::Collect/) },
  { name: "V8 compiling (helper threads)", test: (s) => s.thread !== "node" && s.thread !== "MainThread" && any(s.frames, /compiler|maglev|Compile|baseline/i) },
  { name: "tick: match recording", test: (s) => any(s.frames, /JS:.*(beforeStep|afterStep|addTick) /) },
  { name: "tick: world step", test: (s) => any(s.frames, /JS:.*stepWorld /) },
  { name: "tick: publish to the schema state", test: (s) => any(s.frames, /JS:.*publish .*stateMirror/) },
  { name: "tick: events (kills, hits, chat)", test: (s) => any(s.frames, /JS:.*announce .*ArenaRoom/) },
  { name: "tick: input pacing", test: (s) => any(s.frames, /JS:.*takeForTick /) },
  { name: "tick: rest (bots, listing, metrics)", test: (s) => any(s.frames, /JS:.*tick .*ArenaRoom/) },
  { name: "patch: encode (shared changes)", test: (s) => any(s.frames, /JS:.*broadcastPatch /) && any(s.frames, /JS:.*_encodeChannel |JS:.*'encode .*schema|discardChanges/) && !any(s.frames, /encodeView/) },
  { name: "patch: per-player views", test: (s) => any(s.frames, /JS:.*encodeView /) },
  { name: "patch: per-client frames and sending", test: (s) => any(s.frames, /JS:.*broadcastPatch /) },
  { name: "receive: Colyseus (frame screening, input decode)", test: (s) => any(s.frames, /JS:.*_onMessage /) },
  { name: "receive: socket read and ws parse", test: (s) => any(s.frames, /JS:.*onStreamRead |JS:.*receiver\.js/) },
  { name: "timers (fixed step, Colyseus' patch timer, clocks)", test: (s) => any(s.frames, /JS:.*listOnTimeout |JS:.*processTimers /) },
  { name: "event loop (epoll, libuv, kernel scheduling)", test: (s) => any(s.frames, /epoll|uv__io_poll|uv_run|schedule/) },
];

export interface PerfSummary {
  samples: number;
  /** Share of the samples per thread name, largest first. */
  threads: Array<{ name: string; share: number }>;
  /** Share of the samples per area (see AREAS; "other" for the rest), largest first. */
  areas: Array<{ name: string; share: number }>;
  /** Share of the samples per leaf frame (the function the CPU was in: JavaScript, V8, libuv or the kernel), largest first. */
  leaves: Array<{ name: string; share: number }>;
}

/** Reads a `perf record` file and sums its samples by thread and by area. */
export function summarisePerf(file: string): PerfSummary {
  const samples = readSamples(file);
  const threads = new Map<string, number>();
  const areas = new Map<string, number>();
  const leaves = new Map<string, number>();
  for (const sample of samples) {
    const leaf = sample.frames[0] ?? "?";
    leaves.set(leaf, (leaves.get(leaf) ?? 0) + 1);
    threads.set(sample.thread, (threads.get(sample.thread) ?? 0) + 1);
    const area = AREAS.find((rule) => rule.test(sample))?.name ?? "other (Node and V8 runtime, native code)";
    areas.set(area, (areas.get(area) ?? 0) + 1);
  }
  const shares = (counts: Map<string, number>) => [...counts]
    .map(([name, count]) => ({ name, share: Math.round((count / Math.max(1, samples.length)) * 1000) / 1000 }))
    .sort((a, b) => b.share - a.share);
  return { samples: samples.length, threads: shares(threads), areas: shares(areas), leaves: shares(leaves).slice(0, 40) };
}

import { readFileSync } from "node:fs";

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that the summary reads. */
export interface CpuProfile {
  /** Monotonic clock, µs. */
  startTime: number;
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
}

/** One stack frame as the area rules see it. */
interface Frame {
  name: string;
  url: string;
}

/**
 * Where a sample's time belongs, tried in order against its whole stack (leaf
 * first); the first rule that matches names the area. The rules follow the
 * server's work per tick: the fixed step and what it calls, the patch (encode,
 * then hand the frames to the sockets), and the sockets' incoming side.
 */
const AREAS: ReadonlyArray<{ name: string; test: (stack: readonly Frame[]) => boolean }> = [
  { name: "garbage collection", test: (stack) => stack[0].name === "(garbage collector)" },
  { name: "tick: world step", test: (stack) => has(stack, (f) => f.name === "stepWorld") },
  { name: "tick: publish to the schema state", test: (stack) => has(stack, (f) => f.name === "publish" && f.url.includes("/server/rooms/")) },
  { name: "tick: bot brains", test: (stack) => has(stack, (f) => f.name === "think" && f.url.includes("/server/rooms/")) },
  { name: "tick: input pacing", test: (stack) => has(stack, (f) => f.name === "takeForTick") },
  { name: "tick: rest (events, listing, metrics)", test: (stack) => has(stack, (f) => f.name === "tick" && f.url.includes("/server/rooms/")) },
  { name: "patch: encode", test: (stack) => has(stack, (f) => f.name === "broadcastPatch") && has(stack, (f) => f.url.includes("@colyseus/schema")) },
  { name: "patch: send to sockets", test: (stack) => has(stack, (f) => f.name === "broadcastPatch") },
  { name: "inputs and messages: decode", test: (stack) => has(stack, (f) => f.url.includes("@colyseus/schema") || f.name === "sanitizeInput") },
  { name: "sockets: receive (ws, core)", test: (stack) => has(stack, (f) => /\/ws\/|@colyseus\/(core|ws-transport)/.test(f.url)) },
  { name: "metrics, HTTP", test: (stack) => has(stack, (f) => /prom-client|express|\/server\//.test(f.url)) },
  { name: "idle", test: (stack) => stack[0].name === "(idle)" },
  { name: "Node internals (timers, streams, program)", test: () => true },
];

function has(stack: readonly Frame[], test: (frame: Frame) => boolean): boolean {
  for (const frame of stack) if (test(frame)) return true;
  return false;
}

export interface ProfileSummary {
  busyMicros: number;
  idleMicros: number;
  /** Self time by area (busy areas only), largest first. */
  areas: Array<{ name: string; selfMicros: number }>;
  /** Self time by function, largest first. */
  functions: Array<{ name: string; where: string; selfMicros: number }>;
}

/**
 * Sums a profile's sample time by area (see AREAS) and by function, counting
 * only the samples taken within `window` (monotonic µs, the clock V8 stamps
 * samples with) when one is given.
 */
export function summariseProfile(profile: CpuProfile, window?: { from: number; to: number }): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfMicros = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.from || at > window.to)) continue;
    const id = profile.samples[i];
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }

  const areas = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; selfMicros: number }>();
  let idleMicros = 0;
  for (const [id, micros] of selfMicros) {
    const stack: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      stack.push({ name: frame.functionName, url: frame.url });
    }
    const area = AREAS.find((rule) => rule.test(stack))!.name;
    if (area === "idle") {
      idleMicros += micros;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + micros);
    const frame = byId.get(id)!.callFrame;
    const where = `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName} ${where}`;
    const entry = functions.get(key) ?? { name: frame.functionName || "(anonymous)", where, selfMicros: 0 };
    entry.selfMicros += micros;
    functions.set(key, entry);
  }
  const busyMicros = [...areas.values()].reduce((sum, micros) => sum + micros, 0);
  return {
    busyMicros,
    idleMicros,
    areas: [...areas].map(([name, micros]) => ({ name, selfMicros: micros })).sort((a, b) => b.selfMicros - a.selfMicros),
    functions: [...functions.values()].sort((a, b) => b.selfMicros - a.selfMicros),
  };
}

/** A frame's file, from the package or project folder on. */
function shortUrl(url: string): string {
  if (url === "") return "(native)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) return url.slice(modules + "node_modules/".length);
  const project = /\/(server|shared|bench|client)\/.*$/.exec(url);
  return project ? project[0].slice(1) : url.replace(/^file:\/\//, "");
}

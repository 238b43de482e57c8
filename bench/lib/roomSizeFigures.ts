/**
 * The room-size benchmark's figures (`npm run bench -- --room-size`), from
 * its load runs: one row per measured room, the goals a hundred players in
 * one large room are held to, and the table the terminal and
 * docs/benchmarks.md print. Pure: no clock, no I/O.
 */
import { saturatedSide } from "./benchGoals.ts";
import type { LoadResult } from "./load.ts";

/** One measured room: what a client and the server pay for it, per client. */
export interface RoomSizeRun {
  /** The room type: the 16-player arena (the baseline) or the large mode. */
  room: "arena" | "large";
  /** Players in the room (network bots, all of them). */
  players: number;
  /** Large rooms: whether each client was sent only what it sees (`LARGE_INTEREST`); the arena sends everything. */
  interest: boolean;
  /**
   * The room's whole tick from the server's `arena_tick_with_patch_seconds` (the fixed step, its
   * state writes and views, then the patches encoded and handed to the sockets), estimated within
   * the histogram's buckets, ms; the step alone (`arena_tick_duration_seconds`) from a server without it.
   */
  tickP50Ms: number;
  tickP99Ms: number;
  /** The fixed step alone (`arena_tick_duration_seconds`), ms. */
  stepP50Ms: number;
  stepP99Ms: number;
  meanTickMs: number;
  /** The server process's CPU time (every thread, encode and sockets included) per tick, ms: the whole tick on average. */
  serverCpuPerTickMs: number;
  /** The server process's user + system time per client per second, µs. */
  serverCpuMicrosPerClientSecond: number;
  /** Payload bytes a bot received / sent per second (WebSocket messages and datagrams). */
  receivedBytesPerClientSecond: number;
  sentBytesPerClientSecond: number;
  /** The median state message a bot received (patch bytes, the unreliable part of its tick included). */
  medianStateBytes: number;
  /** Server resident memory and V8 heap in use at the end of the window over an empty server's, per client, bytes. */
  residentBytesPerClient: number;
  heapBytesPerClient: number;
  /** States a bot received per second: the tick rate unless something was starved. */
  statesPerClientSecond: number;
  /** Share of a core the server process and the bots' process used. */
  serverCoreShare: number;
  clientCoreShare: number;
  /** Which side ran out of CPU, in words (`saturatedSide`). */
  saturated: string;
}

/** The row of one load run (of an Arena server, which has `/metrics`). */
export function roomSizeRun(load: LoadResult, room: RoomSizeRun["room"], interest: boolean, tickHz: number): RoomSizeRun {
  const metrics = load.serverMetrics;
  if (!metrics) throw new Error("a room-size run needs the server's /metrics");
  const perClient = (after: number, before: number) => Math.round((after - before) / load.clients);
  const { empty, loaded } = metrics.memory;
  return {
    room, players: load.clients, interest,
    tickP50Ms: round3((Number.isNaN(metrics.wholeTickP50Micros) ? metrics.tickP50Micros : metrics.wholeTickP50Micros) / 1000),
    tickP99Ms: round3((Number.isNaN(metrics.wholeTickP99Micros) ? metrics.tickP99Micros : metrics.wholeTickP99Micros) / 1000),
    stepP50Ms: round3(metrics.tickP50Micros / 1000),
    stepP99Ms: round3(metrics.tickP99Micros / 1000),
    meanTickMs: round3(metrics.meanTickMicros / 1000),
    serverCpuPerTickMs: round3((load.serverCoreShare * 1000) / tickHz),
    serverCpuMicrosPerClientSecond: load.serverCpuMicrosPerClientSecond,
    receivedBytesPerClientSecond: load.receivedBytesPerClientSecond,
    sentBytesPerClientSecond: load.sentBytesPerClientSecond,
    medianStateBytes: load.medianStateBytes,
    residentBytesPerClient: perClient(loaded.residentBytes, empty.residentBytes),
    heapBytesPerClient: perClient(loaded.heapUsedBytes, empty.heapUsedBytes),
    statesPerClientSecond: load.statesPerClientSecond,
    serverCoreShare: load.serverCoreShare,
    clientCoreShare: load.clientCoreShare,
    saturated: saturatedSide(load, tickHz),
  };
}

/** The tick a hundred players' room must keep to, p99 (at 30 Hz). */
export const TICK_P99_GOAL_MS = 4;
/** How much more than a client of the 16-player arena a client of the large room may cost, in bytes and in server CPU. */
export const PER_CLIENT_GOAL_RATIO = 1.5;

export interface RoomSizeGoal {
  /** What is held to the goal, in words. */
  name: string;
  /** The figure, and the goal it is held to (same unit). */
  value: number;
  limit: number;
  /** For the per-client goals: the figure over the arena's. */
  ratio?: number;
  met: boolean;
}

/**
 * The goals of the large room with the most players (interest management
 * on), against the 16-player arena of the same run; none without a large run.
 */
export function roomSizeGoals(arena: RoomSizeRun, large: readonly RoomSizeRun[]): RoomSizeGoal[] {
  const largest = large.filter((run) => run.interest).sort((a, b) => b.players - a.players)[0];
  if (!largest) return [];
  const relative = (name: string, pick: (run: RoomSizeRun) => number): RoomSizeGoal => {
    const ratio = round3(pick(largest) / pick(arena));
    return { name, value: pick(largest), limit: Math.round(pick(arena) * PER_CLIENT_GOAL_RATIO), ratio, met: ratio <= PER_CLIENT_GOAL_RATIO };
  };
  return [
    { name: `tick p99, ${largest.players} players`, value: largest.tickP99Ms, limit: TICK_P99_GOAL_MS, met: largest.tickP99Ms <= TICK_P99_GOAL_MS },
    relative(`bytes received per client per second, ${largest.players} players`, (run) => run.receivedBytesPerClientSecond),
    relative(`server CPU per client per second, ${largest.players} players`, (run) => run.serverCpuMicrosPerClientSecond),
  ];
}

/** A goal in words: "met" or "NOT met", with the figure, the limit and the ratio to the arena's. */
export function goalText(goal: RoomSizeGoal): string {
  const against = goal.ratio === undefined
    ? `${goal.value} ms (goal ≤ ${goal.limit} ms)`
    : `${goal.value} (${goal.ratio} × the 16-player arena's; goal ≤ ${PER_CLIENT_GOAL_RATIO} ×, ${goal.limit})`;
  return `${goal.name}: ${against}: ${goal.met ? "met" : "NOT met"}`;
}

/** The label of a measured room in tables and charts. */
export function roomLabel(run: Pick<RoomSizeRun, "room" | "players" | "interest">): string {
  if (run.room === "arena") return `arena, ${run.players}`;
  return `large, ${run.players}${run.interest ? "" : ", interest off"}`;
}

/** The columns of the table, the same in the terminal and in docs/benchmarks.md. */
export const ROOM_SIZE_HEADER = [
  "room, players", "tick p50 / p99", "server CPU per tick", "server CPU/client/s", "received/client/s", "median state",
  "memory/client (RSS / heap)", "states/client/s", "server core / bots' core", "saturated",
] as const;

/** One row per run, in the order given. */
export function roomSizeRows(runs: readonly RoomSizeRun[]): string[][] {
  const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  return runs.map((run) => [
    roomLabel(run), `${run.tickP50Ms} / ${run.tickP99Ms} ms`, `${run.serverCpuPerTickMs} ms`, `${run.serverCpuMicrosPerClientSecond} µs`,
    kB(run.receivedBytesPerClientSecond), `${run.medianStateBytes} B`, `${kB(run.residentBytesPerClient)} / ${kB(run.heapBytesPerClient)}`,
    String(run.statesPerClientSecond), `${run.serverCoreShare.toFixed(2)} / ${run.clientCoreShare.toFixed(2)}`, run.saturated,
  ]);
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * What `npm run bench` (bench/bench.ts) makes of its runs: Arena's figures
 * over the baselines' as ratios, each goal and whether it was met, and which
 * side ran out of CPU in a many-rooms run.
 */
import type { LoadResult } from "./load.ts";
import type { TickCostResult } from "./tickCost.ts";

/**
 * Bytes received per client per second with 16 in a room, Arena's figure before its positions rode the
 * unreliable channel (the run of 2026-11-30): what datagrams may add to is at most 15 % of it.
 */
export const RECEIVED_BEFORE_DATAGRAMS = 5_000; // B/s

/** The runs of one benchmark, as bench.ts measured them. */
export interface BenchRuns {
  tickHz: number;
  /** Rooms of 16 in the many-rooms runs. */
  rooms: number;
  tickCost: TickCostResult;
  /** One room of 16 on each server. */
  arena: LoadResult;
  arenaOnDatagrams: LoadResult | undefined;
  floor: LoadResult;
  seeds: LoadResult;
  plainSchema: LoadResult;
  /** Many rooms, when measured. */
  many: { arena: LoadResult; floor: LoadResult; seeds: LoadResult } | undefined;
  manyOnDatagrams: LoadResult | undefined;
  /** A client's state bytes per tick on one recorded game, before datagrams and now (bench/lib/lastWrite.ts). */
  wire: { before: number; websocket: number; datagrams: number };
}

/** `a / b` to three decimals. */
export const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

/** Arena's CPU per client over a baseline's, all time and user time. */
const cpuRatios = (of: LoadResult, to: LoadResult) => ({
  all: ratio(of.serverCpuMicrosPerClientSecond, to.serverCpuMicrosPerClientSecond),
  user: ratio(of.serverUserMicrosPerClientSecond, to.serverUserMicrosPerClientSecond),
});

/** Arena's server CPU per client over the floor's and the seeds' method's, in one run. */
export interface ServerCpuRatios {
  arenaToFloor: ReturnType<typeof cpuRatios>;
  arenaToSeeds: ReturnType<typeof cpuRatios>;
}

const serverCpuRatios = (runs: { arena: LoadResult; floor: LoadResult; seeds: LoadResult }): ServerCpuRatios => ({
  arenaToFloor: cpuRatios(runs.arena, runs.floor), arenaToSeeds: cpuRatios(runs.arena, runs.seeds),
});

/** Arena's bytes and server CPU per client over each baseline's (and over Arena's on the WebSocket alone, on datagrams). */
export function benchRatios(runs: BenchRuns) {
  const { arena, arenaOnDatagrams, seeds, plainSchema, many, manyOnDatagrams, wire } = runs;
  return {
    receivedArenaToSeeds: ratio(arena.receivedBytesPerClientSecond, seeds.receivedBytesPerClientSecond),
    receivedArenaToPlainSchema: ratio(arena.receivedBytesPerClientSecond, plainSchema.receivedBytesPerClientSecond),
    sentArenaToSeeds: ratio(arena.sentBytesPerClientSecond, seeds.sentBytesPerClientSecond),
    sentArenaToPlainSchema: ratio(arena.sentBytesPerClientSecond, plainSchema.sentBytesPerClientSecond),
    serverCpuArenaToSeeds: ratio(arena.serverCpuMicrosPerClientSecond, seeds.serverCpuMicrosPerClientSecond),
    serverCpuArenaToPlainSchema: ratio(arena.serverCpuMicrosPerClientSecond, plainSchema.serverCpuMicrosPerClientSecond),
    serverUserCpuArenaToSeeds: ratio(arena.serverUserMicrosPerClientSecond, seeds.serverUserMicrosPerClientSecond),
    serverUserCpuArenaToPlainSchema: ratio(arena.serverUserMicrosPerClientSecond, plainSchema.serverUserMicrosPerClientSecond),
    oneRoom: serverCpuRatios(runs),
    manyRooms: many && serverCpuRatios(many),
    /** Arena on datagrams over Arena on the WebSocket alone, measured in the same run. */
    datagrams: arenaOnDatagrams && {
      oneRoom: { cpu: cpuRatios(arenaOnDatagrams, arena), received: ratio(arenaOnDatagrams.receivedBytesPerClientSecond, arena.receivedBytesPerClientSecond) },
      manyRooms: many && manyOnDatagrams && {
        cpu: cpuRatios(manyOnDatagrams, many.arena), received: ratio(manyOnDatagrams.receivedBytesPerClientSecond, many.arena.receivedBytesPerClientSecond),
      },
      receivedToBefore: ratio(arenaOnDatagrams.receivedBytesPerClientSecond, RECEIVED_BEFORE_DATAGRAMS),
      /** The same recorded game's state bytes, encoded in-process: on datagrams, and on the WebSocket alone, over before datagrams. */
      sameGame: { datagrams: ratio(wire.datagrams, wire.before), websocket: ratio(wire.websocket, wire.before) },
    },
  };
}

export type BenchRatios = ReturnType<typeof benchRatios>;

const cpuGoal = (r: ServerCpuRatios) => r.arenaToSeeds.all <= 1 && r.arenaToFloor.all <= 1.3;

/** Each goal in words and whether this run met it; the many-rooms and datagram goals only when those were measured. */
export function benchGoals(runs: BenchRuns, ratios: BenchRatios) {
  const { tickHz, rooms, tickCost, arena } = runs;
  return {
    bandwidthVsSeeds: { goal: "Arena / seeds' received bytes ≤ 1/20", met: ratios.receivedArenaToSeeds <= 1 / 20 },
    tickP99: { goal: "Arena tick (step + encode) p99 < 1 ms", met: tickCost.arenaTick.p99Us < 1000 },
    echoP99: { goal: `input → echo p99 ≤ one tick + 5 ms (${Math.round(1000 / tickHz + 5)} ms)`, met: (arena.latency?.p99Ms ?? Infinity) <= 1000 / tickHz + 5 },
    cpuOneRoom: { goal: "server CPU per client, one room: Arena ≤ seeds' and ≤ 1.3 × the floor", met: cpuGoal(ratios.oneRoom) },
    ...(ratios.manyRooms ? {
      cpuManyRooms: { goal: `server CPU per client, ${rooms} rooms: Arena ≤ seeds' and ≤ 1.3 × the floor`, met: cpuGoal(ratios.manyRooms) },
    } : {}),
    ...(ratios.datagrams ? {
      bytesDatagrams: {
        goal: `received per client on datagrams ≤ 1.15 × Arena's before datagrams (${RECEIVED_BEFORE_DATAGRAMS / 1000} kB/s)`, met: ratios.datagrams.receivedToBefore <= 1.15,
      },
      bytesDatagramsSameGame: {
        goal: "state bytes per client on datagrams ≤ 1.15 × before datagrams, one recorded game of 16 bots encoded both ways in this run",
        met: ratios.datagrams.sameGame.datagrams <= 1.15,
      },
    } : {}),
    ...(ratios.datagrams?.manyRooms ? {
      cpuDatagrams: {
        goal: `server CPU per client, ${rooms} rooms: Arena on datagrams ≤ 1.5 × Arena on the WebSocket alone`, met: ratios.datagrams.manyRooms.cpu.all <= 1.5,
      },
    } : {}),
  };
}

/** Which side ran out of CPU in a many-rooms run, in words. */
export function saturatedSide(run: LoadResult, tickHz: number): string {
  const server = run.serverCoreShare >= 0.85;
  const clients = run.clientCoreShare >= 0.85;
  const starved = run.statesPerClientSecond < tickHz * 0.95;
  if (server && clients) return "both cores";
  if (clients) return "the bots (client side): the server figure is a floor";
  if (server) return "the server";
  // Patches follow the fixed step, which runs on a setInterval: late when the event loop is busy (Node reschedules from the late start).
  if (starved) return `neither core; the patch rate sagged (${run.statesPerClientSecond}/s): the server's step timer runs late`;
  return "neither";
}

import { describe, expect, it } from "vitest";
import type { LoadResult } from "../../bench/lib/load.ts";
import { goalText, roomSizeGoals, roomSizeRows, roomSizeRun, ROOM_SIZE_HEADER, type RoomSizeRun } from "../../bench/lib/roomSizeFigures.ts";

/**
 * The room-size benchmark's figures (npm run bench -- --room-size): a load
 * run's row per client, and the goals of the largest large room against the
 * 16-player arena. Pure functions over made-up runs: nothing here measures.
 */
const load = (clients: number, figures: Partial<LoadResult> = {}): LoadResult => ({
  clients, serverCoreShare: 0.3, clientCoreShare: 0.5, statesPerClientSecond: 30, serverCpuMicrosPerClientSecond: 1000,
  receivedBytesPerClientSecond: 5000, sentBytesPerClientSecond: 900, medianStateBytes: 160,
  serverMetrics: {
    patchBytesPerClientSecond: 4800, meanTickMicros: 400, tickP50Micros: 350, tickP99Micros: 1200, wholeTickP50Micros: 700, wholeTickP99Micros: 2500,
    memory: { empty: { residentBytes: 100e6, heapUsedBytes: 20e6 }, loaded: { residentBytes: 100e6 + clients * 50_000, heapUsedBytes: 20e6 + clients * 20_000 } },
  },
  ...figures,
} as LoadResult);

const run = (players: number, interest: boolean, figures: Partial<RoomSizeRun> = {}): RoomSizeRun => ({
  ...roomSizeRun(load(players), players === 16 && !figures.room ? "arena" : "large", interest, 30), ...figures,
});

describe("room-size figures", () => {
  it("divides the server's memory over an empty server's by the clients, and its CPU by the ticks", () => {
    const row = roomSizeRun(load(40), "large", true, 30);
    expect(row).toMatchObject({
      players: 40, residentBytesPerClient: 50_000, heapBytesPerClient: 20_000, tickP50Ms: 0.7, tickP99Ms: 2.5, stepP50Ms: 0.35, stepP99Ms: 1.2, serverCpuPerTickMs: 10,
    });
    expect(row.saturated).toBe("neither");
  });

  it("takes the step's figures for the tick's from a server that times the step alone", () => {
    const older = load(16);
    older.serverMetrics = { ...older.serverMetrics!, wholeTickP50Micros: Number.NaN, wholeTickP99Micros: Number.NaN };
    expect(roomSizeRun(older, "arena", true, 30)).toMatchObject({ tickP50Ms: 0.35, tickP99Ms: 1.2 });
  });

  it("refuses a run without the server's /metrics", () => {
    expect(() => roomSizeRun(load(16, { serverMetrics: undefined }), "arena", true, 30)).toThrow(/metrics/);
  });

  describe("goals", () => {
    const arena = run(16, true);

    it("holds the largest room with interest management to them, not the one without", () => {
      const large = [
        run(64, true, { room: "large", receivedBytesPerClientSecond: 6000 }),
        run(100, true, { room: "large", tickP99Ms: 3.5, receivedBytesPerClientSecond: 8000, serverCpuMicrosPerClientSecond: 1600 }),
        run(100, false, { room: "large", tickP99Ms: 9, receivedBytesPerClientSecond: 40_000 }),
      ];
      const [tick, bytes, cpu] = roomSizeGoals(arena, large);
      expect(tick).toMatchObject({ value: 3.5, limit: 4, met: true });
      expect(bytes).toMatchObject({ value: 8000, ratio: 1.6, limit: 7500, met: false });
      expect(cpu).toMatchObject({ ratio: 1.6, met: false });
      expect(goalText(bytes!)).toContain("1.6 × the 16-player arena's; goal ≤ 1.5 ×, 7500): NOT met");
      expect(goalText(tick!)).toBe("tick p99, 100 players: 3.5 ms (goal ≤ 4 ms): met");
    });

    it("has none without a large room", () => {
      expect(roomSizeGoals(arena, [])).toEqual([]);
    });
  });

  it("prints a row per run, one cell per column, naming the room", () => {
    const rows = roomSizeRows([run(16, true), run(100, false, { room: "large" })]);
    expect(rows.map((row) => row.length)).toEqual([ROOM_SIZE_HEADER.length, ROOM_SIZE_HEADER.length]);
    expect(rows.map((row) => row[0])).toEqual(["arena, 16", "large, 100, interest off"]);
  });
});

import type { BenchFigures } from "./benchChart.ts";
import type { BarGroup, Chart, Panel } from "./chart.ts";
import { PER_CLIENT_GOAL_RATIO, TICK_P99_GOAL_MS, type RoomSizeRun } from "./roomSizeFigures.ts";
import type { RoomSizeResults } from "./roomSize.ts";

/** The runs, and the machine and date the chart's title names (as `npm run bench`'s chart does). */
export interface RoomSizeChartFigures extends RoomSizeResults, Pick<BenchFigures, "date" | "cores" | "cpu" | "pinning" | "tickHz"> {
  /** Measured seconds per room. */
  seconds: number;
}

const ON = "interest on";
const OFF = "off (LARGE_INTEREST)";
const ARENA = "arena 16 (baseline)";

/**
 * The chart of `npm run bench -- --room-size`: per client bytes received,
 * server CPU and heap, and the room's whole tick p99, against the room's size,
 * interest management on and off side by side, the 16-player arena as the
 * first group and (for the per-client goals) 1.5 × its figure as the goal line.
 */
export function roomSizeChart(figures: RoomSizeChartFigures): Chart {
  const { arena, large } = figures;
  const sizes = [...new Set(large.map((run) => run.players))];
  const groups = (pick: (run: RoomSizeRun) => number): BarGroup[] => [
    { label: `arena ${arena.players}`, bars: [{ series: ARENA, value: pick(arena) }] },
    ...sizes.map((players) => ({
      label: `large ${players}`,
      bars: large.filter((run) => run.players === players).map((run) => ({ series: run.interest ? ON : OFF, value: pick(run) })),
    })),
  ];
  const perClientGoal = (pick: (run: RoomSizeRun) => number) => ({ value: pick(arena) * PER_CLIENT_GOAL_RATIO, label: `goal ${PER_CLIENT_GOAL_RATIO} × arena` });
  const received = (run: RoomSizeRun) => run.receivedBytesPerClientSecond / 1000;
  const cpu = (run: RoomSizeRun) => run.serverCpuMicrosPerClientSecond;
  const panel = (title: string, yLabel: string, pick: (run: RoomSizeRun) => number, extra: Partial<Panel> = {}): Panel => ({
    title, xLabel: "room, players (network bots)", yLabel, groups: groups(pick), ...extra,
  });
  const oneDecimal = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
  return {
    title: `Arena benchmark: players in one room, ${figures.tickHz} Hz, bots on the shared bot brain, a desktop's view each`,
    subtitle: [
      `${figures.date} · ${figures.cores} cores (${figures.cpu}) · ${figures.pinning} · ${figures.seconds} s measured per room`,
      "tick: the server's whole tick (step, state, views, patch encode and sends); memory: the V8 heap, one reading per room",
    ],
    panels: [
      panel("Bytes received per client", "kB per client per second", received, { format: oneDecimal, goal: perClientGoal(received) }),
      panel("Server CPU per client", "CPU µs per client per second", cpu, { goal: perClientGoal(cpu) }),
      panel("Room tick p99 (server's histogram, whole tick)", "ms", (run) => run.tickP99Ms, { format: (value) => value.toFixed(2), goal: { value: TICK_P99_GOAL_MS, label: `goal ≤ ${TICK_P99_GOAL_MS} ms` } }),
      // The heap in use over an empty server's: resident memory barely moves with a room (V8 keeps what it grew into) and reads negative.
      panel("Server heap per client (over an empty server)", "kB per client", (run) => run.heapBytesPerClient / 1000, { format: oneDecimal }),
    ],
  };
}

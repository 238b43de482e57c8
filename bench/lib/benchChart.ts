import { SERVER_NAMES } from "./serverNames.ts";
import type { Chart } from "./chart.ts";
import type { LoadResult } from "./load.ts";
import type { TickCostResult } from "./tickCost.ts";

export interface BenchFigures {
  date: string;
  cores: number;
  cpu: string;
  pinning: string;
  tickHz: number;
  arena: LoadResult;
  plainSchema: LoadResult;
  seeds: LoadResult;
  floor: LoadResult;
  tickCost: TickCostResult;
  /** Arena with fewer patches than ticks, when measured. */
  fewerPatches?: { patchHz: number; run: LoadResult };
  /** The same servers with many rooms, when measured. */
  many?: { arena: LoadResult; seeds: LoadResult; floor: LoadResult };
}

/** The chart of `npm run bench`: bandwidth, server CPU, tick cost, latency (and capacity), one panel each. */
export function benchChart(figures: BenchFigures): Chart {
  const { arena, plainSchema, seeds, floor, tickCost, many } = figures;
  const servers = [
    { label: SERVER_NAMES.arena, run: arena },
    { label: SERVER_NAMES["plain-schema"], run: plainSchema },
    { label: SERVER_NAMES.seeds, run: seeds },
    { label: SERVER_NAMES.floor, run: floor },
  ];
  const times = (a: LoadResult, b: LoadResult) => `${(a.serverCpuMicrosPerClientSecond / b.serverCpuMicrosPerClientSecond).toFixed(2)}×`;
  const cpuRatios = (label: string, runs: { arena: LoadResult; seeds: LoadResult; floor: LoadResult }) =>
    `${label}: Arena / floor ${times(runs.arena, runs.floor)}, Arena / seeds' ${times(runs.arena, runs.seeds)}`;
  const kB = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
  const tickGoalMs = Math.round(1000 / figures.tickHz + 5);
  return {
    title: "Arena benchmark: 16 players a room, 30 Hz, bots on the shared bot brain",
    subtitle: [
      `${figures.date} · ${figures.cores} cores (${figures.cpu}) · ${figures.pinning}`,
      `Arena / seeds' bytes received: 1/${(seeds.receivedBytesPerClientSecond / arena.receivedBytesPerClientSecond).toFixed(1)} · Arena / plain schema: ${(arena.receivedBytesPerClientSecond / plainSchema.receivedBytesPerClientSecond).toFixed(2)}`,
      [cpuRatios("Server CPU per client, 1 room", { arena, seeds, floor }), many && cpuRatios(`${many.arena.rooms} rooms`, many)].filter(Boolean).join(" · "),
    ],
    panels: [
      {
        title: "Bandwidth per client",
        xLabel: "server (one room, 16 network bots)",
        yLabel: "kB per client per second",
        format: kB,
        groups: servers.map(({ label, run }) => ({
          label,
          bars: [
            { series: "received", value: run.receivedBytesPerClientSecond / 1000 },
            { series: "sent", value: run.sentBytesPerClientSecond / 1000 },
          ],
        })),
      },
      {
        title: "Server CPU per connected client",
        xLabel: "server (own process, one core)",
        yLabel: "CPU µs per client per second",
        groups: [
          ...servers.map(({ label, run }) => ({ label: label === "plain Colyseus schema" ? "plain schema" : label, run })),
          ...(figures.fewerPatches ? [{ label: `Arena, ${figures.fewerPatches.patchHz} patches/s`, run: figures.fewerPatches.run }] : []),
          ...(many ? [
            { label: `Arena, ${many.arena.rooms} rooms`, run: many.arena },
            { label: `seeds', ${many.seeds.rooms} rooms`, run: many.seeds },
            { label: `floor, ${many.floor.rooms} rooms`, run: many.floor },
          ] : []),
        ].map(({ label, run }) => ({
          label,
          bars: [
            { series: "user + system", value: run.serverCpuMicrosPerClientSecond },
            { series: "user only", value: run.serverUserMicrosPerClientSecond },
          ],
        })),
      },
      {
        title: `Tick cost, 16 players, ~${tickCost.meanProjectiles} projectiles (in-process, best of ${tickCost.repetitions})`,
        xLabel: "what one tick does",
        yLabel: "µs per tick",
        goal: { value: 1000, label: "goal: p99 < 1 ms" },
        groups: [
          { label: "step, plain objects", times: tickCost.plainStep },
          { label: "Arena step + encode", times: tickCost.arenaTick },
          { label: "plain schema step + encode", times: tickCost.plainSchemaTick },
          { label: "seeds' step + JSON", times: tickCost.seedsTick },
        ].map(({ label, times }) => ({
          label,
          bars: [{ series: "p50", value: times.p50Us }, { series: "p99", value: times.p99Us }],
        })),
      },
      {
        title: "Input → own echo, loopback (Arena client net layer)",
        xLabel: "percentile",
        yLabel: "milliseconds",
        format: (value) => value.toFixed(0),
        goal: { value: tickGoalMs, label: `goal: p99 ≤ ${tickGoalMs} ms (a tick + 5 ms)` },
        groups: arena.latency ? [
          { label: "p50", bars: [{ series: "latency", value: arena.latency.p50Ms }] },
          { label: "p99", bars: [{ series: "latency", value: arena.latency.p99Ms }] },
          { label: "max", bars: [{ series: "latency", value: arena.latency.maxMs }] },
        ] : [],
      },
    ],
  };
}

/**
 * The chart of a soak (`npm run loadtest -- --soak`): the server's resident
 * memory and heap over the measured window, one pair of bars per sample
 * (thinned to at most `MAX_GROUPS`, the last sample always kept), with the
 * issue's goal as a line: the idle server plus 200 kB per connected client.
 */
import type { Chart } from "./chart.ts";
import type { SoakReport } from "./soak.ts";

const MAX_GROUPS = 13;
/** The goal: at most this much resident memory per connected client above the idle server, MB. */
export const SOAK_GOAL_MEGABYTES_PER_CLIENT = 0.2;

export interface SoakFigures {
  date: string;
  cores: number;
  cpu: string;
  clients: number;
  rooms: number;
  seconds: number;
  soak: SoakReport;
}

export function soakChart(figures: SoakFigures): Chart {
  const { soak } = figures;
  const every = Math.max(1, Math.ceil(soak.samples.length / MAX_GROUPS));
  const shown = soak.samples.filter((_, i) => i % every === 0 || i === soak.samples.length - 1);
  const idle = soak.idle?.residentMegabytes;
  const ccu = Math.max(0, ...soak.samples.map((sample) => sample.ccu));
  return {
    title: `Arena soak: ${figures.clients} clients in ${figures.rooms} rooms for ${Math.round(figures.seconds)} s`,
    subtitle: [
      `${figures.date} · ${figures.cores} cores (${figures.cpu})`,
      `growth after the ${soak.warmUpSeconds} s warm-up ${(soak.growthAfterWarmUp * 100).toFixed(1)} % (goal < 10 %)`,
      ...(soak.megabytesPerCcuAboveIdle !== undefined ? [`${(soak.megabytesPerCcuAboveIdle * 1000).toFixed(0)} kB per client above idle at the end (goal ≤ 200 kB)`] : []),
      ...(soak.oneRoom && soak.megabytesPerAddedCcuAtEnd !== undefined
        ? [`${(soak.megabytesPerAddedCcuAtEnd * 1000).toFixed(0)} kB per client joined after one room (${soak.oneRoom.ccu} clients, ${soak.oneRoom.residentMegabytes} MB)`]
        : []),
    ],
    columns: 1,
    panels: [{
      title: `The server's memory${idle !== undefined ? ` (idle, before anyone joined: ${idle} MB resident)` : ""}`,
      xLabel: "seconds into the measured window",
      yLabel: "MB (10^6 bytes)",
      groups: [
        ...(soak.idle ? [{ label: "idle", bars: [{ value: soak.idle.residentMegabytes, series: "resident" }, { value: soak.idle.heapUsedMegabytes, series: "heap used" }] }] : []),
        ...(soak.oneRoom ? [{ label: "1 room", bars: [{ value: soak.oneRoom.residentMegabytes, series: "resident" }, { value: soak.oneRoom.heapUsedMegabytes, series: "heap used" }] }] : []),
        ...shown.map((sample) => ({
          label: String(Math.round(sample.atSeconds)),
          bars: [{ value: sample.residentMegabytes, series: "resident" }, { value: sample.heapUsedMegabytes, series: "heap used" }],
        })),
      ],
      format: (value) => value.toFixed(0),
      goal: idle !== undefined && ccu > 0
        ? { value: idle + ccu * SOAK_GOAL_MEGABYTES_PER_CLIENT, label: `goal: idle + 200 kB × ${ccu} clients` }
        : undefined,
    }],
  };
}

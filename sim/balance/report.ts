/**
 * The balance report as one self-contained HTML page with SVG pictures: the
 * measures with their intervals, kills per match and time to kill as
 * histograms, win rate by bot skill against its fair share, and a heat map of
 * where deaths happen drawn over the map; with a second rule set, the changes
 * in plain sentences and both heat maps side by side. Pure: it returns text,
 * the caller writes the file.
 */
import type { BotSkillName } from "../../shared/bot.ts";
import type { ArenaMap } from "../../shared/map.ts";
import { BALANCE_SKILLS, HEAT_CELL } from "./match.ts";
import { MEASURES, type BalanceSummary, type Change, type Estimate, type Histogram } from "./summary.ts";

/** One rule set's part of the report. */
export interface ReportSide {
  /** "the rules as shipped", "fireCooldownSeconds=0.3". */
  rules: string;
  summary: BalanceSummary;
}

/** Everything the page shows. */
export interface BalanceReport {
  title: string;
  /** Lines under the title: what was played, how long it took. */
  facts: string[];
  map: ArenaMap;
  sides: ReportSide[];
  /** With two sides: B against A, measure by measure. */
  changes?: Change[];
}

const COLORS = ["#3b82f6", "#f97316"];

/** The report as an HTML page. */
export function renderReport(report: BalanceReport): string {
  const sections = [
    `<h1>${escape(report.title)}</h1>`,
    `<ul>${report.facts.map((fact) => `<li>${escape(fact)}</li>`).join("")}</ul>`,
  ];
  if (report.changes) {
    sections.push("<h2>What changed</h2>", `<ul class="changes">${report.changes.map((change) => `<li>${escape(change.sentence)}</li>`).join("")}</ul>`);
  }
  sections.push("<h2>Measures</h2>", measuresTable(report.sides));
  sections.push("<h2>Kills per match</h2>", `<div class="row">${report.sides.map((side, i) => histogramSvg(side.summary.killsHistogram, "kills in a match", COLORS[i], side.rules)).join("")}</div>`);
  sections.push("<h2>Time to kill</h2>", `<div class="row">${report.sides.map((side, i) => histogramSvg(side.summary.timeToKillHistogram, "seconds from the first hit to the death", COLORS[i], side.rules)).join("")}</div>`);
  sections.push("<h2>Win rate by bot skill</h2>", `<div class="row">${report.sides.map((side, i) => winRateSvg(side.summary, COLORS[i], side.rules)).join("")}</div>`);
  sections.push("<h2>Where deaths happen</h2>", `<div class="row">${report.sides.map((side) => heatMapSvg(report.map, side.summary, side.rules)).join("")}</div>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(report.title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #111; }
table { border-collapse: collapse; } td, th { padding: 0.25rem 0.75rem; border-bottom: 1px solid #ddd; text-align: right; }
td:first-child, th:first-child { text-align: left; } .row { display: flex; gap: 1.5rem; flex-wrap: wrap; }
figure { margin: 0; max-width: ${WIDTH}px; } figcaption { font-size: 13px; color: #555; } .changes li { font-size: 17px; }
</style></head><body>
${sections.join("\n")}
</body></html>
`;
}

function measuresTable(sides: readonly ReportSide[]): string {
  const head = `<tr><th>measure</th>${sides.map((side) => `<th>${escape(side.rules)}</th>`).join("")}</tr>`;
  const rows = MEASURES.map((measure) => `<tr><td>${escape(measure.label)} (${measure.unit})</td>${sides
    .map((side) => `<td>${showEstimate(side.summary.measures[measure.key])}</td>`).join("")}</tr>`);
  return `<table>${head}${rows.join("")}</table>`;
}

/** "12.3 ± 0.4" */
export function showEstimate(value: Estimate | undefined): string {
  if (!value || Number.isNaN(value.mean)) return "–";
  const digits = Math.abs(value.mean) >= 100 ? 0 : Math.abs(value.mean) >= 10 ? 1 : 2;
  return `${value.mean.toFixed(digits)} ± ${value.margin.toFixed(digits)}`;
}

const WIDTH = 500;
const HEIGHT = 220;
const PAD = 34;

function histogramSvg(histogram: Histogram, axis: string, color: string, caption: string): string {
  // Only the bins from the first to the last that hold anything.
  const first = Math.max(0, histogram.counts.findIndex((count) => count > 0));
  const counts = histogram.counts.slice(first, histogram.counts.findLastIndex((count) => count > 0) + 1);
  const most = Math.max(1, ...counts);
  const barWidth = (WIDTH - 2 * PAD) / Math.max(1, counts.length);
  const bars = counts.map((count, i) => {
    const height = ((HEIGHT - 2 * PAD) * count) / most;
    return `<rect x="${(PAD + i * barWidth).toFixed(1)}" y="${(HEIGHT - PAD - height).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${height.toFixed(1)}" fill="${color}"><title>${label(histogram, first + i)}: ${count}</title></rect>`;
  });
  const ticks = [0, Math.floor(counts.length / 2), counts.length - 1].filter((i, k, all) => i >= 0 && all.indexOf(i) === k)
    .map((i) => `<text x="${(PAD + (i + 0.5) * barWidth).toFixed(1)}" y="${HEIGHT - PAD + 14}" font-size="11" text-anchor="middle">${label(histogram, first + i)}</text>`);
  return figure(`${bars.join("")}${ticks.join("")}<text x="${WIDTH / 2}" y="${HEIGHT - 4}" font-size="12" text-anchor="middle">${escape(axis)}</text>`
    + `<text x="4" y="${PAD - 8}" font-size="11">most: ${most}</text>`, caption);
}

function label(histogram: Histogram, bin: number): string {
  const from = Number((histogram.from + bin * histogram.width).toPrecision(6));
  return bin === histogram.counts.length - 1 ? `${from}+` : `${from}–${Number((from + histogram.width).toPrecision(6))}`;
}

function winRateSvg(summary: BalanceSummary, color: string, caption: string): string {
  const total = BALANCE_SKILLS.reduce((sum, skill) => sum + summary.botsBySkill[skill], 0) || 1;
  const slot = (WIDTH - 2 * PAD) / BALANCE_SKILLS.length;
  const y = (percent: number) => HEIGHT - PAD - ((HEIGHT - 2 * PAD) * percent) / 100;
  const parts = BALANCE_SKILLS.map((skill: BotSkillName, i) => {
    const rate = summary.measures[`winRate.${skill}`];
    const fair = (100 * summary.botsBySkill[skill]) / total;
    const x = PAD + i * slot + slot * 0.2;
    const width = slot * 0.6;
    return `<rect x="${x.toFixed(1)}" y="${y(rate.mean).toFixed(1)}" width="${width.toFixed(1)}" height="${(y(0) - y(rate.mean)).toFixed(1)}" fill="${color}"><title>${showEstimate(rate)} %</title></rect>`
      + `<line x1="${(x + width / 2).toFixed(1)}" x2="${(x + width / 2).toFixed(1)}" y1="${y(rate.mean - rate.margin).toFixed(1)}" y2="${y(Math.min(100, rate.mean + rate.margin)).toFixed(1)}" stroke="#111"/>`
      + `<line x1="${(x - 4).toFixed(1)}" x2="${(x + width + 4).toFixed(1)}" y1="${y(fair).toFixed(1)}" y2="${y(fair).toFixed(1)}" stroke="#111" stroke-dasharray="4 3"/>`
      + `<text x="${(x + width / 2).toFixed(1)}" y="${HEIGHT - PAD + 14}" font-size="12" text-anchor="middle">${skill} ${rate.mean.toFixed(0)} %</text>`;
  });
  return figure(`${parts.join("")}<text x="4" y="${PAD - 8}" font-size="11">matches won (bar, 95 % interval) against a fair share by headcount (dashes)</text>`, caption);
}

function heatMapSvg(map: ArenaMap, summary: BalanceSummary, caption: string): string {
  const most = Math.max(1, ...summary.deathCells);
  const cells = summary.deathCells.map((count, cell) => {
    if (count === 0) return "";
    const x = (cell % summary.heatColumns) * HEAT_CELL;
    const y = Math.floor(cell / summary.heatColumns) * HEAT_CELL;
    return `<rect x="${x}" y="${y}" width="${HEAT_CELL}" height="${HEAT_CELL}" fill="#dc2626" fill-opacity="${(0.08 + (0.92 * count) / most).toFixed(3)}"><title>${count} deaths</title></rect>`;
  });
  const walls = map.walls.map((wall) => `<rect x="${wall.x}" y="${wall.y}" width="${wall.w}" height="${wall.h}" fill="#334155"/>`);
  const spawns = map.spawnPoints.map((point) => `<circle cx="${point.x}" cy="${point.y}" r="10" fill="none" stroke="#16a34a" stroke-width="4"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${map.width} ${map.height}" width="${WIDTH}" role="img">`
    + `<rect width="${map.width}" height="${map.height}" fill="#f8fafc" stroke="#94a3b8" stroke-width="4"/>${cells.join("")}${walls.join("")}${spawns.join("")}</svg>`;
  return `<figure>${svg}<figcaption>${escape(caption)}: deaths per ${HEAT_CELL} u square (darker: more, at most ${most}); walls grey, spawn points green</figcaption></figure>`;
}

function figure(content: string, caption: string): string {
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img">${content}</svg>`
    + `<figcaption>${escape(caption)}</figcaption></figure>`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

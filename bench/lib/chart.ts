/**
 * Hand-written SVG bar charts for benchmark results: a title block (with the
 * date and the machine) over a grid of panels, each a bar chart with labelled
 * axes, value labels on the bars, a legend and an optional goal line.
 * No dependencies; the output is a standalone .svg file.
 */

export interface Bar {
  value: number;
  /** Legend entry (series name); bars of the same series share a colour. */
  series: string;
}

export interface BarGroup {
  /** Label under the group on the x axis. */
  label: string;
  bars: Bar[];
}

export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  groups: BarGroup[];
  /** Formats values for the bar labels and the y axis ticks. */
  format?: (value: number) => string;
  /** A dashed horizontal line, e.g. a goal. */
  goal?: { value: number; label: string };
}

export interface Chart {
  title: string;
  /** Lines under the title: date, machine, notes. */
  subtitle: string[];
  panels: Panel[];
  /** Panels per row. */
  columns?: number;
}

const PALETTE = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#c53030", "#718096"];
const PANEL_W = 520;
const PANEL_H = 330;
const MARGIN = { left: 78, right: 20, top: 58, bottom: 70 };

export function renderChart(chart: Chart): string {
  const columns = chart.columns ?? 2;
  const rows = Math.ceil(chart.panels.length / columns);
  const headerH = 34 + chart.subtitle.length * 18;
  const width = columns * PANEL_W;
  const height = headerH + rows * PANEL_H + 10;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(16, 26, chart.title, { size: 18, weight: "bold" }),
    ...chart.subtitle.map((line, i) => text(16, 48 + i * 18, line, { size: 12, fill: "#4a5568" })),
  ];
  chart.panels.forEach((panel, i) => {
    const x = (i % columns) * PANEL_W;
    const y = headerH + Math.floor(i / columns) * PANEL_H;
    parts.push(renderPanel(panel, x, y));
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function renderPanel(panel: Panel, originX: number, originY: number): string {
  const format = panel.format ?? ((value: number) => String(Math.round(value)));
  const plotX = originX + MARGIN.left;
  const plotY = originY + MARGIN.top;
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const values = panel.groups.flatMap((group) => group.bars.map((bar) => bar.value)).filter(Number.isFinite);
  const top = niceCeiling(Math.max(...values, panel.goal?.value ?? 0, 1e-9) * 1.12);
  const yOf = (value: number) => plotY + plotH - (Math.max(0, value) / top) * plotH;
  const series = [...new Set(panel.groups.flatMap((group) => group.bars.map((bar) => bar.series)))];
  const colour = (name: string) => PALETTE[series.indexOf(name) % PALETTE.length];
  const parts: string[] = [
    `<g>`,
    text(originX + 16, originY + 22, panel.title, { size: 14, weight: "bold" }),
  ];

  // Y axis: ticks, grid lines and its label.
  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const value = (top / ticks) * i;
    const y = yOf(value);
    parts.push(`<line x1="${plotX}" y1="${y}" x2="${plotX + plotW}" y2="${y}" stroke="#e2e8f0"/>`);
    parts.push(text(plotX - 6, y + 4, axisNumber(value), { size: 11, anchor: "end", fill: "#4a5568" }));
  }
  parts.push(`<line x1="${plotX}" y1="${plotY}" x2="${plotX}" y2="${plotY + plotH}" stroke="#2d3748"/>`);
  parts.push(`<line x1="${plotX}" y1="${plotY + plotH}" x2="${plotX + plotW}" y2="${plotY + plotH}" stroke="#2d3748"/>`);
  const yLabelX = originX + 16;
  const yLabelY = plotY + plotH / 2;
  parts.push(text(yLabelX, yLabelY, panel.yLabel, { size: 12, anchor: "middle", rotate: `-90 ${yLabelX} ${yLabelY}` }));
  parts.push(text(plotX + plotW / 2, originY + PANEL_H - 12, panel.xLabel, { size: 12, anchor: "middle" }));

  // Bars, grouped.
  const groupW = plotW / panel.groups.length;
  panel.groups.forEach((group, g) => {
    const barW = Math.min(56, (groupW * 0.8) / group.bars.length);
    const startX = plotX + g * groupW + (groupW - barW * group.bars.length) / 2;
    group.bars.forEach((bar, b) => {
      const x = startX + b * barW;
      const y = yOf(bar.value);
      const h = plotY + plotH - y;
      parts.push(`<rect x="${round(x + 2)}" y="${round(y)}" width="${round(barW - 4)}" height="${round(Math.max(h, 0.5))}" fill="${colour(bar.series)}"><title>${escape(`${group.label}, ${bar.series}: ${format(bar.value)}`)}</title></rect>`);
      parts.push(text(x + barW / 2, y - 4, Number.isFinite(bar.value) ? format(bar.value) : "n/a", { size: 10, anchor: "middle" }));
    });
    wrap(group.label, Math.floor(groupW / 6.2)).forEach((line, i) => {
      parts.push(text(plotX + g * groupW + groupW / 2, plotY + plotH + 16 + i * 13, line, { size: 11, anchor: "middle" }));
    });
  });

  // Legend: the series (when more than one) and the goal line.
  let legendX = originX + 16;
  if (series.length > 1) {
    for (const name of series) {
      parts.push(`<rect x="${legendX}" y="${originY + 32}" width="10" height="10" fill="${colour(name)}"/>`);
      parts.push(text(legendX + 14, originY + 41, name, { size: 11 }));
      legendX += 24 + name.length * 6.5;
    }
  }
  if (panel.goal) {
    const y = round(yOf(panel.goal.value));
    const dashed = `stroke="#c53030" stroke-dasharray="6 4" stroke-width="1.5"`;
    parts.push(`<line x1="${plotX}" y1="${y}" x2="${plotX + plotW}" y2="${y}" ${dashed}/>`);
    parts.push(`<line x1="${legendX}" y1="${originY + 37}" x2="${legendX + 22}" y2="${originY + 37}" ${dashed}/>`);
    parts.push(text(legendX + 26, originY + 41, panel.goal.label, { size: 11, fill: "#c53030" }));
  }
  parts.push(`</g>`);
  return parts.join("\n");
}

/** The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ) at or above `value`. */
function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

interface TextStyle {
  size: number;
  weight?: string;
  anchor?: "start" | "middle" | "end";
  fill?: string;
  rotate?: string;
}

function text(x: number, y: number, content: string, style: TextStyle): string {
  const attributes = [
    `x="${round(x)}"`, `y="${round(y)}"`, `font-size="${style.size}"`,
    style.weight ? `font-weight="${style.weight}"` : "",
    style.anchor ? `text-anchor="${style.anchor}"` : "",
    `fill="${style.fill ?? "#1a202c"}"`,
    style.rotate ? `transform="rotate(${style.rotate})"` : "",
  ].filter(Boolean);
  return `<text ${attributes.join(" ")}>${escape(content)}</text>`;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** An axis tick: whole numbers, or one decimal below 10. */
function axisNumber(value: number): string {
  return value >= 10 || value === 0 ? String(Math.round(value)) : value.toFixed(1);
}

/** Splits `label` into lines of at most `width` characters, at spaces. */
function wrap(label: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of label.split(" ")) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function escape(content: string): string {
  return content.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The cells of the benchmark results tables (scripts/benchTables.ts and the
 * robustness runs' scripts/benchRobustnessTables.ts): a Markdown table and the
 * units its figures are written in.
 */

/** A results file as read from bench/results/NAME.json: each renderer reads only its own benchmark's fields. */
export type Json = Record<string, any>;

/** A Markdown table: one header row, then `rows` as given. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Bytes per second, in kB/s (10^3 bytes). */
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB/s`;
/** CPU µs per second, in ms/s. */
export const ms = (micros: number) => `${(micros / 1000).toFixed(2)} ms/s`;
/** A share (0–1) as a whole percentage. */
export const pct = (share: number) => `${Math.round(share * 100)} %`;
/** A number to `digits` decimals; a missing figure as a dash. */
export const fixed = (value: number, digits = 1) => (typeof value === "number" ? value.toFixed(digits) : "–");
/** A load run's errors: joins refused, connections ended, and connections dropped and resumed (counted since the drops were). */
export const errorCount = (data: Json) => data.errors.joinFailures + data.errors.disconnects + (data.errors.drops ?? 0);

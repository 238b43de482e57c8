import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

/** The q-quantile (0…1) of `values` by nearest rank; NaN when empty. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** A two-column table for the terminal. */
export function table(rows: ReadonlyArray<readonly [string, string | number]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join("\n");
}

/** Writes `bench/results/<name>.json` with the machine and date alongside the figures; returns the path. */
export function writeResult(name: string, figures: Record<string, unknown>): string {
  const dir = new URL("../results/", import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  const record = { name, date: new Date().toISOString(), cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, ...figures };
  writeFileSync(path, JSON.stringify(record, null, 2) + "\n");
  return path;
}

/** A live progress line: rewritten in place on a terminal, a line every few seconds otherwise. */
export function progress(): (line: string) => void {
  let lastPrinted = 0;
  return (line) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\r\x1b[2K${line}`);
    } else if (Date.now() - lastPrinted > 2000) {
      process.stderr.write(`${line}\n`);
      lastPrinted = Date.now();
    }
  };
}

/** Reads `--name value` flags into numbers, with defaults; an unknown flag, a non-number or a bare argument is an error. */
export function numericFlags<T extends Record<string, number>>(argv: readonly string[], defaults: T): T {
  const { flags, positional } = parseFlags(argv, defaults);
  if (positional.length > 0) throw new Error(`unexpected argument ${JSON.stringify(positional[0])}`);
  return flags;
}

/**
 * Reads `--name value` flags, each typed by its default: a number default
 * takes only a number, a string default any text. Arguments that are not
 * flags are returned in order as `positional`. An unknown flag, a missing
 * value or a non-number for a number flag is an error.
 */
function parseFlags<T extends Record<string, number | string>>(
  argv: readonly string[], defaults: T,
): { flags: T; positional: string[] } {
  const flags: Record<string, number | string> = { ...defaults };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!flag.startsWith("--")) {
      positional.push(flag);
      continue;
    }
    const name = flag.slice(2);
    if (!(name in defaults)) throw new Error(`unknown option ${flag}; known: ${Object.keys(defaults).map((key) => `--${key}`).join(" ")}`);
    const text = argv[++i];
    if (text === undefined) throw new Error(`${flag} needs a value`);
    if (typeof defaults[name] === "number") {
      const value = Number(text);
      if (!Number.isFinite(value)) throw new Error(`${flag} needs a number`);
      flags[name] = value;
    } else {
      flags[name] = text;
    }
  }
  return { flags: flags as T, positional };
}

/** Prints `<tool>: <message>` on stderr and exits with status 2 (a usage error). */
export function usageError(tool: string, message: string): never {
  process.stderr.write(`${tool}: ${message}\n`);
  process.exit(2);
}

/** `parseFlags` for a command-line tool: a bad flag is a usage error rather than a stack trace. */
export function toolFlags<T extends Record<string, number | string>>(
  tool: string, argv: readonly string[], defaults: T,
): { flags: T; positional: string[] } {
  try {
    return parseFlags(argv, defaults);
  } catch (error) {
    return usageError(tool, (error as Error).message);
  }
}

/** A table with a header row and aligned columns, for the terminal. */
export function columnTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

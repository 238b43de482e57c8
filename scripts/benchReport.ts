/**
 * Regenerates the measured figures in docs/benchmarks.md from bench/results/*.json:
 * every block between `<!-- results:NAME -->` and `<!-- /results:NAME -->` is replaced
 * by the tables rendered from NAME.json. Figures are never pasted by hand, so the page
 * always says what the last run of each benchmark measured, on which machine and when.
 *
 *   npm run bench:report            # rewrite docs/benchmarks.md
 *   npm run bench:report -- --check # exit 1 if the page is not what the results give
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderResults } from "./benchTables.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const page = `${root}docs/benchmarks.md`;
const resultsDir = `${root}bench/results`;

/** The page with every results block filled from its JSON file; a block whose file is missing says so. */
export function regenerate(markdown: string, readResult: (name: string) => unknown): string {
  return markdown.replace(
    /<!-- results:([\w-]+) -->[\s\S]*?<!-- \/results:\1 -->/g,
    (_block, name: string) => {
      const result = readResult(name);
      const body = result === undefined ? `_No results yet: run the benchmark to produce \`bench/results/${name}.json\`._` : renderResults(name, result);
      return `<!-- results:${name} -->\n${body}\n<!-- /results:${name} -->`;
    },
  );
}

function readResult(name: string): unknown {
  const path = `${resultsDir}/${name}.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const before = readFileSync(page, "utf8");
  const after = regenerate(before, readResult);
  if (process.argv.includes("--check")) {
    if (before !== after) {
      process.stderr.write("docs/benchmarks.md is out of date with bench/results: run npm run bench:report\n");
      process.exit(1);
    }
    process.stdout.write("docs/benchmarks.md matches bench/results\n");
  } else {
    writeFileSync(page, after);
    process.stdout.write(before === after ? "docs/benchmarks.md already up to date\n" : "docs/benchmarks.md regenerated from bench/results\n");
  }
}

import { readdir, readFile, writeFile } from "node:fs/promises";
import { extname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Plugin, ResolvedConfig } from "vite";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** File types worth compressing; images and fonts are compressed by their own formats already. */
export const COMPRESSIBLE_EXTENSIONS: ReadonlySet<string> = new Set([
  ".html", ".js", ".mjs", ".css", ".json", ".map", ".svg", ".txt", ".xml", ".wasm", ".webmanifest",
]);

/** One precompressed file: which built file, how big it was and what each encoding made of it (bytes). */
export interface CompressedFile {
  file: string;
  bytes: number;
  brotliBytes?: number;
  gzipBytes?: number;
}

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) next to
 * every compressible file under `dir`, so a server sends them as they are and
 * spends no CPU per request. A variant that would not be smaller than the
 * file (a few tiny files) is not written: the server then sends the file itself.
 */
export async function precompressDirectory(dir: string): Promise<CompressedFile[]> {
  const files = (await listFiles(dir)).filter((path) => COMPRESSIBLE_EXTENSIONS.has(extname(path)));
  return Promise.all(files.map(async (path) => {
    const content = await readFile(path);
    const [br, gz] = await Promise.all([
      brotli(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
      gzipAsync(content, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    const result: CompressedFile = { file: relative(dir, path), bytes: content.length };
    if (br.length < content.length) {
      await writeFile(`${path}.br`, br);
      result.brotliBytes = br.length;
    }
    if (gz.length < content.length) {
      await writeFile(`${path}.gz`, gz);
      result.gzipBytes = gz.length;
    }
    return result;
  }));
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Vite plugin: once the build is written, precompresses the output folder
 * (`precompressDirectory`) and logs the brotli and gzip totals. Build only.
 */
export function precompress(): Plugin {
  let config: ResolvedConfig | undefined;
  return {
    name: "arena:precompress",
    apply: "build",
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle(error) {
      if (!config || error || config.build.write === false) return;
      const outDir = resolve(config.root, config.build.outDir);
      const files = await precompressDirectory(outDir);
      const sum = (pick: (file: CompressedFile) => number | undefined) =>
        files.reduce((total, file) => total + (pick(file) ?? file.bytes), 0);
      config.logger.info(`precompressed ${files.length} files: ${kB(sum((file) => file.bytes))} → brotli ${kB(sum((file) => file.brotliBytes))}, gzip ${kB(sum((file) => file.gzipBytes))}`);
    },
  };
}

function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { precompressDirectory } from "../../scripts/precompress.ts";

describe("precompressDirectory", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function folder(files: Record<string, string | Buffer>): string {
    dir = mkdtempSync(join(tmpdir(), "arena-precompress-"));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return dir;
  }

  it("writes brotli and gzip copies of compressible files, in subfolders too, that decode to the file", async () => {
    const script = "export const greeting = 'hello';\n".repeat(200);
    const root = folder({ "index.html": `<!doctype html>${"<p>arena</p>".repeat(100)}`, "assets/game-abc12345.js": script });
    const report = await precompressDirectory(root);
    for (const file of ["index.html", "assets/game-abc12345.js"]) {
      const plain = readFileSync(join(root, file));
      expect(brotliDecompressSync(readFileSync(join(root, `${file}.br`))).equals(plain)).toBe(true);
      expect(gunzipSync(readFileSync(join(root, `${file}.gz`))).equals(plain)).toBe(true);
    }
    const entry = report.find((file) => file.file === join("assets", "game-abc12345.js"))!;
    expect(entry.bytes).toBe(script.length);
    expect(entry.brotliBytes).toBeLessThan(entry.gzipBytes!);
  });

  it("leaves images alone, and writes no copy that would not be smaller than its file", async () => {
    const root = folder({ "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), "tiny.css": "a{}" });
    const report = await precompressDirectory(root);
    expect(existsSync(join(root, "logo.png.br"))).toBe(false);
    expect(existsSync(join(root, "tiny.css.br"))).toBe(false);
    expect(existsSync(join(root, "tiny.css.gz"))).toBe(false);
    expect(report).toEqual([{ file: "tiny.css", bytes: 3 }]);
  });
});

import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import type express from "express";

/** A content coding the build writes next to a file (`<file>.br`, `<file>.gz`), best first. */
export const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/** One of `ENCODINGS` by its HTTP name. */
export type EncodingName = (typeof ENCODINGS)[number]["name"];

/** For files with a content hash in their name: a new build gives a new name, so a copy never goes stale. */
export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
/** For the page and other unhashed files: kept, but checked with the server (ETag, Last-Modified) before each use. */
export const REVALIDATE_CACHE = "no-cache";

/** Vite's hashed output: `assets/<name>-<8 characters of base64url hash>.<ext>`. */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

/**
 * Serves the built client in `clientDir` at `/`, or, when there is none, a
 * 503 at `/` saying how to build it. A request whose `Accept-Encoding` allows
 * it gets the precompressed `.br` (preferred) or `.gz` file the build wrote
 * (scripts/precompress.ts), with `Content-Encoding`; any other gets the plain
 * file. Every file is sent with `Vary: Accept-Encoding`, its own Content-Type,
 * Content-Length, ETag and Last-Modified (conditional requests answer 304),
 * and a cache policy: a year for hashed files under /assets/, revalidation for
 * the rest. GET and HEAD only; anything else, or a path that is not a file
 * of the build, falls through to the next route.
 */
export function mountClientFiles(app: express.Application, clientDir: string): void {
  if (!existsSync(clientDir)) {
    app.get("/", (_req, res) => {
      res.status(503).type("text/plain").send(`The client is not built (no ${clientDir}). Run: npm run build`);
    });
    return;
  }
  const root = resolve(clientDir);
  app.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    findClientFile(root, req.path).then((file) => {
      if (!file) return next();
      const encoding = pickEncoding(req.headers["accept-encoding"], file.encodings);
      res.vary("Accept-Encoding");
      res.type(extname(file.path));
      res.setHeader("Cache-Control", HASHED_ASSET.test(req.path) ? IMMUTABLE_CACHE : REVALIDATE_CACHE);
      if (encoding) res.setHeader("Content-Encoding", encoding);
      const sent = encoding ? `${file.path}${ENCODINGS.find((known) => known.name === encoding)!.suffix}` : file.path;
      // `send` (under sendFile) keeps the Content-Type set above, and adds Content-Length,
      // ETag and Last-Modified of the file it sends, so each encoding has its own ETag.
      res.sendFile(sent, { cacheControl: false, dotfiles: "allow" }, (error) => {
        if (error && !res.headersSent) next(error);
      });
    }, next);
  });
}

/** A file of the build and the encoded copies that exist beside it. */
interface ClientFile {
  path: string;
  encodings: EncodingName[];
}

/**
 * The file of the build that `urlPath` (still percent-encoded) names, `/` and
 * `…/` meaning `index.html`; undefined for anything else: a missing file, a
 * folder, a dotfile, a path that climbs out of `root`, or one of the encoded
 * copies themselves.
 */
async function findClientFile(root: string, urlPath: string): Promise<ClientFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.endsWith("/") ? `${urlPath}index.html` : urlPath);
  } catch {
    return undefined;
  }
  const segments = decoded.split("/").filter((segment) => segment !== "");
  if (decoded.includes("\0") || decoded.includes("\\") || segments.some((segment) => segment.startsWith("."))) return undefined;
  if (ENCODINGS.some((encoding) => decoded.endsWith(encoding.suffix))) return undefined;
  const path = join(root, ...segments);
  if (!path.startsWith(root + sep)) return undefined;
  if (!(await isFile(path))) return undefined;
  const present = await Promise.all(ENCODINGS.map((encoding) => isFile(`${path}${encoding.suffix}`)));
  return { path, encodings: ENCODINGS.filter((_, index) => present[index]).map((encoding) => encoding.name) };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The best of `available` that an `Accept-Encoding` header allows (q > 0, by
 * name or through `*`), or undefined for the plain file. Among equal weights
 * the order of `ENCODINGS` decides (brotli first), whatever order the browser
 * listed them in. No header at all means no encoding.
 */
export function pickEncoding(header: string | undefined, available: readonly EncodingName[]): EncodingName | undefined {
  if (!header || available.length === 0) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    if (name === "") continue;
    const q = params.find((param) => param.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  let best: { name: EncodingName; weight: number } | undefined;
  for (const { name } of ENCODINGS) {
    if (!available.includes(name)) continue;
    const weight = weights.get(name) ?? weights.get("*") ?? 0;
    if (weight > 0 && (!best || weight > best.weight)) best = { name, weight };
  }
  return best?.name;
}

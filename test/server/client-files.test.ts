import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { pickEncoding } from "../../server/http/clientFiles.ts";
import { TEST_CLIENT_DIR } from "../helpers/build-client.ts";
import { useTestServer } from "../helpers/server.ts";

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as they came over the wire (never decoded). */
  body: Buffer;
}

/** One HTTP request with exactly these headers (fetch would add Accept-Encoding and decode the body). */
function raw(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    }).on("error", reject).end();
  });
}

/** The built client's files that a browser asks for: the page and everything under assets/ (not the encoded copies). */
function builtFiles(): string[] {
  const assets = readdirSync(join(TEST_CLIENT_DIR, "assets")).filter((name) => !/\.(br|gz)$/.test(name));
  return ["index.html", ...assets.map((name) => `assets/${name}`)];
}

const TYPES: Record<string, RegExp> = { html: /^text\/html/, js: /^text\/javascript/, css: /^text\/css/ };
const BROWSER = "gzip, deflate, br, zstd";

const GAME_POLICY = /default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/;

/** The safe headers; `policy` is the game's CSP unless a route sends a stricter one (Express' own 404 page has `default-src 'none'`). */
function expectSafeHeaders(response: RawResponse, policy: RegExp = GAME_POLICY): void {
  expect(response.headers["content-security-policy"]).toMatch(policy);
  expect(response.headers["x-content-type-options"]).toBe("nosniff");
  expect(response.headers["referrer-policy"]).toBe("no-referrer");
  expect(response.headers["x-frame-options"]).toBe("DENY");
  expect(response.headers["x-powered-by"]).toBeUndefined();
}

describe("the built client", () => {
  it("has Phaser in a chunk of its own, and brotli and gzip copies of every compressible file", () => {
    const files = builtFiles();
    expect(files.some((file) => /^assets\/phaser-[\w-]{8}\.js$/.test(file))).toBe(true);
    expect(files.filter((file) => /^assets\/index-[\w-]{8}\.js$/.test(file))).toHaveLength(1);
    for (const file of files) {
      const plain = readFileSync(join(TEST_CLIENT_DIR, file));
      expect(brotliDecompressSync(readFileSync(join(TEST_CLIENT_DIR, `${file}.br`))).equals(plain), file).toBe(true);
      expect(gunzipSync(readFileSync(join(TEST_CLIENT_DIR, `${file}.gz`))).equals(plain), file).toBe(true);
    }
  });
});

describe("serving the built client", () => {
  const server = useTestServer({ clientDir: TEST_CLIENT_DIR });
  const url = (path: string) => `${server().url}/${path}`;

  describe.each([
    ["br", "br", brotliDecompressSync],
    ["gzip", "gzip", gunzipSync],
    ["br, as a browser lists it", BROWSER, brotliDecompressSync],
    ["gzip when brotli is refused", "br;q=0, gzip", gunzipSync],
  ])("to a request that accepts %s", (_what, acceptEncoding, decode) => {
    it("sends every file compressed, decoding to the very bytes of the file, with its headers", async () => {
      for (const file of builtFiles()) {
        const response = await raw(url(file), { "Accept-Encoding": acceptEncoding });
        const expected = decode === brotliDecompressSync ? "br" : "gzip";
        expect(response.status, file).toBe(200);
        expect(response.headers["content-encoding"], file).toBe(expected);
        expect(response.headers.vary, file).toMatch(/Accept-Encoding/i);
        expect(Number(response.headers["content-length"]), file).toBe(response.body.length);
        expect(response.headers["content-type"], file).toMatch(TYPES[file.split(".").pop()!]!);
        expect(decode(response.body).equals(readFileSync(join(TEST_CLIENT_DIR, file))), file).toBe(true);
        expect(response.body.length, file).toBeLessThan(readFileSync(join(TEST_CLIENT_DIR, file)).length);
        expectSafeHeaders(response);
      }
    });
  });

  it.each([
    ["no Accept-Encoding", {}],
    ["identity only", { "Accept-Encoding": "identity" }],
    ["an encoding the build does not make", { "Accept-Encoding": "zstd" }],
    ["both encodings refused", { "Accept-Encoding": "br;q=0, gzip;q=0, *;q=0" }],
  ])("sends every file plain, byte for byte, to a request with %s", async (_what, headers) => {
    for (const file of builtFiles()) {
      const response = await raw(url(file), headers);
      expect(response.status, file).toBe(200);
      expect(response.headers["content-encoding"], file).toBeUndefined();
      expect(response.headers.vary, file).toMatch(/Accept-Encoding/i);
      expect(response.headers["content-type"], file).toMatch(TYPES[file.split(".").pop()!]!);
      expect(response.body.equals(readFileSync(join(TEST_CLIENT_DIR, file))), file).toBe(true);
    }
  });

  it("keeps hashed assets a year and has the page revalidated", async () => {
    for (const file of builtFiles().filter((name) => name.startsWith("assets/"))) {
      expect((await raw(url(file))).headers["cache-control"], file).toBe("public, max-age=31536000, immutable");
    }
    for (const page of ["", "index.html"]) {
      const response = await raw(url(page), { "Accept-Encoding": BROWSER });
      expect(response.headers["cache-control"]).toBe("no-cache");
      expect(response.headers["content-type"]).toMatch(/^text\/html/);
      expect(response.headers.etag).toBeDefined();
      expect(response.headers["last-modified"]).toBeDefined();
    }
  });

  it("answers a revalidation of the page with 304, per encoding", async () => {
    const brotli = await raw(url(""), { "Accept-Encoding": "br" });
    const plain = await raw(url(""));
    expect(brotli.headers.etag).not.toBe(plain.headers.etag);
    const again = await raw(url(""), { "Accept-Encoding": "br", "If-None-Match": String(brotli.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const changedEncoding = await raw(url(""), { "If-None-Match": String(brotli.headers.etag) });
    expect(changedEncoding.status).toBe(200);
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    for (const file of builtFiles()) {
      const get = await raw(url(file), { "Accept-Encoding": "br" });
      const head = await raw(url(file), { "Accept-Encoding": "br" }, "HEAD");
      expect(head.status, file).toBe(200);
      expect(head.body.length, file).toBe(0);
      for (const name of ["content-encoding", "content-length", "content-type", "cache-control", "etag", "vary"]) {
        expect(head.headers[name], `${file} ${name}`).toBe(get.headers[name]);
      }
    }
  });

  it.each([
    "../package.json", "%2e%2e/package.json", "assets/%2e%2e/%2e%2e/package.json", "..%2fpackage.json",
    "index.html.br", "index.html.gz", ".hidden", "assets/", "nothing-here.js",
  ])("serves nothing outside the build, no encoded copy by its own name and no folder: /%s", async (path) => {
    const response = await raw(url(path));
    expect(response.status).toBe(404);
    expectSafeHeaders(response, /^default-src 'none'$/);
  });

  it("puts the safe headers on the API and matchmaking too", async () => {
    expectSafeHeaders(await raw(url("healthz")));
    expectSafeHeaders(await raw(url("metrics")));
    expectSafeHeaders(await raw(url("auth/guest"), { "Content-Type": "application/json" }, "POST"));
    expectSafeHeaders(await raw(url("matchmake/joinOrCreate/arena"), {}, "POST"));
  });
});

describe("the admin monitor's page", () => {
  const server = useTestServer({ security: { adminPassword: "correct horse" } });

  it("has its own policy: the game's, with the inline styles and icon font the monitor uses", async () => {
    const authorization = `Basic ${Buffer.from("admin:correct horse").toString("base64")}`;
    const response = await raw(`${server().url}/monitor/`, { Authorization: authorization });
    expect(response.status).toBe(200);
    expectSafeHeaders(response, /script-src 'self'; style-src 'self' 'unsafe-inline' https:\/\/fonts.googleapis.com;.*frame-ancestors 'none'/);
  });
});

describe("without a built client", () => {
  const server = useTestServer({ clientDir: join(TEST_CLIENT_DIR, "no-such-folder") });

  it("says at / how to build it, with the safe headers", async () => {
    const response = await raw(`${server().url}/`);
    expect(response.status).toBe(503);
    expect(response.body.toString()).toMatch(/npm run build/);
    expectSafeHeaders(response);
  });
});

describe("pickEncoding", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["gzip, deflate, br", "br"],
    ["GZIP", "gzip"],
    ["gzip;q=1, br;q=0.5", "gzip"],
    ["br;q=0", undefined],
    ["*", "br"],
    ["*;q=0.1, br;q=0", "gzip"],
    ["identity", undefined],
    ["br;q=nonsense, gzip", "gzip"],
  ] as const)("picks from %j: %s", (header, expected) => {
    expect(pickEncoding(header, ["br", "gzip"])).toBe(expected);
  });

  it("picks only what exists beside the file", () => {
    expect(pickEncoding("br, gzip", ["gzip"])).toBe("gzip");
    expect(pickEncoding("br, gzip", [])).toBeUndefined();
  });
});

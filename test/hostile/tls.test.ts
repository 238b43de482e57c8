import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "../../testkit/serverProcess.ts";

const run = promisify(execFile);
const EXAMPLE = new URL("../../examples/node-client.ts", import.meta.url).pathname;

/**
 * WSS end to end: a server process started with TLS_CERT/TLS_KEY (a
 * certificate for 127.0.0.1 this test makes with openssl), and the plain SDK
 * example client, which trusts it through NODE_EXTRA_CA_CERTS, getting a
 * token over HTTPS and playing over wss://.
 */
describe("TLS", () => {
  let dir = "";
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "arena-tls-"));
    await run("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ]);
    server = await startServerProcess({ TLS_CERT: join(dir, "cert.pem"), TLS_KEY: join(dir, "key.pem"), MIN_PLAYERS: "0", AUTH_SECRET: "tls-test-secret-0123456789abcdef-xyz" });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves HTTPS and WSS: the SDK example client gets a token, joins, moves and sees a second client", async () => {
    expect(server!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { stdout } = await run(process.execPath, [EXAMPLE, server!.url], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "cert.pem") },
      timeout: 30_000,
    });
    expect(stdout).toMatch(/joined room [\w-]+ as Node One/);
    expect(stdout).toMatch(/second client sees: Node One/);
    expect(stdout).toMatch(/moved from x=/);
  });

  it("does not speak plain HTTP on the TLS port", async () => {
    const port = new URL(server!.url).port;
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: "127.0.0.1", port, path: "/healthz", timeout: 5000 }, (res) => resolve(`status ${res.statusCode}`));
      req.on("error", (error) => resolve(`error ${error.message}`));
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.end();
    });
    expect(outcome).not.toBe("status 200");
  });
});

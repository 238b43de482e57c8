import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVER_ENTRY, SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from "../../server/nodeFlags.ts";

/** The server runs with the same Node options, environment and entry point however it is started (see server/nodeFlags.ts). */
describe("the server's Node options", () => {
  it("are the ones npm start passes, with the same environment (where the host set none) and entry point", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
    const environment = Object.entries(SERVER_ENVIRONMENT).map(([name, value]) => `${name}=\${${name}:-${value}} `).join("");
    expect(manifest.scripts.start).toBe(`${environment}node ${SERVER_NODE_FLAGS.join(" ")} ${SERVER_ENTRY}`);
  });

  it("give npm start's process the environment, unless the host set its own", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
    // The start script's command with node told to print what it got.
    const printing = manifest.scripts.start.replace(/node .*$/, `"${process.execPath}" -p "JSON.stringify(process.env)"`);
    const seen = (env: Record<string, string>) => JSON.parse(spawnSync("sh", ["-c", printing], { encoding: "utf8", env: { PATH: process.env.PATH, ...env } }).stdout) as Record<string, string>;
    expect(seen({})).toMatchObject(SERVER_ENVIRONMENT);
    const own = Object.fromEntries(Object.keys(SERVER_ENVIRONMENT).map((name) => [name, "7"]));
    expect(seen(own)).toMatchObject(own);
  });

  it("are options this Node accepts (V8's among them: Node refuses an unknown one with \"bad option\")", () => {
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, "-e", ""], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});

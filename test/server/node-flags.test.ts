import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVER_ENTRY, SERVER_NODE_FLAGS } from "../../server/nodeFlags.ts";

/** The server runs with the same Node options and entry point however it is started (see server/nodeFlags.ts). */
describe("the server's Node options", () => {
  it("are the ones npm start passes, with the same entry point", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
    expect(manifest.scripts.start).toBe(`node ${SERVER_NODE_FLAGS.join(" ")} ${SERVER_ENTRY}`);
  });

  it("are options this Node accepts (V8's among them: Node refuses an unknown one with \"bad option\")", () => {
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, "-e", ""], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});

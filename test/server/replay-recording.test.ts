// First: the network bots need the SDK on the `ws` package (see the module).
import "../../testkit/sdkOverWs.ts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBot, everyTick, type NetBot } from "../../testkit/netBots.ts";
import { startProcess, type ServerProcess } from "../../testkit/serverProcess.ts";
import { ConfigError, loadConfig } from "../../server/config.ts";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { rerunReplay } from "../../shared/replayRun.ts";
import { makeRules } from "../../shared/rules.ts";
import { waitFor } from "../helpers/server.ts";

const MAIN = new URL("../../server/main.ts", import.meta.url).pathname;

/**
 * Server-side replays (REPLAY_DIR): a real server process records a short
 * match that network players and server bots play, people joining and leaving
 * during it, and the file it writes replays headless to the very state hash
 * the server logged at the match's end.
 */
describe("match recording (REPLAY_DIR)", () => {
  let dir: string;
  let server: ServerProcess;
  const bots: NetBot[] = [];
  let stopPlaying = () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "arena-replays-"));
    server = await startProcess({
      script: MAIN, args: ["--no-client-build"],
      env: { REPLAY_DIR: dir, MATCH_SECONDS: "10", SCOREBOARD_SECONDS: "1", MIN_PLAYERS: "3", LOG_LEVEL: "info" },
    });
  });

  afterAll(async () => {
    stopPlaying();
    await Promise.allSettled(bots.map((bot) => bot.close()));
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes each match to a file that replays to the hash the server logged", async () => {
    const rules = makeRules({ matchSeconds: 10, scoreboardSeconds: 1 });
    const seat = async (name: string) => {
      bots.push(await connectBot("arena", { url: server.url, name, rules, seed: 3 }));
    };
    stopPlaying = everyTick(rules.tickHz, (tick) => {
      for (const bot of bots) bot.play(tick);
    });
    await seat("Alice");
    await seat("Bob");
    // Someone leaves mid-match and someone else takes a seat: the roster changes are recorded too.
    const recorded = () => server.logs.find((line) => line.msg === "match recorded" && line.complete === true);
    await waitFor(() => bots[0].traffic().statesReceived >= 60, { timeoutMs: 10_000, message: "two seconds of play" });
    await bots.shift()!.close();
    await seat("Carol");
    await waitFor(() => recorded() !== undefined, { timeoutMs: 20_000, message: () => "a match recorded to the end" });

    const line = recorded()!;
    const bytes = readFileSync(join(dir, String(line.file)));
    const replay = decodeReplay(bytes);
    expect(replay.header.complete).toBe(true);
    expect(replay.header.finalHash).toBe(line.finalHash);
    const names = new Set(replay.ticks.flatMap((tick) => tick.changes.flatMap((c) => (c.type === "join" ? [c.player.name] : []))));
    expect([...names]).toEqual(expect.arrayContaining(["Alice", "Bob", "Carol"]));
    expect(replay.ticks.some((tick) => tick.changes.some((c) => c.type === "leave"))).toBe(true);
    expect(replay.ticks.some((tick) => [...tick.inputs.values()].some((inputs) => inputs.some((a) => a.input.fire)))).toBe(true);

    // People's shots are judged with lag compensation: its answers are in the file.
    expect(replay.ticks.some((tick) => tick.rewound.length > 0)).toBe(true);
    const outcome = rerunReplay(replay);
    expect(outcome).toMatchObject({ ticks: replay.header.ticks, finalHash: line.finalHash, matches: true, firstMismatchTick: undefined });

    // The same file over HTTP, listed and served; nothing outside the folder is.
    const listing = await (await fetch(`${server.url}/replays`)).json() as { replays: Array<{ file: string }> };
    expect(listing.replays.map((r) => r.file)).toContain(line.file);
    const served = new Uint8Array(await (await fetch(`${server.url}/replays/${String(line.file)}`)).arrayBuffer());
    expect(Buffer.from(served).equals(bytes)).toBe(true);
    writeFileSync(join(dir, "..", "outside.replay"), "x");
    expect((await fetch(`${server.url}/replays/..%2Foutside.replay`)).status).toBe(404);
    rmSync(join(dir, "..", "outside.replay"));
  }, 40_000);

  it("refuses a REPLAY_DIR that is a file", () => {
    const file = join(tmpdir(), `arena-not-a-dir-${process.pid}`);
    writeFileSync(file, "");
    try {
      expect(() => loadConfig({ REPLAY_DIR: file })).toThrow(ConfigError);
      expect(loadConfig({ REPLAY_DIR: join(file + "-new", "replays") }).replayDir).toBe(join(file + "-new", "replays"));
    } finally {
      rmSync(file);
    }
  });
});

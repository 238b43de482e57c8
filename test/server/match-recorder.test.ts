import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { hashWorld } from "../../shared/hash.ts";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { REPLAY_VERSION } from "../../shared/replayFormat.ts";
import { rerunReplay } from "../../shared/replayRun.ts";
import { makeRules } from "../../shared/rules.ts";
import { spawnPlayer } from "../../shared/spawning.ts";
import { createWorld, stepWorld } from "../../shared/world.ts";
import { NO_LAG_COMPENSATION, newPlayer, type TickInput, type WorldEvent, type WorldState } from "../../shared/worldState.ts";
import { createLog } from "../../server/log.ts";
import { MatchRecorder, type MatchRecorderOptions, type RecordedMatch } from "../../server/rooms/matchRecorder.ts";
import { checkReplay } from "../../sim/replayCheck.ts";
import { waitFor } from "../helpers/server.ts";

const replayRules = { tickHz: 30, matchSeconds: 20, scoreboardSeconds: 1 };
const rules = makeRules(replayRules);
const PLAYERS = ["p1", "p2", "p3", "p4"];

/** A world of four players, and each tick's inputs: moving in circles, firing now and then. */
function match(matchRules = rules): { world: WorldState; inputsAt(tick: number): Map<string, TickInput[]> } {
  const world = createWorld(11, matchRules);
  PLAYERS.forEach((id, index) => {
    const player = newPlayer(id, index);
    spawnPlayer(world, id, player, matchRules);
    world.players.set(id, player);
  });
  return {
    world,
    inputsAt: (tick) => new Map(PLAYERS.map((id, index) => [id, [{
      moveX: Math.fround(Math.cos(tick / 20 + index)), moveY: Math.fround(Math.sin(tick / 20 + index)),
      aim: Math.fround(tick / 10 + index), fire: (tick + index) % 7 === 0,
    }]])),
  };
}

/** The recording a match's record carries, uncompressed. */
const raw = (match: RecordedMatch): Buffer => inflateSync(match.replay!.compressed);

/**
 * Records one whole match; at tick `moveAt` (if given) the recording moves to a new recorder, as a
 * moving room's does (`fromSnapshotless`: from a release that kept no snapshots).
 */
async function record(options: MatchRecorderOptions, moveAt?: number, fromSnapshotless = false): Promise<RecordedMatch> {
  const rules = makeRules(options.rules);
  const finished: RecordedMatch[] = [];
  const { world, inputsAt } = match(rules);
  const withSink = { ...options, sink: (done: RecordedMatch) => finished.push(done) };
  let recorder = new MatchRecorder(world, () => "ROOM", withSink);
  const events: WorldEvent[] = [];
  for (let tick = 0; finished.length === 0 && tick < rules.matchTicks + 10; tick++) {
    if (tick === moveAt) {
      const saved = await recorder.save();
      expect(saved?.version).toBe(REPLAY_VERSION);
      recorder.abandon();
      const carried = JSON.parse(JSON.stringify(saved));
      if (fromSnapshotless) delete carried.snapshots;
      recorder = new MatchRecorder(world, () => "ROOM", withSink, carried);
    }
    const inputs = inputsAt(tick);
    recorder.beforeStep(inputs);
    events.length = 0;
    stepWorld(world, inputs, rules, events, recorder.lagCompensation(NO_LAG_COMPENSATION));
    recorder.afterStep(events);
    if (events.some((event) => event.type === "matchEnd")) break;
  }
  await waitFor(() => finished.length > 0, { message: "the match's record" });
  return finished[0];
}

describe("match recorder", () => {
  const log = createLog("error");

  it("writes the same file whether the match was held in memory or partly spooled to disk", async () => {
    const inMemory = await record({ rules: replayRules, log });
    const spooled = await record({ rules: replayRules, log, holdBytes: 4096 });
    expect(inMemory.replay!.rawBytes).toBeGreaterThan(3 * 4096);
    expect(inMemory.replay!.compressed.byteLength).toBeLessThan(inMemory.replay!.rawBytes);
    expect(raw(spooled).equals(raw(inMemory))).toBe(true);
    expect(raw(spooled).byteLength).toBe(spooled.replay!.rawBytes);
  });

  it("carries a recording, spooled part included, to a room's new home: one file, the same as if it never moved", async () => {
    const stayed = await record({ rules: replayRules, log, holdBytes: 4096 });
    const moved = await record({ rules: replayRules, log, holdBytes: 4096 }, Math.floor(rules.matchTicks / 2));
    expect(raw(moved).equals(raw(stayed))).toBe(true);
    const replay = decodeReplay(raw(moved));
    const rerun = rerunReplay(replay);
    expect(rerun.finalHash).toBe(replay.header.finalHash);
    expect(replay.header.finalHash).not.toBe(hashWorld(createWorld(11, rules)));
  });

  it("keeps the world with each checkpoint, moved or not, so a re-run names the field where it parts from the recording", async () => {
    // 70 s: two checkpoints, 30 s apart, the move between them.
    const replay = decodeReplay(raw(await record({ rules: { ...replayRules, matchSeconds: 70 }, log }, 40 * rules.tickHz)));
    const { hashes, snapshots, everyTicks } = replay.header.checkpoints;
    expect(snapshots).toHaveLength(2);
    expect(hashes).toHaveLength(2);
    expect(snapshots!.map((snapshot) => snapshot.tick)).toEqual(hashes.map((_, i) => replay.header.start.tick + (i + 1) * everyTicks));
    expect(checkReplay(replay).divergence).toBeUndefined();
    const [, p2] = snapshots![0].players.find(([id]) => id === "p2")!;
    p2.x += 1;
    expect(checkReplay(replay).divergence).toMatchObject({ tick: snapshots![0].tick, field: "players.p2.x", recorded: p2.x, replayed: p2.x - 1 });
  });

  it("keeps none for a recording carried on from a release that kept none, and it still re-runs to its hash", async () => {
    const replay = decodeReplay(raw(await record({ rules: { ...replayRules, matchSeconds: 70 }, log }, 40 * rules.tickHz, true)));
    expect(replay.header.checkpoints.hashes).toHaveLength(2);
    expect(replay.header.checkpoints.snapshots).toBeUndefined();
    expect(checkReplay(replay)).toMatchObject({ matches: true, divergence: undefined });
  });
});

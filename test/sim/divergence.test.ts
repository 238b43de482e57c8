import { describe, expect, it } from "vitest";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { runSimulation } from "../../shared/simulation.ts";
import { describeDivergence, findDivergence, firstDifference, type Run } from "../../sim/divergence.ts";
import { checkReplay, compareRules, rerunTwice } from "../../sim/replayCheck.ts";
import { scenario, type Scenario } from "../../sim/scenario.ts";

/** Two players fighting; `b` turns aside at `turnTick` when given one. */
function duel(turnTick?: number, options: Parameters<typeof scenario>[0] = {}): Scenario {
  return scenario(options)
    .join("a", { at: [100, 60], inputs: { aim: 0, fire: true } })
    .join("b", { at: [500, 60], inputs: (tick) => ({ moveY: tick === turnTick ? 1 : 0, aim: Math.PI, fire: true }) });
}

const asRun = (s: Scenario): Run => ({ world: s.world, step: () => s.run(1) });

describe("the divergence finder", () => {
  describe("between two worlds", () => {
    it("names the first field that differs and both values", () => {
      const a = duel().run(5);
      const b = duel().run(5);
      expect(firstDifference(a.world, b.world)).toBeUndefined();
      b.player("b").hp = 50;
      expect(firstDifference(a.world, b.world)).toEqual({ field: "players.b.hp", a: 100, b: 50 });
      b.player("a").y = 61;
      expect(firstDifference(a.world, b.world)).toEqual({ field: "players.a.y", a: 60, b: 61 });
    });

    it("names a player or projectile on one side only, and tells −0 from 0", () => {
      const a = duel().run(3);
      const b = duel().run(3);
      b.world.projectiles.delete("2");
      expect(firstDifference(a.world, b.world)).toEqual({ field: "projectiles.2", a: "present", b: "absent" });
      a.world.projectiles.delete("2");
      a.player("a").vx = -0;
      expect(firstDifference(a.world, b.world)).toEqual({ field: "players.a.vx", a: -0, b: 0 });
    });
  });

  describe("between two runs", () => {
    it("names the tick after the step where a planted difference first shows", () => {
      const divergence = findDivergence(asRun(duel()), asRun(duel(17)), 60);
      expect(divergence).toMatchObject({ tick: 18, field: "players.b.y", a: 60 });
      expect(describeDivergence(divergence!, "one", "other")).toBe("tick 18: players.b.y is 60 in one, 62.09375 in other");
    });

    it("finds nothing when the runs agree", () => {
      expect(findDivergence(asRun(duel()), asRun(duel()), 60)).toBeUndefined();
    });
  });

  describe("a replay and its recording", () => {
    it("names the tick, field and both values where the recording's snapshot differs from the re-run", () => {
      const replay = decodeReplay(duel(undefined, { record: true }).run(40).replay());
      expect(checkReplay(replay).divergence).toBeUndefined();
      const [, b] = replay.header.checkpoints.snapshots![11].players.find(([id]) => id === "b")!;
      b.hp = 42;
      expect(checkReplay(replay).divergence).toEqual({ tick: 12, lastAgreeingTick: 11, field: "players.b.hp", recorded: 42, replayed: 75 });
    });

    it("names the first checkpoint that differs, and its first field when the recording keeps a snapshot there", () => {
      const simulated = () => decodeReplay(runSimulation({ seed: 4, bots: 4, ticks: 300, record: true, checkpointEveryTicks: 100 }).replay!);
      const hashesOnly = simulated();
      delete hashesOnly.header.checkpoints.snapshots;
      hashesOnly.header.checkpoints.hashes[1] = "00000000";
      expect(checkReplay(hashesOnly)).toMatchObject({ matches: true, divergence: { tick: 200, lastAgreeingTick: 100 } });
      const withSnapshots = simulated();
      withSnapshots.header.checkpoints.snapshots![1].nextProjectileId += 1;
      const { divergence } = checkReplay(withSnapshots);
      expect(divergence).toMatchObject({ tick: 200, lastAgreeingTick: 100, field: "nextProjectileId" });
      expect(divergence!.recorded).toBe((divergence!.replayed as number) + 1);
    });

    it("names where other rules part from the recorded ones", () => {
      const replay = decodeReplay(duel(undefined, { record: true }).run(40).replay());
      expect(compareRules(replay, { tuning: { projectileDamage: 40 } })).toMatchObject({ tick: 12, field: "players.a.hp", a: 75, b: 60 });
      expect(compareRules(replay, { tuning: {} })).toBeUndefined();
    });

    it("catches rules that read state outside the world: two re-runs of one recording differ", () => {
      const replay = decodeReplay(duel(undefined, { record: true, rules: { faults: { hiddenState: true } } }).run(5).replay());
      expect(rerunTwice(replay)).toMatchObject({ tick: 1, field: "players.a.aim" });
      expect(rerunTwice(decodeReplay(duel(undefined, { record: true }).run(5).replay()))).toBeUndefined();
    });
  });
});

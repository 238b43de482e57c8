import { describe, expect, it } from "vitest";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import type { PlantedFaults } from "../../shared/rules.ts";
import fc from "fast-check";
import { fuzz, fuzzCaseArbitrary, type FuzzReport } from "../../sim/fuzz/fuzz.ts";
import { checkReplay, rerunTwice } from "../../sim/replayCheck.ts";
import { scenario } from "../../sim/scenario.ts";

/** A generous ceiling, never a measure: each planted bug is found within a few cases. */
const CEILING_MS = 60_000;

function fuzzWith(faults: PlantedFaults): FuzzReport {
  return fuzz({ seed: 11, budgetMs: CEILING_MS, now: () => performance.now(), rules: { faults } });
}

/** Each planted bug's report, fuzzed once for the tests that only read it. */
const reports = new Map<string, FuzzReport>();
function reportFor(fault: keyof PlantedFaults): FuzzReport {
  if (!reports.has(fault)) reports.set(fault, fuzzWith({ [fault]: true }));
  return reports.get(fault)!;
}

/** Runs a printed scenario as the test it is, with the real `scenario`; returns what its last line expects to be empty. */
function runPrinted(source: string): unknown {
  let checked: unknown;
  const test = new Function("it", "scenario", "expect", source);
  test((_name: string, body: () => void) => body(), scenario, (value: unknown) => ({ toEqual: () => (checked = value) }));
  return checked;
}

describe("the fuzzer", () => {
  it("finds nothing wrong with the rules as shipped in a short run", () => {
    const report = fuzz({ seed: 2026, budgetMs: 1500, now: () => performance.now() });
    expect(report.finding?.description).toBeUndefined();
    expect(report.cases).toBeGreaterThan(0);
  });

  describe.each([
    { fault: "wallCheckOff", broken: /^p1 at \(.+\) overlaps the wall/ },
    { fault: "shieldHeals", broken: /^p\d has hp 125 \(0 to 100\)$/ },
  ] as const)("a planted bug: $fault", ({ fault, broken }) => {
    const finding = reportFor(fault).finding!;

    it("is found, and shrunk to at most 30 ticks and 2 players", () => {
      expect(finding.failure.kind).toBe("invariant");
      expect(finding.failure.kind === "invariant" && finding.failure.violation.what).toMatch(broken);
      expect(finding.ticks).toBeLessThanOrEqual(30);
      expect(finding.players).toBeLessThanOrEqual(2);
      expect(finding.ticks).toBeLessThanOrEqual(finding.foundTicks);
    });

    it("its replay shows the same invariant broken at the same tick", () => {
      const check = checkReplay(decodeReplay(finding.replay));
      expect(check.matches).toBe(true);
      expect(check.violations[0]).toEqual(finding.failure.kind === "invariant" && finding.failure.violation);
      expect(decodeReplay(finding.replay).header.rules.faults).toEqual({ [fault]: true });
    });

    it("its scenario, pasted into a test, fails the same way", () => {
      expect(finding.scenario).toMatch(/^it\("fuzz case: tick \d+: /);
      expect((runPrinted(finding.scenario) as unknown[])[0]).toEqual(finding.failure.kind === "invariant" && finding.failure.violation);
    });
  });

  describe("a planted bug: rules that read hidden state", () => {
    const finding = reportFor("hiddenState").finding!;

    it("is found by playing each case twice, and named by tick and field", () => {
      expect(finding.failure).toMatchObject({ kind: "nondeterminism", divergence: { tick: 1, field: "players.p1.aim" } });
      expect(finding.ticks).toBeLessThanOrEqual(30);
      expect(finding.players).toBeLessThanOrEqual(2);
    });

    it("its replay, re-run twice, differs in the same field", () => {
      expect(rerunTwice(decodeReplay(finding.replay))).toMatchObject({ field: "players.p1.aim" });
    });
  });

  describe("is seeded", () => {
    it("the same seed finds and shrinks to the same case", () => {
      const first = reportFor("shieldHeals");
      const again = fuzzWith({ shieldHeals: true });
      expect(again.finding!.scenario).toBe(first.finding!.scenario);
      expect(again.cases).toBe(first.cases);
    });
  });

  describe("what it found", () => {
    // A gap narrower than a player between a wall and the world's edges makes a pocket where the
    // wall's corner and the edges push a player back and forth: it ends inside the wall. The arena
    // has no such pocket; the fuzzer's maps are laid on a 40 u grid, so theirs have none either.
    it("a pocket narrower than a player between a wall and the edges traps a player in the wall", () => {
      const map = { width: 1532, height: 289, walls: [{ x: 0, y: 79, w: 13, h: 175 }], spawnPoints: [{ x: 28, y: 264 }] };
      const s = scenario({ rules: { map }, invariants: true }).join("p1", { inputs: { 0: { moveX: -0.7627391517162323 }, 4: {} } });
      expect(s.run(30).violations[0]?.what).toMatch(/^p1 at \(.+\) overlaps the wall/);
    });

    it("fuzz maps lay their walls and sizes on the 40 u grid", () => {
      for (const { map } of fc.sample(fuzzCaseArbitrary(300, 6), { seed: 3, numRuns: 200 })) {
        for (const length of map ? [map.width, map.height, ...map.walls.flatMap((wall) => [wall.x, wall.y, wall.w, wall.h])] : []) {
          expect(length % 40).toBe(0);
        }
      }
    });
  });
});

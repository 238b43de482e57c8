import { describe, expect, it } from "vitest";
import { PLAYER_MAX_HP, PROJECTILE_DAMAGE } from "../../shared/constants.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { playBalanceMatch, type BalanceMatchOptions, type MatchStats } from "../../sim/balance/match.ts";
import { renderReport } from "../../sim/balance/report.ts";
import { compareRuns, estimate, sentence, summarize } from "../../sim/balance/summary.ts";

const SHORT: Omit<BalanceMatchOptions, "seed"> = { bots: 8, matchSeconds: 30 };
const play = (count: number, options = SHORT): MatchStats[] => Array.from({ length: count }, (_, seed) => playBalanceMatch({ ...options, seed }));
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe("balance runs", () => {
  const shipped = play(12);
  const harder = play(12, { ...SHORT, tuning: { projectileDamage: 50 } });

  describe("one match", () => {
    it("counts every kill once: a time to kill, a place on the heat map, a skill", () => {
      for (const match of shipped) {
        expect(match.kills).toBeGreaterThan(5);
        expect(match.timesToKill).toHaveLength(match.kills);
        expect(sum(match.deathCells)).toBe(match.kills);
        expect(sum(Object.values(match.killsBySkill))).toBe(match.kills);
        expect(match.botsBySkill).toEqual({ easy: 3, normal: 3, hard: 2 });
      }
    });

    it("counts the shots and hits a kill takes", () => {
      const hitsToKill = Math.ceil(PLAYER_MAX_HP / PROJECTILE_DAMAGE);
      for (const match of shipped) {
        expect(match.hits).toBeGreaterThanOrEqual(hitsToKill * match.kills);
        expect(match.shots).toBeGreaterThan(match.hits);
        expect(match.spawnKills).toBeLessThanOrEqual(match.kills);
        // Four hits from one shooter take three cooldowns (0.75 s); from several, less, never nothing.
        for (const seconds of match.timesToKill) expect(seconds).toBeGreaterThan(0);
        expect(sum(match.timesToKill) / match.kills).toBeGreaterThan(0.75);
      }
    });

    it("is the same match for the same seed", () => {
      expect(playBalanceMatch({ ...SHORT, seed: 3 })).toEqual(shipped[3]);
    });
  });

  describe("figures", () => {
    it("give each measure's mean with a 95 % interval", () => {
      expect(estimate([1, 2, 3, 4])).toEqual({ mean: 2.5, margin: (1.96 * Math.sqrt(5 / 3)) / 2 });
      expect(estimate([NaN, 4])).toEqual({ mean: 4, margin: 0 });
      const summary = summarize(shipped);
      expect(summary.measures.killsPerMatch.mean).toBe(sum(shipped.map((match) => match.kills)) / shipped.length);
      expect(sum(summary.killsHistogram.counts)).toBe(shipped.length);
      expect(sum(summary.deathCells)).toBe(sum(shipped.map((match) => match.kills)));
      const wins = ["easy", "normal", "hard"].map((skill) => summary.measures[`winRate.${skill}`].mean);
      expect(sum(wins)).toBeCloseTo(100, 9);
    });

    it("compare two rule sets on the same seeds: double damage kills faster", () => {
      const changes = new Map(compareRuns(shipped, harder).map((change) => [change.key, change]));
      expect(changes.get("timeToKill")!.change.mean).toBeLessThan(-30);
      expect(changes.get("timeToKill")!.sentence).toMatch(/^time to kill fell \d+ % ± \d+(\.\d)? %$/);
      expect(changes.get("killsPerMatch")!.sentence).toMatch(/^kills per match rose /);
      expect(changes.get("accuracy")!.unit).toBe("points");
    });

    it("say so in a plain sentence when nothing changed measurably", () => {
      expect(sentence("time to kill", { mean: 18.2, margin: 4.1 }, "%")).toBe("time to kill rose 18 % ± 4.1 %");
      expect(sentence("accuracy", { mean: -0.5, margin: 1.2 }, "points")).toBe("accuracy did not change measurably (−0.5 points ± 1.2 points)");
      expect(compareRuns(shipped, shipped).every((change) => change.change.mean === 0 || Number.isNaN(change.change.mean))).toBe(true);
    });
  });

  describe("the report", () => {
    it("is a page with the sentences, the figures and pictures: histograms, win rates and the heat map over the map", () => {
      const changes = compareRuns(shipped, harder);
      const html = renderReport({
        title: "Balance", facts: ["12 matches"], map: ARENA_MAP, changes,
        sides: [{ rules: "the rules as shipped", summary: summarize(shipped) }, { rules: "projectileDamage=50", summary: summarize(harder) }],
      });
      expect(html).toMatch(/^<!doctype html>/);
      for (const change of changes) expect(html).toContain(change.sentence.replace(/&/g, "&amp;"));
      expect(html.match(/<svg /g)).toHaveLength(8);
      // The heat maps draw the map's walls over the deaths.
      expect(html.match(/fill="#334155"/g)).toHaveLength(2 * ARENA_MAP.walls.length);
      expect(html).toContain("deaths</title>");
    });
  });
});

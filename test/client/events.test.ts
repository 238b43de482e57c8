import { describe, expect, it } from "vitest";
import { GameEventDetector, LOW_HP, type GameEvent, type ObservedFrame } from "../../client/effects/events.ts";

const ME = "me";
const OTHER = "other";

/** A detector and the events it emitted, with a frame builder over plain maps. */
function setup() {
  const events: GameEvent[] = [];
  const detector = new GameEventDetector((event) => events.push(event));
  const players = new Map<string, { hp: number; alive: boolean }>([
    [ME, { hp: 100, alive: true }],
    [OTHER, { hp: 100, alive: true }],
  ]);
  const match: Omit<ObservedFrame, "players"> = { phase: "playing", timeLeft: 120 };
  const frame = () => detector.observe({ players, ...match }, ME);
  const take = () => events.splice(0);
  frame();
  return { detector, players, match, frame, take };
}

describe("game event detection", () => {
  it("takes the first frame as the baseline: joining a match in progress is no burst of events", () => {
    const events: GameEvent[] = [];
    const detector = new GameEventDetector((event) => events.push(event));
    const players = new Map([[ME, { hp: 25, alive: true }], [OTHER, { hp: 0, alive: false }]]);
    detector.observe({ players, phase: "scoreboard", timeLeft: 2 }, ME);
    expect(events).toEqual([]);
  });

  describe("players", () => {
    it("reports a fall in hp as a hit on that player, own or not", () => {
      const { players, frame, take } = setup();
      players.get(OTHER)!.hp = 75;
      frame();
      expect(take()).toEqual([{ kind: "hurt", id: OTHER, own: false, damage: 25 }]);
      players.get(ME)!.hp = 50;
      frame();
      expect(take()).toEqual([{ kind: "hurt", id: ME, own: true, damage: 50 }]);
      frame();
      expect(take()).toEqual([]);
    });

    it("reports a death and a respawn when alive changes, and no hit for the hp a respawn restores", () => {
      const { players, frame, take } = setup();
      Object.assign(players.get(OTHER)!, { hp: 0, alive: false });
      frame();
      expect(take()).toEqual([
        { kind: "hurt", id: OTHER, own: false, damage: 100 },
        { kind: "death", id: OTHER, own: false },
      ]);
      Object.assign(players.get(OTHER)!, { hp: 100, alive: true });
      frame();
      expect(take()).toEqual([{ kind: "respawn", id: OTHER, own: false }]);
    });

    it("announces the own death once, whether the kill notice or the state comes first", () => {
      const { detector, players, frame, take } = setup();
      // Notice first, then the state.
      detector.killed(OTHER, ME);
      expect(take()).toEqual([{ kind: "death", id: ME, own: true }]);
      frame();
      Object.assign(players.get(ME)!, { hp: 0, alive: false });
      frame();
      expect(take()).toEqual([{ kind: "hurt", id: ME, own: true, damage: 100 }]);
      Object.assign(players.get(ME)!, { hp: 100, alive: true });
      frame();
      expect(take()).toEqual([{ kind: "respawn", id: ME, own: true }]);
      // State first, then the notice.
      Object.assign(players.get(ME)!, { hp: 0, alive: false });
      frame();
      expect(take().filter((event) => event.kind === "death")).toEqual([{ kind: "death", id: ME, own: true }]);
      detector.killed(OTHER, ME);
      expect(take()).toEqual([]);
    });

    it("reports a kill only when the own player is the killer", () => {
      const { detector, take } = setup();
      detector.killed(ME, OTHER);
      expect(take()).toEqual([{ kind: "kill", victim: OTHER }]);
      detector.killed(OTHER, "third");
      expect(take()).toEqual([]);
    });

    it("forgets players who left, and takes a returning one as new", () => {
      const { players, frame, take } = setup();
      players.delete(OTHER);
      frame();
      players.set(OTHER, { hp: 40, alive: true });
      frame();
      expect(take()).toEqual([]);
    });

    it("warns of low hp only while the own player is alive at or under the threshold", () => {
      const { detector, players, frame } = setup();
      expect(detector.ownLowHp).toBe(false);
      players.get(ME)!.hp = LOW_HP;
      frame();
      expect(detector.ownLowHp).toBe(true);
      Object.assign(players.get(ME)!, { hp: 0, alive: false });
      frame();
      expect(detector.ownLowHp).toBe(false);
      players.get(OTHER)!.hp = 10;
      frame();
      expect(detector.ownLowHp).toBe(false);
    });
  });

  describe("shots and hits", () => {
    it("marks the own shots and passes where and which way they went", () => {
      const { detector, take } = setup();
      detector.shot(ME, 10, 20, 0.5);
      detector.shot(OTHER, 30, 40, -1);
      expect(take()).toEqual([
        { kind: "shot", owner: ME, own: true, x: 10, y: 20, angle: 0.5 },
        { kind: "shot", owner: OTHER, own: false, x: 30, y: 40, angle: -1 },
      ]);
    });

    it("passes a hit the server confirmed", () => {
      const { detector, take } = setup();
      detector.hitConfirmed(OTHER);
      expect(take()).toEqual([{ kind: "hitDealt", victim: OTHER }]);
    });
  });

  describe("the match", () => {
    it("counts down the last three seconds of the scoreboard once each, then starts", () => {
      const { match, frame, take } = setup();
      match.phase = "scoreboard";
      match.timeLeft = 10;
      frame();
      expect(take()).toEqual([{ kind: "matchEnd" }]);
      for (const seconds of [9, 5, 4, 3, 3, 3, 2, 1, 1]) {
        match.timeLeft = seconds;
        frame();
      }
      expect(take()).toEqual([
        { kind: "countdown", secondsLeft: 3 },
        { kind: "countdown", secondsLeft: 2 },
        { kind: "countdown", secondsLeft: 1 },
      ]);
      match.phase = "playing";
      match.timeLeft = 180;
      frame();
      expect(take()).toEqual([{ kind: "matchStart" }]);
      // The last seconds of play are no countdown.
      match.timeLeft = 2;
      frame();
      expect(take()).toEqual([]);
    });
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PlayerInput } from "../../shared/protocol.ts";
import { ReplayWriter, snapshotWorld } from "../../shared/replay.ts";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { REPLAY_FORMAT, REPLAY_VERSION, type Replay, type ReplayTick } from "../../shared/replayFormat.ts";
import { fromSteps, POSITION_X } from "../../shared/precision.ts";
import { aimCode, moveCode, quantizeInput } from "../../shared/replayCodec.ts";
import { describeRecording, rerunReplay } from "../../shared/replayRun.ts";
import { mulberry32 } from "../../shared/rng.ts";
import { makeRules } from "../../shared/rules.ts";
import { runSimulation, type SimulationSummary } from "../../shared/simulation.ts";
import { createWorld } from "../../shared/world.ts";
import { newPlayer } from "../../shared/worldState.ts";

/** A decoded replay as file bytes again, written tick by tick as a recording room writes them. */
function encodeReplay(replay: Replay): Uint8Array {
  const writer = new ReplayWriter(replay.header.start);
  for (const tick of replay.ticks) writer.addTick(tick);
  const { format: _format, version: _version, ticks: _ticks, ...rest } = replay.header;
  return writer.finish(rest);
}

const AIM_STEP = (Math.PI * 2) / 65536;

/** 16 bots for 2 simulated minutes, recorded; shared by the tests that only read it. */
let recorded: SimulationSummary | undefined;
function recordedRun(): SimulationSummary {
  recorded ??= runSimulation({ seed: 2024, bots: 16, minutes: 2, record: true });
  return recorded;
}

/** The recorded run, decoded afresh (safe to edit). */
function recordedReplay(): Replay {
  return decodeReplay(recordedRun().replay!);
}

/** A small hand-made recording with every kind of tick content. */
function handMadeReplay(): Replay {
  const rules = makeRules({ matchSeconds: 60, scoreboardSeconds: 5 });
  const world = createWorld(7, rules);
  world.players.set("a", { ...newPlayer("Zoë ✨ 😀", 3, false), alive: true, x: 100.5, y: 200.25 });
  const random = mulberry32(11);
  const ticks: ReplayTick[] = [];
  for (let t = 0; t < 200; t++) {
    const tick: ReplayTick = { changes: [], inputs: new Map(), rewound: [] };
    if (t === 3) tick.changes.push({ type: "join", id: "b", player: { ...newPlayer("Bot", 1, true), x: -0, y: 5 } });
    if (t === 50) tick.changes.push({ type: "disconnected", id: "a" });
    if (t === 60) tick.changes.push({ type: "reconnected", id: "a" });
    if (t === 150) tick.changes.push({ type: "leave", id: "b" });
    // A person: float32 as received, several after a stall, none while frozen; a shot with its lag.
    const person: PlayerInput = { moveX: Math.fround(random() * 2 - 1), moveY: -1, aim: Math.fround(random() * 6 - 3), fire: t % 7 === 0 };
    if (t < 50 || t >= 60) tick.inputs.set("a", t % 20 === 0 ? [{ input: person, lagMs: 0 }, { input: { ...person, fire: true }, lagMs: 87.5 }] : [{ input: person, lagMs: 0 }]);
    // A bot: float64 as its brain decided, or on the quantisation grid.
    if (t >= 3 && t < 150) {
      const exact = { moveX: Math.cos(t), moveY: Math.sin(t), aim: t * 0.3 - 3, fire: t % 2 === 0 };
      tick.inputs.set("b", [{ input: t % 3 === 0 ? quantizeInput(exact) : exact, lagMs: 0 }]);
    }
    if (t % 20 === 0) tick.rewound.push(random() * 1600, random() * 1200);
    ticks.push(tick);
  }
  return {
    header: {
      format: REPLAY_FORMAT, version: REPLAY_VERSION, seed: 7, rules: { tickHz: 30, matchSeconds: 60, scoreboardSeconds: 5 },
      roomId: "r00m", matchNumber: 1, complete: false, start: snapshotWorld(world), ticks: ticks.length,
      finalHash: "0badf00d", checkpoints: { everyTicks: 100, hashes: ["1", "2"] },
    },
    ticks,
  };
}

describe("replays", () => {
  describe("quantising inputs", () => {
    it("moves within half a step of 1/127 and aims within half of 2π/65536, and quantising twice changes nothing", () => {
      const random = mulberry32(3);
      let worstMove = 0;
      let worstAim = 0;
      let unstable = 0;
      for (let i = 0; i < 10_000; i++) {
        const raw: PlayerInput = { moveX: random() * 2 - 1, moveY: random() * 2 - 1, aim: (random() - 0.5) * 7, fire: random() < 0.5 };
        const once = quantizeInput(raw);
        worstMove = Math.max(worstMove, Math.abs(once.moveX - raw.moveX), Math.abs(once.moveY - raw.moveY));
        worstAim = Math.max(worstAim, Math.abs(Math.atan2(Math.sin(once.aim - raw.aim), Math.cos(once.aim - raw.aim))));
        const twice = quantizeInput(once);
        if (once.fire !== raw.fire || twice.moveX !== once.moveX || twice.moveY !== once.moveY
          || twice.aim !== once.aim || twice.fire !== once.fire) unstable++;
      }
      expect(worstMove).toBeLessThanOrEqual(0.5 / 127 + 1e-12);
      expect(worstAim).toBeLessThanOrEqual(AIM_STEP / 2 + 1e-9);
      expect(unstable).toBe(0);
    });

    it("keeps codes in range at the extremes and turns hostile values into legal ones", () => {
      expect([moveCode(-1), moveCode(1), moveCode(5), moveCode(-Infinity), moveCode(Number.NaN)]).toEqual([-127, 127, 127, -127, 0]);
      for (const aim of [-Math.PI, Math.PI, Math.PI - 1e-12, 1e9, Number.NaN, Infinity]) {
        const code = aimCode(aim);
        expect(Number.isInteger(code) && code >= 0 && code < 65536, String(aim)).toBe(true);
      }
    });
  });

  describe("the file format", () => {
    it("round-trips bit for bit: joins, leaves, connections, inputs as codes, float32 and float64, lags, rewind answers", () => {
      const replay = handMadeReplay();
      const decoded = decodeReplay(encodeReplay(replay));
      expect(decoded.header).toEqual(replay.header);
      expect(decoded.ticks).toEqual(replay.ticks);
      // Equal to the bit, -0 included (toEqual treats -0 and 0 alike).
      const joined = decoded.ticks[3].changes[0];
      expect(joined.type === "join" && Object.is(joined.player.x, -0)).toBe(true);
      expect(encodeReplay(decoded)).toEqual(encodeReplay(replay));
    });

    it("is the same file when a writer hands its ticks over as it goes (a long match kept on disk) and gets them back", () => {
      const replay = recordedReplay();
      const { format: _format, version: _version, ticks: _ticks, ...header } = replay.header;
      const writer = new ReplayWriter(replay.header.start);
      const handedOver: Uint8Array[] = [];
      replay.ticks.forEach((tick, index) => {
        writer.addTick(tick);
        if (index % 500 === 499) handedOver.push(...writer.takeBody());
      });
      expect(handedOver.length).toBeGreaterThan(0);
      const taken = new Uint8Array(handedOver.reduce((sum, chunk) => sum + chunk.length, 0));
      handedOver.reduce((offset, chunk) => (taken.set(chunk, offset), offset + chunk.length), 0);
      expect(writer.finish(header, taken)).toEqual(encodeReplay(replay));
      expect(() => new ReplayWriter(replay.header.start).finish(header, taken)).toThrow(/not all given back/);
    });

    it("writes an input in the smallest form that gives it back: codes, then float32, then float64", () => {
      const sizeWith = (input: PlayerInput) => {
        const replay = handMadeReplay();
        replay.ticks = [{ changes: [], inputs: new Map([["a", [{ input, lagMs: 0 }]]]), rewound: [] }];
        replay.header.ticks = 1;
        const bytes = encodeReplay(replay);
        expect(decodeReplay(bytes).ticks[0].inputs.get("a")![0].input).toEqual(input);
        return bytes.length;
      };
      const onGrid = sizeWith(quantizeInput({ moveX: 0.3, moveY: -1, aim: 2, fire: true }));
      const float32 = sizeWith({ moveX: Math.fround(0.3), moveY: -1, aim: Math.fround(2.1), fire: true });
      const float64 = sizeWith({ moveX: 0.3, moveY: -1, aim: 2.1, fire: true });
      expect([float32 - onGrid, float64 - float32]).toEqual([8, 12]);
    });

    it("keeps a rewind answer on the position grid in four bytes, and a repeat within the tick in one", () => {
      const sizeWith = (rewound: number[]) => {
        const replay = handMadeReplay();
        replay.ticks = [{ changes: [], inputs: new Map(), rewound }];
        replay.header.ticks = 1;
        const bytes = encodeReplay(replay);
        const decoded = decodeReplay(bytes).ticks[0].rewound;
        expect(decoded).toEqual(rewound);
        decoded.forEach((value, i) => expect(Object.is(value, rewound[i]), `value ${i}`).toBe(true));
        return bytes.length;
      };
      const grid = (steps: number) => fromSteps(POSITION_X, steps);
      const none = sizeWith([]);
      const one = sizeWith([grid(3201), grid(65535)]);
      // Off the grid, −0, out of range and NaN are kept as float64s, to the bit.
      const offGrid = sizeWith([100.01, 5, -0, grid(7), -3, Number.NaN, grid(7), 1e9]);
      const repeats = sizeWith([grid(3201), grid(0), grid(9), grid(9), grid(3201), grid(0), grid(3201), grid(0), grid(9), grid(9)]);
      expect(one - none).toBe(1 + 4);
      expect(offGrid - none).toBe(4 * 17);
      expect(repeats - none).toBe(2 * 5 + 3 * 1);
    });

    it("reads version 2 files (matches stored before) as they were written", () => {
      const written = new Uint8Array(readFileSync(new URL("fixtures/hand-made-v2.replay", import.meta.url)));
      const expected = handMadeReplay();
      const decoded = decodeReplay(written);
      expect(decoded.header).toEqual({ ...expected.header, version: 2 });
      expect(decoded.ticks).toEqual(expected.ticks);
      // A recording begun in version 2 (moved here from a process of that release) is carried on in it.
      const { format: _format, version: _version, ticks: _ticks, ...header } = decoded.header;
      const bodyAt = written.indexOf(0x0a) + 1;
      const carried = new ReplayWriter(decoded.header.start, { body: written.slice(bodyAt), roster: [["a", 0], ["b", 1]], ticks: decoded.ticks.length });
      expect(carried.save().version).toBe(2);
      expect(carried.finish(header)).toEqual(written);
    });

    it("refuses what is not a well-formed replay, saying why", () => {
      const bytes = encodeReplay(handMadeReplay());
      const text = (json: string) => new Uint8Array([...json].map((c) => c.charCodeAt(0)).concat(0x0a));
      expect(() => decodeReplay(new Uint8Array([1, 2, 3]))).toThrow(/not an Arena replay/);
      expect(() => decodeReplay(text('{"format":"something-else"}'))).toThrow(/wrong format/);
      expect(() => decodeReplay(text(JSON.stringify({ format: REPLAY_FORMAT, version: 1 })))).toThrow(/version 1 is not supported \(only 2 and 3\)/);
      const repeatFirst = encodeReplay({ ...handMadeReplay(), ticks: [{ changes: [], inputs: new Map(), rewound: [] }] });
      repeatFirst[repeatFirst.length - 1] = 1; // one answer …
      expect(() => decodeReplay(new Uint8Array([...repeatFirst, 2]))).toThrow(/repeats one not given before it/); // … a repeat of none

      expect(() => decodeReplay(bytes.slice(0, bytes.length - 10))).toThrow(/truncated/);
      expect(() => decodeReplay(new Uint8Array([...bytes, 0]))).toThrow(/unexpected bytes/);
    });
  });

  describe("recording and re-running a simulation", () => {
    it("re-runs to the recorded final hash and every recorded checkpoint", () => {
      const run = recordedRun();
      const replay = recordedReplay();
      expect(replay.header.checkpoints.hashes).toHaveLength(4);
      expect(describeRecording(replay)).toBe("simulation, seed 2024, 16 bots");
      expect(rerunReplay(replay)).toEqual({ ticks: run.ticks, finalHash: run.finalHash, matches: true, firstMismatchTick: undefined });
    });

    it("recording does not change the game: the same run unrecorded ends in the same state", () => {
      expect(runSimulation({ seed: 2024, bots: 16, minutes: 2 }).finalHash).toBe(recordedRun().finalHash);
    });

    it("a replay with one input changed ends elsewhere, and the checkpoints say from when", () => {
      const replay = recordedReplay();
      const tampered = 1100; // bot 6 is alive then
      const [applied] = replay.ticks[tampered].inputs.get("bot6")!;
      applied.input = { ...applied.input, moveX: -applied.input.moveX || 1, aim: applied.input.aim + 1 };
      const outcome = rerunReplay(decodeReplay(encodeReplay(replay)));
      expect(outcome.matches).toBe(false);
      expect(outcome.finalHash).not.toBe(recordedRun().finalHash);
      // Checkpoints every 900 ticks: the one at 900 still agrees, the one at 1800 does not.
      expect(outcome.firstMismatchTick).toBe(1800);
    });

    it("a replay whose world has another seed ends elsewhere", () => {
      const replay = recordedReplay();
      replay.header.start.seed++;
      expect(rerunReplay(replay).matches).toBe(false);
    });

    it("is compact: a fighting bot's tick takes a few bytes, not a float's dozens", ({ annotate }) => {
      const run = recordedRun();
      const bytes = run.replay!.length;
      const perPlayerTick = bytes / (run.ticks * run.bots);
      annotate(`${bytes} bytes for ${run.bots} bots × ${run.ticks} ticks: ${perPlayerTick.toFixed(2)} bytes per player-tick`);
      // Index, count, flags and four bytes of codes; float32 values alone would take 12.
      expect(perPlayerTick).toBeLessThan(8);
    });
  });
});

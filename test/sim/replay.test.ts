import { describe, expect, it } from "vitest";
import type { PlayerInput } from "../../shared/protocol.ts";
import {
  aimCode, decodeReplay, encodeReplay, InputLog, moveCode, quantizeInput, REPLAY_FORMAT, REPLAY_VERSION,
  type Replay, type ReplayHeader,
} from "../../shared/replay.ts";
import { mulberry32 } from "../../shared/rng.ts";
import { replaySimulation, runSimulation, type SimulationSummary } from "../../shared/simulation.ts";

const AIM_STEP = (Math.PI * 2) / 65536;

/** 16 bots for 2 simulated minutes, recorded; shared by the tests that only read it. */
let recorded: SimulationSummary | undefined;
function recordedRun(): SimulationSummary {
  recorded ??= runSimulation({ seed: 2024, bots: 16, minutes: 2, record: true });
  return recorded;
}

/** A copy of a replay, through the file format. */
function copyOf(replay: Replay): Replay {
  return decodeReplay(encodeReplay(replay));
}

/** Every record of a log as codes, for exact comparison. */
function codesOf(log: InputLog): ReturnType<InputLog["codes"]>[] {
  const all = [];
  for (let tick = 0; tick < log.ticks; tick++) for (let player = 0; player < log.playerCount; player++) all.push(log.codes(tick, player));
  return all;
}

function header(players: number, ticks: number): ReplayHeader {
  return {
    format: REPLAY_FORMAT, version: REPLAY_VERSION, seed: 7, rules: { tickHz: 30, matchSeconds: 60, scoreboardSeconds: 5 },
    players: Array.from({ length: players }, (_, i) => ({ id: `p${i}`, name: i === 1 ? "Zoë ✨ 😀" : `Player ${i}` })),
    ticks, finalHash: "0badf00d", checkpoints: { everyTicks: 100, hashes: ["1", "2"] },
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
    it("round-trips every kind of input: changes every tick, long runs, absences, aim wrapping past ±π", () => {
      const random = mulberry32(11);
      const log = new InputLog(4, 8);
      for (let tick = 0; tick < 700; tick++) {
        log.addTick();
        log.record(tick, 0, { moveX: random() * 2 - 1, moveY: random() * 2 - 1, aim: random() * 7, fire: random() < 0.5 });
        // Long stretches of the same input (runs longer than one record holds), then nothing.
        if (tick < 300) log.record(tick, 1, { moveX: 1, moveY: 0, aim: 1, fire: Math.floor(tick / 40) % 2 === 0 });
        // Aim sweeping round and round, crossing ±π.
        log.record(tick, 2, { moveX: -1, moveY: 1, aim: tick * 0.3, fire: false });
        // Player 3 sends every third tick only.
        if (tick % 3 === 0) log.record(tick, 3, { moveX: 0, moveY: -0.5, aim: -3, fire: true });
      }
      const replay = { header: header(4, 700), inputs: log };
      const decoded = copyOf(replay);
      expect(decoded.header).toEqual(replay.header);
      expect(codesOf(decoded.inputs)).toEqual(codesOf(log));
      const applied = { moveX: 0, moveY: 0, aim: 0, fire: false };
      expect(decoded.inputs.read(5, 1, applied)).toBe(true);
      expect(decoded.inputs.read(500, 1, applied)).toBe(false);
      expect(decoded.inputs.read(1, 3, applied)).toBe(false);
    });

    it("refuses what is not a well-formed replay, saying why", () => {
      const bytes = encodeReplay(recordedRun().replay!);
      const text = (json: string) => new Uint8Array([...json].map((c) => c.charCodeAt(0)).concat(0x0a));
      expect(() => decodeReplay(new Uint8Array([1, 2, 3]))).toThrow(/not an Arena replay/);
      expect(() => decodeReplay(text('{"format":"something-else"}'))).toThrow(/wrong format/);
      expect(() => decodeReplay(text(JSON.stringify({ ...header(1, 1), version: 2 })))).toThrow(/version 2 is not supported/);
      expect(() => decodeReplay(bytes.slice(0, bytes.length - 10))).toThrow(/truncated|past the last tick/);
      expect(() => decodeReplay(new Uint8Array([...bytes, 0]))).toThrow(/unexpected bytes/);
    });
  });

  describe("recording and replaying a simulation", () => {
    it("replays to the recorded final hash and every recorded checkpoint", () => {
      const run = recordedRun();
      const outcome = replaySimulation(copyOf(run.replay!));
      expect(run.replay!.header.checkpoints.hashes).toHaveLength(4);
      expect(outcome).toEqual({ ticks: run.ticks, finalHash: run.finalHash, matches: true, firstMismatchTick: undefined });
    });

    it("recording does not change the game: the same run unrecorded ends in the same state", () => {
      expect(runSimulation({ seed: 2024, bots: 16, minutes: 2 }).finalHash).toBe(recordedRun().finalHash);
    });

    it("a replay with one input changed ends elsewhere, and the checkpoints say from when", () => {
      const replay = copyOf(recordedRun().replay!);
      const tampered = 1100; // bot 5 is alive then
      const input = { moveX: 0, moveY: 0, aim: 0, fire: false };
      replay.inputs.read(tampered, 5, input);
      replay.inputs.record(tampered, 5, { ...input, moveX: -input.moveX || 1, aim: input.aim + 1 });
      const outcome = replaySimulation(replay);
      expect(outcome.matches).toBe(false);
      expect(outcome.finalHash).not.toBe(recordedRun().finalHash);
      // Checkpoints every 900 ticks: the one at 900 still agrees, the one at 1800 does not.
      expect(outcome.firstMismatchTick).toBe(1800);
    });

    it("a replay with another seed in its header ends elsewhere", () => {
      const replay = copyOf(recordedRun().replay!);
      replay.header.seed++;
      expect(replaySimulation(replay).matches).toBe(false);
    });

    it("is compact: under 3 bytes per player-tick for 16 fighting bots", ({ annotate }) => {
      const run = recordedRun();
      const bytes = encodeReplay(run.replay!).length;
      const perPlayerTick = bytes / (run.ticks * run.bots);
      annotate(`${bytes} bytes for ${run.bots} bots × ${run.ticks} ticks: ${perPlayerTick.toFixed(2)} bytes per player-tick`);
      expect(perPlayerTick).toBeLessThan(3);
    });
  });
});

/**
 * Replay files: one recording format for everything that plays Arena's rules,
 * a server room's match and a headless simulation alike, re-runnable to the
 * state hash the recorder had (see `replayRun.ts`). A recording holds what the
 * step took from outside the rules:
 *   - the world as it stood when recording began (a match start, or a
 *     simulation's tick 0 with its bots seated), not only a seed;
 *   - who joined (with their state as seated), left, lost or regained their
 *     connection before each tick;
 *   - every input applied each tick, as applied: a person's as received
 *     (there may be several after a network stall, or none), a bot's as its
 *     brain decided (or, in a simulation, as quantised); a shot's
 *     lag-compensation delay;
 *   - the positions lag compensation read from the room's history (the
 *     rewind answers), in the order the step asked for them.
 *
 * File layout (version 3):
 *
 *     <header: one line of ASCII JSON, ReplayHeader> 0x0A <ticks>
 *
 * Each tick, in order; varints little-endian base-128, numbers little-endian:
 *
 *     varint changes, each:  byte 0 join  + varint length + ASCII JSON { id, player }
 *                            byte 1 leave / 2 reconnected / 3 disconnected + varint roster index
 *     varint players with inputs, each: varint roster index, varint count, and per input
 *                            byte flags (1 fire, 2 float64 values, 4 lag follows, 8 codes),
 *                            then with flag 8: moveX, moveY (int8 codes), aim (uint16 code);
 *                            otherwise moveX, moveY, aim (float32, or float64 with flag 2);
 *                            then lagMs (float64, flag 4)
 *     varint rewind answers, each a varint tag and what it names (`replayRewinds.ts`):
 *                            a new answer as two uint16 position grid steps or two
 *                            float64s, or a repeat of one given earlier in the tick
 *
 * An input is written in the smallest form that gives it back bit for bit:
 * codes when it lies on the quantisation grid (`replayCodec.ts`), float32 when
 * every value is a float32 (what a person's input is on the wire), else float64.
 * The roster is the start's players in order, then each joining player in the
 * order they joined; an index never changes within a file.
 *
 * Version 2 differs only in the rewind answers: two float64s each. Files of
 * version 2 are read still (matches stored before), and a recording begun in
 * version 2 is carried on in it (a room moved from a process of that release).
 *
 * This module holds what the writer (`replay.ts`) and the decoder
 * (`replayDecoder.ts`) share: the file's types and constants.
 */
import type { ArenaMap } from "./map.ts";
import type { PlayerInput } from "./protocol.ts";
import type { PlantedFaults, Tuning } from "./rules.ts";
import type { PlayerState } from "./worldState.ts";
import type { WorldSnapshot } from "./worldSnapshot.ts";

export const REPLAY_FORMAT = "arena-replay";

/** The `roomId` of a headless simulation's recording. */
export const SIMULATION_ROOM_ID = "simulation";

/** The `roomId` of a scenario's recording (a test's, or a fuzz case's). */
export const SCENARIO_ROOM_ID = "scenario";

/**
 * The rules a recording was made under: the host-settable ones always; the
 * tuning values that differ from the constants, a map other than the arena's
 * and planted faults only when there were any (a server's rooms have none).
 */
export interface ReplayRules {
  tickHz: number;
  matchSeconds: number;
  scoreboardSeconds: number;
  tuning?: Partial<Tuning>;
  map?: ArenaMap;
  faults?: PlantedFaults;
}

/** The versions `decodeReplay` reads. */
export const READABLE_REPLAY_VERSIONS = [2, 3] as const;
export type ReplayVersion = (typeof READABLE_REPLAY_VERSIONS)[number];
/** The version recordings are written in. */
export const REPLAY_VERSION: ReplayVersion = 3;

export interface ReplayHeader {
  format: typeof REPLAY_FORMAT;
  version: ReplayVersion;
  seed: number;
  rules: ReplayRules;
  /** What recorded it: a room's id, or "simulation". */
  roomId: string;
  /** The match being played when recording began. */
  matchNumber: number;
  /** False when the room closed before the match ended. */
  complete: boolean;
  start: WorldSnapshot;
  ticks: number;
  /** `hashWorld` of the room's state after the last tick, as the server computed it. */
  finalHash: string;
  /**
   * State hashes every `everyTicks` ticks; a recording that can afford it
   * (a scenario, a fuzz case) keeps the whole world at each too, so that a
   * re-run names the first field that differs and both its values.
   */
  checkpoints: { everyTicks: number; hashes: string[]; snapshots?: WorldSnapshot[] };
}

export type RosterChange =
  | { type: "join"; id: string; player: PlayerState }
  | { type: "leave" | "reconnected" | "disconnected"; id: string };

/** One applied input and, for a shot, how far in the past its shooter saw the others (ms). */
export interface AppliedInput {
  input: PlayerInput;
  lagMs: number;
}

/** Everything from outside the rules that one tick used. */
export interface ReplayTick {
  changes: RosterChange[];
  /** By player id, in the order the step applied them. */
  inputs: Map<string, AppliedInput[]>;
  /** Positions lag compensation answered, x then y, in the order they were asked for. */
  rewound: number[];
}

export interface Replay {
  header: ReplayHeader;
  ticks: ReplayTick[];
}

/** The bits of an input's flags byte. */
export const INPUT_FLAGS = {
  fire: 1,
  /** moveX, moveY and aim as float64s (else float32s). */
  wide: 2,
  /** lagMs follows the values. */
  lag: 4,
  /** The values as quantisation codes (`replayCodec.ts`). */
  codes: 8,
} as const;

/** The byte of a roster change other than a join (which is 0). */
export const CHANGE_CODES = { leave: 1, reconnected: 2, disconnected: 3 } as const;
/** The change each byte stands for, by byte (0, a join, is read apart: it carries the player). */
export const CHANGE_TYPES = [undefined, "leave", "reconnected", "disconnected"] as const;

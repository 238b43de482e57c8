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
 */
import type { ArenaMap } from "./map.ts";
import type { PlayerInput } from "./protocol.ts";
import type { PlantedFaults, Tuning } from "./rules.ts";
import {
  aimCode, aimOfCode, asciiJson, ByteReader, ByteWriter, isQuantized, moveCode, moveOfCode, readReplayHeaderLine,
} from "./replayCodec.ts";
import { readRewindAnswers, RewindAnswerWriter } from "./replayRewinds.ts";
import type { PlayerState } from "./worldState.ts";
import type { WorldSnapshot } from "./worldSnapshot.ts";

export { recordPlayer, snapshotWorld, type WorldSnapshot } from "./worldSnapshot.ts";

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

/** A tick as a writer takes it: a `ReplayTick`, or a recorder's reused one whose `rewound` is a buffer. */
export interface TickToWrite {
  changes: readonly RosterChange[];
  inputs: ReadonlyMap<string, readonly AppliedInput[]>;
  rewound: ArrayLike<number>;
  /** How many values of `rewound` the tick has (default: all). */
  rewoundCount?: number;
}

export interface Replay {
  header: ReplayHeader;
  ticks: ReplayTick[];
}

/** A recording under way as plain data: the ticks so far and who is on the roster (`ReplayWriter.save`). */
export interface ReplayProgress {
  body: Uint8Array;
  roster: Array<[string, number]>;
  ticks: number;
  /** The version `body` is written in (2 when a release that wrote only version 2 saved it). */
  version?: ReplayVersion;
}

/** Appends ticks as they happen; `finish` gives the file bytes. */
export class ReplayWriter {
  readonly #body = new ByteWriter();
  readonly #roster = new Map<string, number>();
  readonly #rewinds = new RewindAnswerWriter();
  readonly #version: ReplayVersion = REPLAY_VERSION;
  #ticks = 0;

  /** A recording from `start`, or one carried on from `progress` (a room moved to another process). */
  constructor(start: WorldSnapshot, progress?: ReplayProgress) {
    if (progress) {
      this.#body.append(progress.body);
      for (const [id, index] of progress.roster) this.#roster.set(id, index);
      this.#ticks = progress.ticks;
      this.#version = progress.version ?? 2;
      return;
    }
    for (const [id] of start.players) this.#roster.set(id, this.#roster.size);
  }

  /** The recording so far, to be carried on by a writer constructed with it. */
  save(): ReplayProgress {
    return { body: this.#body.bytes(), roster: [...this.#roster], ticks: this.#ticks, version: this.#version };
  }

  get ticks(): number {
    return this.#ticks;
  }

  addTick(tick: TickToWrite): void {
    const out = this.#body;
    out.varint(tick.changes.length);
    for (const change of tick.changes) {
      if (change.type === "join") {
        out.byte(0);
        const json = asciiJson({ id: change.id, player: change.player });
        out.varint(json.length);
        out.ascii(json);
        this.#roster.set(change.id, this.#roster.size);
      } else {
        out.byte(CHANGE_CODES[change.type]);
        out.varint(this.#indexOf(change.id));
      }
    }
    out.varint(tick.inputs.size);
    tick.inputs.forEach((applied, id) => {
      out.varint(this.#indexOf(id));
      out.varint(applied.length);
      for (let i = 0; i < applied.length; i++) {
        const { input, lagMs } = applied[i];
        const codes = isQuantized(input);
        const wide = !codes && !(isFloat32(input.moveX) && isFloat32(input.moveY) && isFloat32(input.aim));
        const lag = input.fire && lagMs !== 0;
        out.byte((input.fire ? FIRE : 0) | (wide ? WIDE : 0) | (lag ? LAG : 0) | (codes ? CODES : 0));
        if (codes) {
          out.byte(moveCode(input.moveX) & 0xff);
          out.byte(moveCode(input.moveY) & 0xff);
          out.uint16(aimCode(input.aim));
        } else {
          out.float(input.moveX, wide);
          out.float(input.moveY, wide);
          out.float(input.aim, wide);
        }
        if (lag) out.float(lagMs, true);
      }
    });
    this.#rewinds.write(out, tick.rewound, tick.rewoundCount ?? tick.rewound.length, this.#version);
    this.#ticks++;
  }

  /** Bytes of ticks written and still held (not handed over by `takeBody`). */
  get heldBytes(): number {
    return this.#body.held;
  }

  /** Hands over the ticks written so far in whole chunks, no longer held; `finish` wants them back, concatenated. */
  takeBody(): Uint8Array[] {
    return this.#body.takeFull();
  }

  /**
   * The file in its pieces, to be written out without ever holding all of it
   * in one place: `head` (the header line), then the `takenBytes` that
   * `takeBody` handed over, in order, then `rest`. The writer is done with.
   */
  seal(header: Omit<ReplayHeader, "format" | "version" | "ticks">, takenBytes: number): { head: Uint8Array; rest: Uint8Array } {
    if (takenBytes !== this.#body.length - this.#body.held) throw new Error("replay: the ticks handed over are not all given back");
    const head = new ByteWriter();
    head.ascii(asciiJson({ format: REPLAY_FORMAT, version: this.#version, ...header, ticks: this.#ticks }));
    head.byte(0x0a);
    return { head: head.bytes(), rest: this.#body.bytes() };
  }

  /** The file's bytes; `taken` is everything `takeBody` handed over, in order. */
  finish(header: Omit<ReplayHeader, "format" | "version" | "ticks">, taken: Uint8Array = new Uint8Array(0)): Uint8Array {
    const { head, rest } = this.seal(header, taken.length);
    const file = new Uint8Array(head.length + taken.length + rest.length);
    file.set(head, 0);
    file.set(taken, head.length);
    file.set(rest, head.length + taken.length);
    return file;
  }

  #indexOf(id: string): number {
    const index = this.#roster.get(id);
    if (index === undefined) throw new Error(`replay: player ${id} is not on the roster`);
    return index;
  }
}

const FIRE = 1;
const WIDE = 2;
const LAG = 4;
const CODES = 8;
const CHANGE_CODES = { leave: 1, reconnected: 2, disconnected: 3 } as const;
const CHANGE_TYPES = [undefined, "leave", "reconnected", "disconnected"] as const;

const isFloat32 = (value: number) => Math.fround(value) === value;

/** Reads replay file bytes; throws a descriptive error on anything malformed. */
export function decodeReplay(bytes: Uint8Array): Replay {
  const { header: parsed, bodyOffset } = readReplayHeaderLine(bytes);
  const header = parsed as ReplayHeader;
  if (header?.format !== REPLAY_FORMAT) throw new Error("not an Arena replay (wrong format name)");
  if (!(READABLE_REPLAY_VERSIONS as readonly number[]).includes(header.version)) throw new Error(`replay version ${header.version} is not supported (only ${READABLE_REPLAY_VERSIONS.join(" and ")})`);
  if (!header.start || !Array.isArray(header.start.players) || !(header.ticks >= 0)) throw new Error("replay header has no start or tick count");
  const roster = header.start.players.map(([id]) => id);
  const reader = new ByteReader(bytes, bodyOffset);
  const ticks: ReplayTick[] = [];
  for (let t = 0; t < header.ticks; t++) {
    const tick: ReplayTick = { changes: [], inputs: new Map(), rewound: [] };
    for (let n = reader.varint(); n > 0; n--) {
      const code = reader.byte();
      if (code === 0) {
        const { id, player } = JSON.parse(reader.ascii(reader.varint())) as { id: string; player: PlayerState };
        roster.push(id);
        tick.changes.push({ type: "join", id, player });
      } else {
        const type = CHANGE_TYPES[code];
        if (!type) throw new Error(`replay: unknown change ${code} at tick ${t}`);
        tick.changes.push({ type, id: rosterId(roster, reader.varint()) });
      }
    }
    for (let n = reader.varint(); n > 0; n--) {
      const id = rosterId(roster, reader.varint());
      const applied: AppliedInput[] = [];
      for (let count = reader.varint(); count > 0; count--) {
        const flags = reader.byte();
        const wide = (flags & WIDE) !== 0;
        const fire = (flags & FIRE) !== 0;
        const input = flags & CODES
          ? { moveX: moveOfCode(reader.int8()), moveY: moveOfCode(reader.int8()), aim: aimOfCode(reader.uint16()), fire }
          : { moveX: reader.float(wide), moveY: reader.float(wide), aim: reader.float(wide), fire };
        applied.push({ input, lagMs: flags & LAG ? reader.float(true) : 0 });
      }
      tick.inputs.set(id, applied);
    }
    readRewindAnswers(reader, header.version, t, tick.rewound);
    ticks.push(tick);
  }
  if (!reader.done()) throw new Error(`replay has ${bytes.length - reader.offset} unexpected bytes after the last tick`);
  return { header, ticks };
}

function rosterId(roster: readonly string[], index: number): string {
  const id = roster[index];
  if (id === undefined) throw new Error(`replay: no player ${index} on the roster`);
  return id;
}

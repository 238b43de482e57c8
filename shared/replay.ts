/**
 * Writing replay files, a tick at a time as they happen (the format:
 * `replayFormat.ts`; reading them back: `replayDecoder.ts`).
 */
import { aimCode, asciiJson, ByteWriter, isQuantized, moveCode } from "./replayCodec.ts";
import {
  CHANGE_CODES, INPUT_FLAGS, REPLAY_FORMAT, REPLAY_VERSION,
  type AppliedInput, type ReplayHeader, type ReplayVersion, type RosterChange,
} from "./replayFormat.ts";
import { RewindAnswerWriter } from "./replayRewinds.ts";
import type { WorldSnapshot } from "./worldSnapshot.ts";

export { recordPlayer, snapshotWorld, type WorldSnapshot } from "./worldSnapshot.ts";

/** A tick as a writer takes it: a `ReplayTick`, or a recorder's reused one whose `rewound` is a buffer. */
export interface TickToWrite {
  changes: readonly RosterChange[];
  inputs: ReadonlyMap<string, readonly AppliedInput[]>;
  rewound: ArrayLike<number>;
  /** How many values of `rewound` the tick has (default: all). */
  rewoundCount?: number;
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
        out.byte((input.fire ? INPUT_FLAGS.fire : 0) | (wide ? INPUT_FLAGS.wide : 0) | (lag ? INPUT_FLAGS.lag : 0) | (codes ? INPUT_FLAGS.codes : 0));
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

const isFloat32 = (value: number) => Math.fround(value) === value;

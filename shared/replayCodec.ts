/**
 * The building blocks of the replay file (`replayFormat.ts`): inputs quantised to
 * small integer codes, a growing byte buffer and its reader (varints, floats,
 * ASCII), and the one-line ASCII JSON header. Nothing here knows the layout.
 */
import { wrapAngle } from "./geometry.ts";
import type { PlayerInput } from "./protocol.ts";

/** Move axes as int8 codes (−127…127 for −1…1), aims as uint16 codes (65536 steps over [−π, π)). */
const MOVE_STEPS = 127;
const AIM_STEPS = 65536;
const AIM_STEP = (Math.PI * 2) / AIM_STEPS;

/** A move axis (−1…1, clamped; NaN → 0) as an int8 code. */
export function moveCode(axis: number): number {
  if (!(axis === axis)) return 0;
  return Math.round((axis < -1 ? -1 : axis > 1 ? 1 : axis) * MOVE_STEPS);
}

export function moveOfCode(code: number): number {
  return code / MOVE_STEPS;
}

/** An aim (radians, any value; non-finite → 0) as a uint16 code. */
export function aimCode(aim: number): number {
  return Math.round((wrapAngle(aim) + Math.PI) / AIM_STEP) % AIM_STEPS;
}

export function aimOfCode(code: number): number {
  return code * AIM_STEP - Math.PI;
}

/** `input` as it is recorded and applied: every field quantised. Idempotent; writes to and returns `out`. */
export function quantizeInput(input: PlayerInput, out: PlayerInput = { moveX: 0, moveY: 0, aim: 0, fire: false }): PlayerInput {
  out.moveX = moveOfCode(moveCode(input.moveX));
  out.moveY = moveOfCode(moveCode(input.moveY));
  out.aim = aimOfCode(aimCode(input.aim));
  out.fire = input.fire === true;
  return out;
}

/** True when `input` lies exactly on the quantisation grid, so its codes give it back bit for bit. */
export function isQuantized(input: PlayerInput): boolean {
  return Object.is(moveOfCode(moveCode(input.moveX)), input.moveX)
    && Object.is(moveOfCode(moveCode(input.moveY)), input.moveY)
    && Object.is(aimOfCode(aimCode(input.aim)), input.aim);
}

/** `JSON.stringify` with everything outside printable ASCII \u-escaped, and −0 kept as −0 (JSON.parse reads "-0" back as −0). */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (Object.is(v, -0) ? NEGATIVE_ZERO : v))
    .replaceAll(`"${NEGATIVE_ZERO}"`, "-0")
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Stands in for −0 while stringifying. It must be a string JSON.stringify
 * writes as it is (a control character such as U+0000 would come out escaped
 * and never be found again), and one no name can be: names are printable
 * characters, and private-use ones are not accepted.
 */
const NEGATIVE_ZERO = "\ue000-0\ue000";

/** The JSON header line at the start of replay file bytes, parsed (any version); throws if there is none. */
export function readReplayHeaderLine(bytes: Uint8Array): { header: unknown; bodyOffset: number } {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0 || bytes[0] !== 0x7b /* { */) throw new Error("not an Arena replay (no JSON header line)");
  let json = "";
  for (let i = 0; i < newline; i++) json += String.fromCharCode(bytes[i]);
  try {
    return { header: JSON.parse(json), bodyOffset: newline + 1 };
  } catch {
    throw new Error("not an Arena replay (the header is not JSON)");
  }
}

/**
 * An append-only byte buffer in chunks of CHUNK_BYTES. Each write makes room
 * once and stores straight into the current chunk (floats through a DataView
 * over it): a recording room writes thousands of values a tick. Chunks, not
 * one buffer that doubles: a match's recording grows to megabytes, and a
 * doubling buffer holds up to twice what it has written and copies it all at
 * each doubling.
 */
export class ByteWriter {
  /** Full chunks, each trimmed to what it holds. */
  readonly #full: Uint8Array[] = [];
  #fullLength = 0;
  /** Bytes handed over by `takeFull`: written, no longer held. */
  #taken = 0;
  #chunk = new Uint8Array(FIRST_CHUNK_BYTES);
  #view = new DataView(this.#chunk.buffer);
  #used = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.#taken + this.held;
  }

  /** Bytes written and still held (not handed over by `takeFull`). */
  get held(): number {
    return this.#fullLength + this.#used;
  }

  /** Hands over the full chunks, oldest first, and stops holding them. */
  takeFull(): Uint8Array[] {
    const chunks = this.#full.splice(0);
    this.#taken += this.#fullLength;
    this.#fullLength = 0;
    return chunks;
  }

  byte(value: number): void {
    const at = this.#room(1); // first: making room may start a new chunk
    this.#chunk[at] = value;
  }

  varint(value: number): void {
    while (value >= 0x80) {
      this.byte((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    this.byte(value);
  }

  /** A uint16, little-endian. */
  uint16(value: number): void {
    const at = this.#room(2);
    this.#view.setUint16(at, value, true);
  }

  /** A float64 (or float32 with `wide` false), little-endian. */
  float(value: number, wide: boolean): void {
    const at = this.#room(wide ? 8 : 4);
    if (wide) this.#view.setFloat64(at, value, true);
    else this.#view.setFloat32(at, value, true);
  }

  /** Appends bytes written before (a recording resumed elsewhere), copied as a chunk of their own. */
  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.#used > 0) {
      this.#full.push(this.#chunk.subarray(0, this.#used));
      this.#fullLength += this.#used;
      this.#chunk = new Uint8Array(CHUNK_BYTES);
      this.#view = new DataView(this.#chunk.buffer);
      this.#used = 0;
    }
    this.#full.push(bytes.slice());
    this.#fullLength += bytes.length;
  }

  /** ASCII text (anything else \u-escaped first by the caller). */
  ascii(text: string): void {
    const at = this.#room(text.length);
    for (let i = 0; i < text.length; i++) this.#chunk[at + i] = text.charCodeAt(i);
  }

  /** Copies what is held (everything written, less what `takeFull` handed over) into `target` from `offset`. */
  copyTo(target: Uint8Array, offset: number): void {
    for (const chunk of this.#full) {
      target.set(chunk, offset);
      offset += chunk.length;
    }
    target.set(this.#chunk.subarray(0, this.#used), offset);
  }

  bytes(): Uint8Array {
    const all = new Uint8Array(this.held);
    this.copyTo(all, 0);
    return all;
  }

  /** Reserves `count` bytes at the end of the current chunk, starting a new one when it is full; returns where they start. */
  #room(count: number): number {
    const at = this.#used;
    if (at + count <= this.#chunk.length) {
      this.#used = at + count;
      return at;
    }
    this.#full.push(this.#chunk.subarray(0, at));
    this.#fullLength += at;
    this.#chunk = new Uint8Array(Math.max(CHUNK_BYTES, count));
    this.#view = new DataView(this.#chunk.buffer);
    this.#used = count;
    return 0;
  }
}

/** A writer's first chunk (most are a header line), then every further one. */
const FIRST_CHUNK_BYTES = 4096;
const CHUNK_BYTES = 16384;

const FLOAT_BYTES = new Uint8Array(8);
const FLOAT_VIEW = new DataView(FLOAT_BYTES.buffer);

export class ByteReader {
  readonly #bytes: Uint8Array;
  offset: number;

  constructor(bytes: Uint8Array, offset: number) {
    this.#bytes = bytes;
    this.offset = offset;
  }

  byte(): number {
    if (this.offset >= this.#bytes.length) throw new Error("replay is truncated");
    return this.#bytes[this.offset++];
  }

  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const byte = this.byte();
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
    throw new Error("replay has a malformed number");
  }

  /** An int8. */
  int8(): number {
    return (this.byte() << 24) >> 24;
  }

  /** A uint16, little-endian. */
  uint16(): number {
    return this.byte() | (this.byte() << 8);
  }

  /** A float64 (or float32 with `wide` false), little-endian. */
  float(wide: boolean): number {
    for (let i = 0; i < (wide ? 8 : 4); i++) FLOAT_BYTES[i] = this.byte();
    return wide ? FLOAT_VIEW.getFloat64(0, true) : FLOAT_VIEW.getFloat32(0, true);
  }

  /** `length` bytes as ASCII text. */
  ascii(length: number): string {
    let text = "";
    for (let i = 0; i < length; i++) text += String.fromCharCode(this.byte());
    return text;
  }

  done(): boolean {
    return this.offset === this.#bytes.length;
  }
}

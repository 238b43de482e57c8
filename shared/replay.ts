/**
 * Replays: everything needed to re-run a headless simulation exactly, in a
 * compact file. The world is a pure function of its seed, its rules, the
 * players in join order and every input applied, so that is all a replay
 * holds; re-running it through `stepWorld` must reproduce the recorded state
 * hash.
 *
 * Inputs are quantised: move axes to int8 (−127…127 for −1…1), aim to uint16
 * (65536 steps over [−π, π)). The live run applies the quantised input, not
 * the exact one, so what is recorded is exactly what was applied.
 *
 * File layout (version 1):
 *
 *     <header: one line of ASCII JSON, see ReplayHeader> 0x0A <packed inputs>
 *
 * The header is pure ASCII (anything else is \u-escaped), so the file needs no
 * text codec. The packed inputs are one stream per player, in join order, each
 * covering every tick, 0 to `ticks - 1`. A stream is a sequence of records;
 * one record covers `1 + run` consecutive ticks with the same input:
 *
 *     tag byte   bit 0     fire
 *                bit 1     absent: no input these ticks (the rest is ignored)
 *                bit 2     move changed: two int8 follow, moveX then moveY
 *                bit 3     aim changed: a varint follows, the zigzag-coded
 *                          change of the aim code (wrapping mod 65536)
 *                bits 4–7  run: the record repeats for `run` more ticks
 *
 * "Changed" is relative to the player's previous record; a stream starts from
 * move (0, 0) and aim code 32768 (0 rad). Varints are little-endian base-128.
 */
import type { PlayerInput } from "./protocol.ts";
import { wrapAngle } from "./geometry.ts";

export const REPLAY_FORMAT = "arena-replay";
export const REPLAY_VERSION = 1;

/** The host-settable rules a replay was recorded under (the map is always the one map). */
export interface ReplayRules {
  tickHz: number;
  matchSeconds: number;
  scoreboardSeconds: number;
}

export interface ReplayPlayer {
  id: string;
  name: string;
}

export interface ReplayHeader {
  format: typeof REPLAY_FORMAT;
  version: typeof REPLAY_VERSION;
  /** The world's match seed. */
  seed: number;
  rules: ReplayRules;
  /** Every player, in the order they joined (all at tick 0). */
  players: ReplayPlayer[];
  ticks: number;
  /** `hashWorld` after the last tick. */
  finalHash: string;
  /** `hashWorld` after every `everyTicks` ticks (after tick `everyTicks`, `2 × everyTicks`, …), to locate a divergence. */
  checkpoints: { everyTicks: number; hashes: string[] };
}

export interface Replay {
  header: ReplayHeader;
  inputs: InputLog;
}

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

const FIRE = 1;
const PRESENT = 2; // in memory; on disk the bit means "absent"

/**
 * Every player's input for every tick, as quantised codes: tick-major typed
 * arrays that grow as ticks are added.
 */
export class InputLog {
  readonly playerCount: number;
  #ticks = 0;
  #moveX: Int8Array;
  #moveY: Int8Array;
  #aim: Uint16Array;
  #flags: Uint8Array;

  constructor(playerCount: number, capacityTicks = 1024) {
    this.playerCount = playerCount;
    const size = Math.max(1, playerCount * capacityTicks);
    this.#moveX = new Int8Array(size);
    this.#moveY = new Int8Array(size);
    this.#aim = new Uint16Array(size);
    this.#flags = new Uint8Array(size);
  }

  get ticks(): number {
    return this.#ticks;
  }

  /** Appends a tick in which no player has sent anything yet; returns its index. */
  addTick(): number {
    const needed = (this.#ticks + 1) * this.playerCount;
    if (needed > this.#flags.length) this.#grow(needed * 2);
    return this.#ticks++;
  }

  /** Records what player `player` (join index) sends on tick `tick`, quantised. */
  record(tick: number, player: number, input: PlayerInput): void {
    const at = this.#index(tick, player);
    this.#moveX[at] = moveCode(input.moveX);
    this.#moveY[at] = moveCode(input.moveY);
    this.#aim[at] = aimCode(input.aim);
    this.#flags[at] = PRESENT | (input.fire ? FIRE : 0);
  }

  /** Marks player `player` as having sent nothing on `tick` (the default for a new tick). */
  recordAbsent(tick: number, player: number): void {
    const at = this.#index(tick, player);
    this.#moveX[at] = 0;
    this.#moveY[at] = 0;
    this.#aim[at] = 0;
    this.#flags[at] = 0;
  }

  /** Fills `out` with the input player `player` sent on `tick`, as applied; false if it sent none. */
  read(tick: number, player: number, out: PlayerInput): boolean {
    const at = this.#index(tick, player);
    if (!(this.#flags[at] & PRESENT)) return false;
    out.moveX = moveOfCode(this.#moveX[at]);
    out.moveY = moveOfCode(this.#moveY[at]);
    out.aim = aimOfCode(this.#aim[at]);
    out.fire = (this.#flags[at] & FIRE) !== 0;
    return true;
  }

  /** The raw codes of one record, for encoding. */
  codes(tick: number, player: number): { moveX: number; moveY: number; aim: number; flags: number } {
    const at = this.#index(tick, player);
    return { moveX: this.#moveX[at], moveY: this.#moveY[at], aim: this.#aim[at], flags: this.#flags[at] };
  }

  #index(tick: number, player: number): number {
    if (!(tick >= 0 && tick < this.#ticks && player >= 0 && player < this.playerCount)) {
      throw new RangeError(`no input slot for player ${player} at tick ${tick}`);
    }
    return tick * this.playerCount + player;
  }

  #grow(size: number): void {
    const moveX = new Int8Array(size);
    const moveY = new Int8Array(size);
    const aim = new Uint16Array(size);
    const flags = new Uint8Array(size);
    moveX.set(this.#moveX);
    moveY.set(this.#moveY);
    aim.set(this.#aim);
    flags.set(this.#flags);
    this.#moveX = moveX;
    this.#moveY = moveY;
    this.#aim = aim;
    this.#flags = flags;
  }
}

const TAG_FIRE = 1;
const TAG_ABSENT = 2;
const TAG_MOVE = 4;
const TAG_AIM = 8;
const MAX_RUN = 15;
const START_AIM_CODE = AIM_STEPS / 2;

/** The replay as file bytes (see the file comment for the layout). */
export function encodeReplay(replay: Replay): Uint8Array {
  const { header, inputs } = replay;
  if (inputs.playerCount !== header.players.length) throw new Error("replay header and input log disagree on the player count");
  if (inputs.ticks !== header.ticks) throw new Error("replay header and input log disagree on the tick count");
  const out = new ByteWriter();
  out.ascii(asciiJson(header));
  out.byte(0x0a);
  for (let player = 0; player < inputs.playerCount; player++) encodeStream(inputs, player, out);
  return out.bytes();
}

function encodeStream(inputs: InputLog, player: number, out: ByteWriter): void {
  let moveX = 0;
  let moveY = 0;
  let aim = START_AIM_CODE;
  let tick = 0;
  while (tick < inputs.ticks) {
    const record = inputs.codes(tick, player);
    let tag = 0;
    const present = (record.flags & PRESENT) !== 0;
    if (!present) tag |= TAG_ABSENT;
    else {
      if (record.flags & FIRE) tag |= TAG_FIRE;
      if (record.moveX !== moveX || record.moveY !== moveY) tag |= TAG_MOVE;
      if (record.aim !== aim) tag |= TAG_AIM;
    }
    // Later ticks join the run while they repeat this record exactly.
    let run = 0;
    while (run < MAX_RUN && tick + run + 1 < inputs.ticks) {
      const next = inputs.codes(tick + run + 1, player);
      if (next.flags !== record.flags) break;
      if (present && (next.moveX !== record.moveX || next.moveY !== record.moveY || next.aim !== record.aim)) break;
      run++;
    }
    out.byte(tag | (run << 4));
    if (tag & TAG_MOVE) {
      out.byte(record.moveX & 0xff);
      out.byte(record.moveY & 0xff);
      moveX = record.moveX;
      moveY = record.moveY;
    }
    if (tag & TAG_AIM) {
      const change = ((record.aim - aim + AIM_STEPS * 1.5) % AIM_STEPS) - AIM_STEPS / 2; // −32768…32767
      out.varint(change >= 0 ? change * 2 : -change * 2 - 1);
      aim = record.aim;
    }
    tick += run + 1;
  }
}

/** `JSON.stringify` with everything outside printable ASCII \u-escaped, and −0 kept as −0 (JSON.parse reads "-0" back as −0). */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (Object.is(v, -0) ? NEGATIVE_ZERO : v))
    .replaceAll(`"${NEGATIVE_ZERO}"`, "-0")
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const NEGATIVE_ZERO = "\u0000-0";

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

/** Reads replay file bytes; throws a descriptive error on anything that is not a well-formed version 1 replay. */
export function decodeReplay(bytes: Uint8Array): Replay {
  const { header: parsed, bodyOffset } = readReplayHeaderLine(bytes);
  const header = parsed as ReplayHeader;
  checkHeader(header);
  const inputs = new InputLog(header.players.length, header.ticks);
  for (let tick = 0; tick < header.ticks; tick++) inputs.addTick();
  const reader = new ByteReader(bytes, bodyOffset);
  for (let player = 0; player < inputs.playerCount; player++) decodeStream(reader, inputs, player);
  if (!reader.done()) throw new Error(`replay has ${bytes.length - reader.offset} unexpected bytes after the inputs`);
  return { header, inputs };
}

function decodeStream(reader: ByteReader, inputs: InputLog, player: number): void {
  const input: PlayerInput = { moveX: 0, moveY: 0, aim: 0, fire: false };
  let moveX = 0;
  let moveY = 0;
  let aim = START_AIM_CODE;
  let tick = 0;
  while (tick < inputs.ticks) {
    const tag = reader.byte();
    if (tag & TAG_MOVE) {
      moveX = (reader.byte() << 24) >> 24;
      moveY = (reader.byte() << 24) >> 24;
    }
    if (tag & TAG_AIM) {
      const zigzag = reader.varint();
      const change = zigzag & 1 ? -(zigzag + 1) / 2 : zigzag / 2;
      aim = (aim + change + AIM_STEPS) % AIM_STEPS;
    }
    const run = tag >> 4;
    if (tick + run >= inputs.ticks) throw new Error(`replay input stream of player ${player} runs past the last tick`);
    input.moveX = moveOfCode(moveX);
    input.moveY = moveOfCode(moveY);
    input.aim = aimOfCode(aim);
    input.fire = (tag & TAG_FIRE) !== 0;
    for (let i = 0; i <= run; i++, tick++) {
      if (tag & TAG_ABSENT) inputs.recordAbsent(tick, player);
      else inputs.record(tick, player, input);
    }
  }
}

function checkHeader(header: ReplayHeader): void {
  if (header?.format !== REPLAY_FORMAT) throw new Error("not an Arena replay (wrong format name)");
  if (header.version !== REPLAY_VERSION) throw new Error(`replay version ${header.version} is not supported (only ${REPLAY_VERSION})`);
  const counts = [header.seed, header.ticks, header.rules?.tickHz, header.rules?.matchSeconds, header.rules?.scoreboardSeconds];
  if (!counts.every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0)) throw new Error("replay header has a bad seed, tick count or rules");
  if (!Array.isArray(header.players) || !header.players.every((p) => typeof p?.id === "string" && typeof p.name === "string")) {
    throw new Error("replay header has a bad player list");
  }
  if (!Array.isArray(header.checkpoints?.hashes)) throw new Error("replay header has no checkpoints");
}

/** An append-only byte buffer that doubles when full. */
export class ByteWriter {
  #buffer = new Uint8Array(4096);
  #length = 0;

  byte(value: number): void {
    if (this.#length === this.#buffer.length) {
      const grown = new Uint8Array(this.#buffer.length * 2);
      grown.set(this.#buffer);
      this.#buffer = grown;
    }
    this.#buffer[this.#length++] = value;
  }

  varint(value: number): void {
    while (value >= 0x80) {
      this.byte((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    this.byte(value);
  }

  /** A float64 (or float32 with `wide` false), little-endian. */
  float(value: number, wide: boolean): void {
    if (wide) FLOAT_VIEW.setFloat64(0, value, true);
    else FLOAT_VIEW.setFloat32(0, value, true);
    for (let i = 0; i < (wide ? 8 : 4); i++) this.byte(FLOAT_BYTES[i]);
  }

  /** ASCII text (anything else \u-escaped first by the caller). */
  ascii(text: string): void {
    for (let i = 0; i < text.length; i++) this.byte(text.charCodeAt(i));
  }

  bytes(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }
}

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
    throw new Error("replay has a malformed aim change");
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

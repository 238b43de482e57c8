/**
 * A replay tick's rewind answers (`replayFormat.ts`): the positions lag compensation
 * gave the step, x then y, in the order it asked.
 *
 * They were most of a server recording (version 2 wrote each as two float64s:
 * 3.5 MB of a 4.0 MB minute with 16 players). Two facts make them small:
 *   - the server snaps every answer to the position grid the state travels
 *     on (1/32 u), so two uint16 grid steps give it back to the bit;
 *   - the step asks for the same target at the same moment once per shot in
 *     flight, so most of a tick's answers repeat one given earlier in it
 *     (43,740 distinct among 220,350 over that minute).
 *
 * Version 3, after the count (varint pairs), each answer is a varint tag:
 *   0: a new answer on the grid, uint16 x steps, uint16 y steps;
 *   1: a new answer off the grid (or −0), float64 x, float64 y;
 *   2 + k: the same as the k-th new answer of this tick (from 0).
 * Version 2: float64 x, float64 y for each.
 */
import { fromSteps, POSITION_X, POSITION_Y, type Precision, toSteps } from "./precision.ts";
import type { ByteReader, ByteWriter } from "./replayCodec.ts";

const ON_GRID = 0;
const OFF_GRID = 1;
const REPEAT = 2;

/** The grid step of `value` when it lies exactly on the grid, else −1 (−0 and anything off it). */
function gridStep(precision: Precision, value: number): number {
  const steps = toSteps(precision, value);
  return Object.is(fromSteps(precision, steps), value) ? steps : -1;
}

/** Writes ticks' rewind answers; keeps the tick's new answers in a reused map, so a busy room allocates nothing per tick. */
export class RewindAnswerWriter {
  /** x steps × 65536 + y steps → which new answer of the tick it was. */
  readonly #given = new Map<number, number>();

  /** Writes the first `count` values of `values` (pairs) in the form of `version`. */
  write(out: ByteWriter, values: ArrayLike<number>, count: number, version: number): void {
    out.varint(count / 2);
    if (version === 2) {
      for (let i = 0; i < count; i++) out.float(values[i], true);
      return;
    }
    const given = this.#given;
    given.clear();
    let fresh = 0;
    for (let i = 0; i < count; i += 2) {
      const x = values[i];
      const y = values[i + 1];
      const sx = gridStep(POSITION_X, x);
      const sy = sx < 0 ? -1 : gridStep(POSITION_Y, y);
      if (sy < 0) {
        out.varint(OFF_GRID);
        out.float(x, true);
        out.float(y, true);
        fresh++;
        continue;
      }
      const key = sx * 65536 + sy;
      const earlier = given.get(key);
      if (earlier !== undefined) {
        out.varint(REPEAT + earlier);
        continue;
      }
      given.set(key, fresh++);
      out.varint(ON_GRID);
      out.uint16(sx);
      out.uint16(sy);
    }
  }
}

/** Reads one tick's rewind answers, written in the form of `version`, onto `into`; throws on a malformed one. */
export function readRewindAnswers(reader: ByteReader, version: number, tick: number, into: number[]): void {
  const count = reader.varint();
  if (version === 2) {
    for (let n = count * 2; n > 0; n--) into.push(reader.float(true));
    return;
  }
  const fresh: number[] = [];
  for (let n = 0; n < count; n++) {
    const tag = reader.varint();
    if (tag === ON_GRID) fresh.push(fromSteps(POSITION_X, reader.uint16()), fromSteps(POSITION_Y, reader.uint16()));
    else if (tag === OFF_GRID) fresh.push(reader.float(true), reader.float(true));
    else {
      const at = (tag - REPEAT) * 2;
      if (at >= fresh.length) throw new Error(`replay: rewind answer ${n} at tick ${tick} repeats one not given before it`);
      into.push(fresh[at], fresh[at + 1]);
      continue;
    }
    into.push(fresh[fresh.length - 2], fresh[fresh.length - 1]);
  }
}

/** Reading replay files (the format: `replayFormat.ts`). */
import { aimOfCode, ByteReader, moveOfCode, readReplayHeaderLine } from "./replayCodec.ts";
import {
  CHANGE_TYPES, INPUT_FLAGS, READABLE_REPLAY_VERSIONS, REPLAY_FORMAT,
  type AppliedInput, type Replay, type ReplayHeader, type ReplayTick,
} from "./replayFormat.ts";
import { readRewindAnswers } from "./replayRewinds.ts";
import type { PlayerState } from "./worldState.ts";

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
        const wide = (flags & INPUT_FLAGS.wide) !== 0;
        const fire = (flags & INPUT_FLAGS.fire) !== 0;
        const input = flags & INPUT_FLAGS.codes
          ? { moveX: moveOfCode(reader.int8()), moveY: moveOfCode(reader.int8()), aim: aimOfCode(reader.uint16()), fire }
          : { moveX: reader.float(wide), moveY: reader.float(wide), aim: reader.float(wide), fire };
        applied.push({ input, lagMs: flags & INPUT_FLAGS.lag ? reader.float(true) : 0 });
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

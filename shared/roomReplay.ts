/**
 * Room replays (version 2 of the replay file, see `replay.ts` for version 1):
 * one match as a server room played it, re-runnable headless to the state
 * hash the server had. A room differs from the simulation runner in what
 * comes from outside the rules, so that is what a room replay holds:
 *   - the world as it stood when recording began (a match start, when every
 *     player has just respawned), not only a seed;
 *   - who joined (with their state as seated), left, lost or regained their
 *     connection before each tick;
 *   - every input applied each tick, as applied: a person's as received
 *     (there may be several after a network stall, or none), a server bot's
 *     as its brain decided; a shot's lag-compensation delay;
 *   - the positions lag compensation read from the room's history (the
 *     rewind answers), in the order the step asked for them.
 *
 * File layout (version 2):
 *
 *     <header: one line of ASCII JSON, RoomReplayHeader> 0x0A <ticks>
 *
 * Each tick, in order; varints as in version 1, floats little-endian:
 *
 *     varint changes, each:  byte 0 join  + varint length + ASCII JSON { id, player }
 *                            byte 1 leave / 2 reconnected / 3 disconnected + varint roster index
 *     varint players with inputs, each: varint roster index, varint count, and per input
 *                            byte flags (1 fire, 2 float64 values, 4 lag follows),
 *                            moveX, moveY, aim (float32, or float64 with flag 2), lagMs (float64, flag 4)
 *     varint rewind answers, each: x, y (float64)
 *
 * The roster is the start's players in order, then each joining player in
 * the order they joined; an index never changes within a file.
 */
import { hashWorld } from "./hash.ts";
import { stepWorld } from "./world.ts";
import type { LagCompensation, PlayerState, ProjectileState, WorldEvent, WorldState } from "./worldState.ts";
import type { PlayerInput } from "./protocol.ts";
import {
  asciiJson, ByteReader, ByteWriter, readReplayHeaderLine, REPLAY_FORMAT, type ReplayRules,
} from "./replay.ts";
import { makeRules, type MatchRules } from "./rules.ts";

export const ROOM_REPLAY_VERSION = 2;


/** A whole world, as JSON: players and projectiles in the order the world iterates them. */
export interface WorldSnapshot {
  tick: number;
  seed: number;
  phase: WorldState["phase"];
  phaseEndTick: number;
  timeLeft: number;
  matchNumber: number;
  nextProjectileId: number;
  players: Array<[string, PlayerState]>;
  projectiles: Array<[string, ProjectileState]>;
}

export interface RoomReplayHeader {
  format: typeof REPLAY_FORMAT;
  version: typeof ROOM_REPLAY_VERSION;
  seed: number;
  rules: ReplayRules;
  roomId: string;
  matchNumber: number;
  /** False when the room closed before the match ended. */
  complete: boolean;
  start: WorldSnapshot;
  ticks: number;
  /** `hashWorld` of the room's state after the last tick, as the server computed it. */
  finalHash: string;
  checkpoints: { everyTicks: number; hashes: string[] };
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
export interface RoomTick {
  changes: RosterChange[];
  /** By player id, in the order the step applied them. */
  inputs: Map<string, AppliedInput[]>;
  /** Positions lag compensation answered, x then y, in the order they were asked for. */
  rewound: number[];
}

export interface RoomReplay {
  header: RoomReplayHeader;
  ticks: RoomTick[];
}

/** Copies a world into a snapshot. */
export function snapshotWorld(world: WorldState): WorldSnapshot {
  const players: WorldSnapshot["players"] = [];
  world.players.forEach((player, id) => players.push([id, recordPlayer(player)]));
  const projectiles: WorldSnapshot["projectiles"] = [];
  world.projectiles.forEach((shot, id) => projectiles.push([id, {
    x: shot.x, y: shot.y, vx: shot.vx, vy: shot.vy, owner: shot.owner, expireTick: shot.expireTick, lagMs: shot.lagMs,
  }]));
  return {
    tick: world.tick, seed: world.seed, phase: world.phase, phaseEndTick: world.phaseEndTick, timeLeft: world.timeLeft,
    matchNumber: world.matchNumber, nextProjectileId: world.nextProjectileId, players, projectiles,
  };
}

/** A player's fields, copied (a schema instance carries more than the world needs). */
export function recordPlayer(p: PlayerState): PlayerState {
  return {
    name: p.name, x: p.x, y: p.y, vx: p.vx, vy: p.vy, aim: p.aim, hp: p.hp, score: p.score, deaths: p.deaths,
    alive: p.alive, shielded: p.shielded, connected: p.connected, shieldUntilTick: p.shieldUntilTick,
    respawnTick: p.respawnTick, reloadTicks: p.reloadTicks, color: p.color, bot: p.bot,
  };
}

/** Appends ticks as they happen; `finish` gives the file bytes. */
export class RoomReplayWriter {
  readonly #body = new ByteWriter();
  readonly #roster = new Map<string, number>();
  #ticks = 0;

  constructor(start: WorldSnapshot) {
    for (const [id] of start.players) this.#roster.set(id, this.#roster.size);
  }

  get ticks(): number {
    return this.#ticks;
  }

  addTick(tick: RoomTick): void {
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
    for (const [id, applied] of tick.inputs) {
      out.varint(this.#indexOf(id));
      out.varint(applied.length);
      for (const { input, lagMs } of applied) {
        const wide = !(isFloat32(input.moveX) && isFloat32(input.moveY) && isFloat32(input.aim));
        const lag = input.fire && lagMs !== 0;
        out.byte((input.fire ? FIRE : 0) | (wide ? WIDE : 0) | (lag ? LAG : 0));
        out.float(input.moveX, wide);
        out.float(input.moveY, wide);
        out.float(input.aim, wide);
        if (lag) out.float(lagMs, true);
      }
    }
    out.varint(tick.rewound.length / 2);
    for (const value of tick.rewound) out.float(value, true);
    this.#ticks++;
  }

  finish(header: Omit<RoomReplayHeader, "format" | "version" | "ticks">): Uint8Array {
    const head = new ByteWriter();
    head.ascii(asciiJson({ format: REPLAY_FORMAT, version: ROOM_REPLAY_VERSION, ...header, ticks: this.#ticks }));
    head.byte(0x0a);
    const first = head.bytes();
    const body = this.#body.bytes();
    const file = new Uint8Array(first.length + body.length);
    file.set(first);
    file.set(body, first.length);
    return file;
  }

  #indexOf(id: string): number {
    const index = this.#roster.get(id);
    if (index === undefined) throw new Error(`room replay: player ${id} is not on the roster`);
    return index;
  }
}

const FIRE = 1;
const WIDE = 2;
const LAG = 4;
const CHANGE_CODES = { leave: 1, reconnected: 2, disconnected: 3 } as const;
const CHANGE_TYPES = [undefined, "leave", "reconnected", "disconnected"] as const;

const isFloat32 = (value: number) => Math.fround(value) === value;

/** Reads version 2 replay bytes; throws a descriptive error on anything malformed. */
export function decodeRoomReplay(bytes: Uint8Array): RoomReplay {
  const { header: parsed, bodyOffset } = readReplayHeaderLine(bytes);
  const header = parsed as RoomReplayHeader;
  if (header?.format !== REPLAY_FORMAT || header.version !== ROOM_REPLAY_VERSION) throw new Error("not a version 2 Arena replay");
  if (!header.start || !Array.isArray(header.start.players) || !(header.ticks >= 0)) throw new Error("room replay header has no start or tick count");
  const roster = header.start.players.map(([id]) => id);
  const reader = new ByteReader(bytes, bodyOffset);
  const ticks: RoomTick[] = [];
  for (let t = 0; t < header.ticks; t++) {
    const tick: RoomTick = { changes: [], inputs: new Map(), rewound: [] };
    for (let n = reader.varint(); n > 0; n--) {
      const code = reader.byte();
      if (code === 0) {
        const { id, player } = JSON.parse(reader.ascii(reader.varint())) as { id: string; player: PlayerState };
        roster.push(id);
        tick.changes.push({ type: "join", id, player });
      } else {
        const type = CHANGE_TYPES[code];
        if (!type) throw new Error(`room replay: unknown change ${code} at tick ${t}`);
        tick.changes.push({ type, id: rosterId(roster, reader.varint()) });
      }
    }
    for (let n = reader.varint(); n > 0; n--) {
      const id = rosterId(roster, reader.varint());
      const applied: AppliedInput[] = [];
      for (let count = reader.varint(); count > 0; count--) {
        const flags = reader.byte();
        const wide = (flags & WIDE) !== 0;
        const input = { moveX: reader.float(wide), moveY: reader.float(wide), aim: reader.float(wide), fire: (flags & FIRE) !== 0 };
        applied.push({ input, lagMs: flags & LAG ? reader.float(true) : 0 });
      }
      tick.inputs.set(id, applied);
    }
    for (let n = reader.varint() * 2; n > 0; n--) tick.rewound.push(reader.float(true));
    ticks.push(tick);
  }
  if (!reader.done()) throw new Error(`room replay has ${bytes.length - reader.offset} unexpected bytes after the last tick`);
  return { header, ticks };
}

function rosterId(roster: readonly string[], index: number): string {
  const id = roster[index];
  if (id === undefined) throw new Error(`room replay: no player ${index} on the roster`);
  return id;
}

/** A plain world as a snapshot describes it. */
export function worldFromSnapshot(snapshot: WorldSnapshot): WorldState {
  return {
    tick: snapshot.tick, seed: snapshot.seed, phase: snapshot.phase, phaseEndTick: snapshot.phaseEndTick,
    timeLeft: snapshot.timeLeft, matchNumber: snapshot.matchNumber, nextProjectileId: snapshot.nextProjectileId,
    players: new Map(snapshot.players.map(([id, player]) => [id, { ...player }])),
    projectiles: new Map(snapshot.projectiles.map(([id, shot]) => [id, { ...shot }])),
  };
}

/**
 * Steps a room replay one tick at a time through `stepWorld`, applying what
 * the room recorded: roster changes, inputs, and lag compensation's answers.
 */
export class RoomReplayRun {
  readonly world: WorldState;
  readonly rules: MatchRules;
  readonly #replay: RoomReplay;
  #next = 0;

  constructor(replay: RoomReplay) {
    this.#replay = replay;
    this.rules = makeRules(replay.header.rules);
    this.world = worldFromSnapshot(replay.header.start);
  }

  get ticksDone(): number {
    return this.#next;
  }

  get done(): boolean {
    return this.#next >= this.#replay.ticks.length;
  }

  /** Applies the next recorded tick; its events are appended to `events`. */
  step(events: WorldEvent[]): void {
    const tick = this.#replay.ticks[this.#next++];
    const { world } = this;
    for (const change of tick.changes) {
      if (change.type === "join") world.players.set(change.id, { ...change.player });
      else if (change.type === "leave") world.players.delete(change.id);
      else {
        const player = world.players.get(change.id);
        if (player) player.connected = change.type === "reconnected";
      }
    }
    const inputs = new Map<string, PlayerInput[]>();
    for (const [id, applied] of tick.inputs) inputs.set(id, applied.map((a) => a.input));
    let answer = 0;
    const lagCompensation: LagCompensation = {
      viewLagMs: (id, i) => tick.inputs.get(id)?.[i]?.lagMs ?? 0,
      positionAt: (_target, _lagMs, out) => {
        if (answer + 1 >= tick.rewound.length) throw new Error(`room replay diverged: tick ${world.tick} asks lag compensation more than the room did`);
        out.x = tick.rewound[answer++];
        out.y = tick.rewound[answer++];
        return out;
      },
    };
    stepWorld(world, inputs, this.rules, events, lagCompensation);
  }
}

/** Re-runs a room replay to its end and compares the state hashes with the recorded ones. */
export function replayRoom(replay: RoomReplay, afterStep?: (world: WorldState, events: readonly WorldEvent[]) => void) {
  const run = new RoomReplayRun(replay);
  const { everyTicks, hashes } = replay.header.checkpoints;
  const events: WorldEvent[] = [];
  let firstMismatchTick: number | undefined;
  while (!run.done) {
    events.length = 0;
    run.step(events);
    afterStep?.(run.world, events);
    const index = run.ticksDone / everyTicks - 1;
    if (firstMismatchTick === undefined && Number.isInteger(index) && hashes[index] !== undefined && hashes[index] !== hashWorld(run.world)) {
      firstMismatchTick = run.world.tick;
    }
  }
  const finalHash = hashWorld(run.world);
  return { ticks: run.ticksDone, finalHash, matches: finalHash === replay.header.finalHash, firstMismatchTick };
}

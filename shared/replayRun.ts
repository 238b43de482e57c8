/**
 * Re-running a recording (`replayFormat.ts`) through the shared `stepWorld`, tick
 * by tick, applying what the recorder took from outside the rules: roster
 * changes, inputs, and lag compensation's answers. The replay command checks
 * the state hashes with it; the browser's replay viewer draws its world.
 */
import { hashWorld } from "./hash.ts";
import type { PlayerInput } from "./protocol.ts";
import { decodeReplay } from "./replayDecoder.ts";
import { SCENARIO_ROOM_ID, SIMULATION_ROOM_ID, type Replay } from "./replayFormat.ts";
import { makeRules, type MatchRules } from "./rules.ts";
import { stepWorld } from "./world.ts";
import type { LagCompensation, WorldEvent, WorldState } from "./worldState.ts";
import type { WorldSnapshot } from "./worldSnapshot.ts";

/** A plain world as a snapshot describes it (a replay's start, or a room moved to another process). */
export function worldFromSnapshot(snapshot: WorldSnapshot): WorldState {
  return {
    tick: snapshot.tick, seed: snapshot.seed, phase: snapshot.phase, phaseEndTick: snapshot.phaseEndTick,
    timeLeft: snapshot.timeLeft, matchNumber: snapshot.matchNumber, nextProjectileId: snapshot.nextProjectileId,
    players: new Map(snapshot.players.map(([id, player]) => [id, { ...player }])),
    projectiles: new Map(snapshot.projectiles.map(([id, shot]) => [id, { ...shot }])),
  };
}

/**
 * Steps a recording one tick at a time through `stepWorld`, applying what
 * was recorded: roster changes, inputs, and lag compensation's answers.
 */
export class ReplayRun {
  readonly world: WorldState;
  readonly rules: MatchRules;
  readonly #replay: Replay;
  #next = 0;

  constructor(replay: Replay) {
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
      viewLagMs: (id, _input, i) => tick.inputs.get(id)?.[i]?.lagMs ?? 0,
      positionAt: (_targetId, _target, _lagMs, out) => {
        if (answer + 1 >= tick.rewound.length) throw new Error(`replay diverged: tick ${world.tick} asks lag compensation more than the room did`);
        out.x = tick.rewound[answer++];
        out.y = tick.rewound[answer++];
        return out;
      },
    };
    stepWorld(world, inputs, this.rules, events, lagCompensation);
  }
}

/** What re-running a recording gave. */
export interface ReplayOutcome {
  ticks: number;
  finalHash: string;
  /** True when the final hash equals the recorded one. */
  matches: boolean;
  /** The first checkpoint tick whose hash differs from the recording, if any. */
  firstMismatchTick?: number;
}

/** Re-runs a recording to its end and compares the state hashes with the recorded ones. */
export function rerunReplay(replay: Replay, afterStep?: (world: WorldState, events: readonly WorldEvent[]) => void): ReplayOutcome {
  const run = new ReplayRun(replay);
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

/** A recording opened for playback, stepped one tick at a time (the browser's replay viewer). */
export interface ReplayPlayback {
  /** The world after `ticksDone` ticks; players carry their palette `color`. */
  readonly world: WorldState;
  readonly tickHz: number;
  /** Ticks in the recording. */
  readonly ticks: number;
  readonly ticksDone: number;
  readonly done: boolean;
  /** One line on what was recorded, for a title. */
  readonly description: string;
  /** Applies the next tick; its events are appended to `events`. */
  step(events: WorldEvent[]): void;
}

/** Opens replay file bytes for playback; throws a descriptive error on anything malformed. */
export function openReplay(bytes: Uint8Array): ReplayPlayback {
  const replay = decodeReplay(bytes);
  const { header } = replay;
  const run = new ReplayRun(replay);
  return {
    world: run.world, tickHz: header.rules.tickHz, ticks: header.ticks, description: describeRecording(replay),
    get ticksDone() {
      return run.ticksDone;
    },
    get done() {
      return run.done;
    },
    step: (events) => run.step(events),
  };
}

/** What recorded a replay, in words: "room X, match 2" or "simulation, seed 42, 16 bots". */
export function describeRecording(replay: Replay): string {
  const { header } = replay;
  if (header.roomId === SIMULATION_ROOM_ID) return `simulation, seed ${header.seed}, ${header.start.players.length} bots`;
  if (header.roomId === SCENARIO_ROOM_ID) return `scenario, seed ${header.seed}`;
  return `room ${header.roomId}, match ${header.matchNumber}${header.complete ? "" : " (the room closed before its end)"}`;
}

/**
 * Playing a replay file back tick by tick, whichever kind it is: a headless
 * simulation's (version 1, `replay.ts`) or a server room's match (version 2,
 * `roomReplay.ts`). The browser's replay viewer steps one of these and draws
 * its world.
 */
import type { WorldEvent, WorldState } from "./worldState.ts";
import { decodeReplay, readReplayHeaderLine } from "./replay.ts";
import { decodeRoomReplay, ROOM_REPLAY_VERSION, RoomReplayRun } from "./roomReplay.ts";
import { SimulationReplayRun } from "./simulation.ts";

export interface ReplayPlayback {
  /** The world after `ticksDone` ticks; players carry a palette `color` when the recording has one. */
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

/** Opens replay file bytes of either version; throws a descriptive error on anything else. */
export function openReplay(bytes: Uint8Array): ReplayPlayback {
  const { header } = readReplayHeaderLine(bytes);
  if ((header as { version?: number }).version === ROOM_REPLAY_VERSION) {
    const replay = decodeRoomReplay(bytes);
    const { header: room } = replay;
    return playback(new RoomReplayRun(replay), room.rules.tickHz, room.ticks, `room ${room.roomId}, match ${room.matchNumber}`);
  }
  const replay = decodeReplay(bytes);
  const { header: sim } = replay;
  return playback(new SimulationReplayRun(replay), sim.rules.tickHz, sim.ticks, `simulation, seed ${sim.seed}, ${sim.players.length} bots`);
}

function playback(
  run: { world: WorldState; ticksDone: number; done: boolean; step(events: WorldEvent[]): void },
  tickHz: number, ticks: number, description: string,
): ReplayPlayback {
  return {
    world: run.world, tickHz, ticks, description,
    get ticksDone() {
      return run.ticksDone;
    },
    get done() {
      return run.done;
    },
    step: (events) => run.step(events),
  };
}

/**
 * What the processes say to each other over Redis pub/sub when a room moves
 * (server/migration/mover.ts): the request to take a room, and the answer.
 */
import type { RoomSnapshot } from "../rooms/roomMove.ts";

/** The channel on which process `processId` takes requests to take a room. */
export const requestChannel = (processId: string) => `arena:move:${processId}`;
/** The channel on which process `processId` hears the answers to its requests. */
export const answerChannel = (processId: string) => `arena:move-answer:${processId}`;

/** A request to take a room, from its old home. */
export interface MoveRequest {
  roomId: string;
  moveId: string;
  from: string;
  /** The room itself, carried in the request to spare the target a read (the copy in Redis is the same). */
  snapshot: RoomSnapshot;
}

/** A target's answer to a MoveRequest. */
export interface MoveAnswer {
  moveId: string;
  ok: boolean;
  error?: string;
  /** How long the target took from the request to its answer (ms), and in which steps. */
  restoreMs?: number;
  steps?: RestoreSteps;
}

/** The target's steps of a restore (ms): claiming the lease, creating the room, holding its seats, going live. */
export interface RestoreSteps {
  claimMs: number;
  createMs: number;
  holdMs: number;
  liveMs: number;
}

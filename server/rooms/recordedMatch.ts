/** What a match recorder hands out: a finished match, and a recording under way carried to a room's new home. */
import type { PlayerState } from "../../shared/worldState.ts";
import type { ReplayVersion } from "../../shared/replayFormat.ts";
import type { WorldSnapshot } from "../../shared/worldSnapshot.ts";
import type { CompressedReplay } from "../storage/matches.ts";

/**
 * A match being recorded, as JSON (the ticks so far in base64): carried when
 * the room moves to another process, which carries on the same recording.
 */
export interface SavedRecording {
  start: WorldSnapshot;
  startedAt: number;
  body: string;
  roster: Array<[string, number]>;
  ticks: number;
  /** The replay version `body` is written in; absent from a release that wrote only version 2. */
  version?: ReplayVersion;
  known: Array<[string, boolean]>;
  seated: Array<[string, { sinceTick: number; profileId: string | undefined }]>;
  checkpoints: string[];
  /** The world at each checkpoint; absent from a release that kept none. */
  snapshots?: WorldSnapshot[];
}

/** A finished match as the recorder saw it: who played, for whom, how long, and the recording. */
export interface RecordedMatch {
  roomId: string;
  seed: number;
  matchNumber: number;
  /** ms since the epoch. */
  startedAt: number;
  endedAt: number;
  /** Everyone seated at the end, in the world's order. */
  players: Array<{ player: PlayerState; profileId?: string; secondsPlayed: number }>;
  /** The replay file, compressed, unless the sink asked for results only (`sinkReplays: false`). */
  replay?: CompressedReplay;
}

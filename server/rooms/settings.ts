import type { GameMode, JoinOptions } from "../../shared/protocol.ts";
import type { ReplayRules } from "../../shared/replayFormat.ts";
import type { MatchRules } from "../../shared/rules.ts";
import type { ServerConfig } from "../config.ts";
import type { SecurityConfig } from "../securityConfig.ts";
import type { Log } from "../log.ts";
import type { DatagramService } from "../datagrams/service.ts";
import type { Moderation } from "../moderation/moderation.ts";
import type { RoomMetrics } from "../metrics.ts";
import type { RecordedMatch } from "./matchRecorder.ts";
import type { RoomSnapshot } from "./roomMove.ts";
import type { WireClasses } from "./stateMirror.ts";

/** A room as the process moving it sees it (server/migration/): `ArenaRoom.relocation`. */
export interface MovableRoom {
  readonly roomId: string;
  /** People connected to it now (players and spectators): what it weighs on the process it moves to. */
  readonly players: number;
  /** Stops the room at a tick boundary and packs it; then `leave` (it runs elsewhere) or `stay`. */
  pack(): Promise<RoomSnapshot>;
  /** Sends the clients on (4010); resolves with the inputs received since the room stopped, which no step applied. */
  leave(): Promise<number>;
  /** The move failed: the room plays on here and drains as before (grace, 4001). */
  stay(): void;
  /** On the new home, after creation: holds each moved seat for its own token. */
  holdSeats(): Promise<void>;
}

/** Rooms moving in and out of this process (server/migration/); absent without Redis. */
export interface RoomMoves {
  /** The snapshot of the room being restored here under `roomId`, if one is (asked once, in onCreate). */
  arriving(roomId: string): RoomSnapshot | undefined;
  /** A moved room's world was rebuilt; whether its state hash matched the one written. */
  arrived(hashMatches: boolean): void;
  /** A player of a moved room is back, `seconds` after the room stopped on its old home. */
  playerBack(seconds: number): void;
  /** On drain: starts moving `room` to another process and returns true, or false (no Redis, nowhere to go) to drain it here. */
  depart(room: MovableRoom): boolean;
}

/** What the host decides for every room; set by the server, never by a client. */
export interface ArenaSettings extends Pick<ServerConfig,
  "patchHz" | "maxPlayers" | "maxSpectators" | "minPlayers" | "chatBurst" | "reconnectSeconds" | "maxRewindMs" | "shutdownGraceSeconds"> {
  rules: MatchRules;
  log: Log;
  /** Where the room reports what happens in it (`server/metrics.ts`). */
  metrics: RoomMetrics;
  /** Fixes the match seed (tests, replays); random otherwise. */
  seed?: number;
  limits: RoomLimits;
  /**
   * Record every match: to a replay file in `dir` (REPLAY_DIR) and/or to the
   * player records through `sink`; `rules` go into the recording's header.
   */
  replay?: { dir?: string; rules: ReplayRules; sink?: (match: RecordedMatch) => void; sinkReplays?: boolean };
  /** Moving rooms to another process on drain, and restoring them here (with Redis). */
  moves?: RoomMoves;
  /** Each client's DataChannel for the unreliable frames (server/datagrams/); absent in rooms built without a server. */
  datagrams?: DatagramService;
  /** Bans, mutes, the word filter and reports (server/moderation/); absent in rooms built without a server. */
  moderation?: Moderation;
  /** The settings of a room whose world's seed is `seed`, where they depend on it (the large mode's map); these otherwise. */
  forSeed?: (seed: number) => ArenaSettings;
  /** The classes of the room's wire image (the large mode's); the arena's when absent. */
  wire?: WireClasses;
  /** The large mode: false sends every client everything (LARGE_INTEREST=off). */
  interest?: boolean;
  /** False: a kill is told by the kill message alone, without a chat line (the large mode: a dozen a second to a hundred clients). */
  killLines?: boolean;
  /** What the lobby lists the room as; `"arena"` when absent. */
  mode?: GameMode;
}

/** What one client may send (README, "Security"): the host's limits, as configured. */
export type RoomLimits = Pick<SecurityConfig, "maxMessagesPerSecond" | "maxInvalidMessages" | "inputBufferTicks">;

/** What onCreate receives: the host's settings, and the creating client's options. */
export type ArenaCreateOptions = JoinOptions & { settings: ArenaSettings };

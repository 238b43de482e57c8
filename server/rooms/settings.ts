import type { JoinOptions } from "../../shared/protocol.ts";
import type { ReplayRules } from "../../shared/replay.ts";
import type { MatchRules } from "../../shared/rules.ts";
import type { ServerConfig } from "../config.ts";
import type { SecurityConfig } from "../securityConfig.ts";
import type { Log } from "../log.ts";
import type { RoomMetrics } from "../metrics.ts";
import type { RecordedMatch } from "./matchRecorder.ts";

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
}

/** What one client may send (README, "Security"): the host's limits, as configured. */
export type RoomLimits = Pick<SecurityConfig, "maxMessagesPerSecond" | "maxInvalidMessages" | "inputBufferTicks">;

/** What onCreate receives: the host's settings, and the creating client's options. */
export type ArenaCreateOptions = JoinOptions & { settings: ArenaSettings };

/** Made-up finished matches for the player-records tests: what a room's recorder would hand over. */
import { deflateSync } from "node:zlib";
import { createLog } from "../../server/log.ts";
import type { RecordedMatch } from "../../server/rooms/matchRecorder.ts";
import type { CompressedReplay, MatchResult } from "../../server/storage/matches.ts";
import type { PlayerState } from "../../shared/worldState.ts";
import type { LogRecord } from "./server.ts";

/** One seated player at a match's end: `score` kills, `deaths` deaths. */
export interface Line {
  name: string;
  score: number;
  deaths?: number;
  bot?: boolean;
  profileId?: string;
  secondsPlayed?: number;
}

let nextMatch = 1;

/** A recording's bytes as the tests' matches carry them, uncompressed. */
export const SAMPLE_REPLAY = new TextEncoder().encode(`{"format":"arena-replay"}\n${"tick ".repeat(2000)}`);

/** `raw` as a recorder hands it over: compressed. */
export function compressedReplay(raw: Uint8Array): CompressedReplay {
  return { compressed: deflateSync(raw), rawBytes: raw.byteLength };
}

/** A recorder's report of a match in room `roomId` (each call a new match number unless given). */
export function recordedMatch(lines: Line[], options: { roomId?: string; matchNumber?: number; endedAt?: number; replay?: Uint8Array } = {}): RecordedMatch {
  const endedAt = options.endedAt ?? Date.now();
  return {
    roomId: options.roomId ?? "ROOMtest1", seed: 12345, matchNumber: options.matchNumber ?? nextMatch++,
    startedAt: endedAt - 60_000, endedAt,
    players: lines.map((line) => ({
      player: { name: line.name, score: line.score, deaths: line.deaths ?? 0, bot: line.bot ?? false } as PlayerState,
      profileId: line.profileId, secondsPlayed: line.secondsPlayed ?? 60,
    })),
    replay: compressedReplay(options.replay ?? SAMPLE_REPLAY),
  };
}

/** The same as a stored result, placements by score, for writing straight to a `MatchStore`. */
export function matchResult(id: string, endedAt: number, lines: Line[]): MatchResult {
  return {
    id, roomId: "ROOMtest1", matchNumber: 1, startedAt: endedAt - 60_000, endedAt,
    players: lines.map((line) => ({
      profileId: line.profileId, name: line.name, bot: line.bot ?? false, kills: line.score, deaths: line.deaths ?? 0, score: line.score,
      placement: 1 + lines.filter((other) => other.score > line.score).length, secondsPlayed: line.secondsPlayed ?? 60,
    })),
  };
}

/** A logger that keeps its lines (at `debug` and up) for the test to read. */
export function capturedLog(): { log: ReturnType<typeof createLog>; lines: LogRecord[] } {
  const lines: LogRecord[] = [];
  return { log: createLog("debug", (line) => lines.push(JSON.parse(line) as LogRecord)), lines };
}

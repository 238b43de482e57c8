import type { Rewind } from "@colyseus/core";
import { NO_LAG_COMPENSATION, type LagCompensation } from "../../shared/worldState.ts";
import type { PlayerState } from "../../shared/worldState.ts";
import type { Player } from "../schema/ArenaState.ts";

/** What lag compensation needs from the room. */
export interface LagSources {
  /** Colyseus' recorded history of the players' positions. */
  rewind: Rewind;
  /** Server time now, ms since the room started (the axis the history and the client stamps use). */
  now(): number;
  /** The render time stamped on a player's `inputIndex`-th input applied this tick (0 when unknown). */
  renderTimeOf(sessionId: string, inputIndex: number): number;
  /** The furthest back a shooter may reach, ms. */
  maxRewindMs: number;
  /** The schema instance whose history `rewind` recorded for a player. */
  recorded(player: PlayerState): Player | undefined;
}

/**
 * Lag compensation on Colyseus' pieces: the SDK stamps every input with the
 * server time its sender was rendering the others at (its interpolation delay
 * and half its round trip behind), and `allowRewindState` records where every
 * player was. A shot is judged against the targets as they stood at that
 * stamp, capped at `maxRewindMs` so a very laggy shooter cannot reach far into
 * the past. This adapter only translates between the two and `shared/`.
 */
export function rewindLagCompensation(sources: LagSources): LagCompensation {
  return {
    viewLagMs(shooterId, inputIndex) {
      const renderTime = sources.renderTimeOf(shooterId, inputIndex);
      if (!(renderTime > 0)) return 0;
      return Math.min(sources.maxRewindMs, Math.max(0, sources.now() - renderTime));
    },
    positionAt(target, lagMs, out) {
      const recorded = sources.recorded(target);
      if (!recorded) return NO_LAG_COMPENSATION.positionAt(target, lagMs, out);
      const view = sources.rewind.at(sources.now() - lagMs);
      out.x = view.value(recorded, "x");
      out.y = view.value(recorded, "y");
      return out;
    },
  };
}

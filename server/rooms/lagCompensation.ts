import type { Rewind } from "@colyseus/core";
import { NO_LAG_COMPENSATION, type LagCompensation } from "../../shared/worldState.ts";
import type { ArenaState } from "../schema/ArenaState.ts";

/**
 * Lag compensation on Colyseus' pieces, the whole of it: the SDK stamps every
 * input with the server time its sender was seeing (its interpolation delay
 * and half its round trip behind; the input pacer copies the stamp onto the
 * input as `viewMs`), and `allowRewindState` records where every player stood
 * on the wire. A shot is judged against the targets as they stood at its
 * stamp, capped at `maxRewindMs` so a very laggy shooter cannot reach far into
 * the past. The step keeps the lag on the projectile, so every tick of its
 * flight is judged at the same distance into the past.
 */
export function rewindLagCompensation(rewind: Rewind, state: ArenaState, now: () => number, maxRewindMs: number): LagCompensation {
  return {
    viewLagMs: (_shooterId, input) => (input.viewMs! > 0 ? Math.min(maxRewindMs, Math.max(0, now() - input.viewMs!)) : 0),
    positionAt(targetId, target, lagMs, out) {
      const onWire = state.players.get(targetId);
      if (!onWire) return NO_LAG_COMPENSATION.positionAt(targetId, target, lagMs, out);
      const seen = rewind.at(now() - lagMs);
      out.x = seen.value(onWire, "x");
      out.y = seen.value(onWire, "y");
      return out;
    },
  };
}

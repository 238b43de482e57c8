import type { Rewind, Room } from "@colyseus/core";
import { POSITION_X, snap, type Precision } from "../../shared/precision.ts";
import { NO_LAG_COMPENSATION, type LagCompensation } from "../../shared/worldState.ts";
import type { ArenaState } from "../schema/ArenaState.ts";

/** Records where `state`'s players stood (`allowRewindState`) in `room` and judges shots against that record. */
export function roomLagCompensation(room: Room, state: ArenaState, maxRewindMs: number, grid: Precision = POSITION_X): LagCompensation {
  const rewind = room.allowRewindState({ maxRewindMs }).attachAll(state.players, { fields: ["x", "y"] });
  return rewindLagCompensation(rewind, state, () => room.clock.elapsedTime, maxRewindMs, grid);
}

/**
 * Lag compensation on Colyseus' pieces, the whole of it: the SDK stamps every
 * input with the server time its sender was seeing (its interpolation delay
 * and half its round trip behind; the input pacer copies the stamp onto the
 * input as `viewMs`), and `allowRewindState` records where every player stood
 * on the wire. A shot is judged against the targets as they stood at its
 * stamp, capped at `maxRewindMs` so a very laggy shooter cannot reach far into
 * the past. The step keeps the lag on the projectile, so every tick of its
 * flight is judged at the same distance into the past.
 *
 * A rewound position is snapped to the grid the state travels on (`grid`: 1/32 u on the arena;
 * Rewind interpolates between the wire's values, so it falls off the grid
 * between them): a hit test moves by at most 1/64 u, and the match recording
 * keeps each answer in four bytes instead of sixteen (`shared/replayRewinds.ts`).
 */
export function rewindLagCompensation(rewind: Rewind, state: ArenaState, now: () => number, maxRewindMs: number, grid: Precision = POSITION_X): LagCompensation {
  const answered = new WeakMap<object, Answers>();
  return {
    viewLagMs: (_shooterId, input) => (input.viewMs! > 0 ? Math.min(maxRewindMs, Math.max(0, now() - input.viewMs!)) : 0),
    positionAt(targetId, target, lagMs, out) {
      const onWire = state.players.get(targetId);
      if (!onWire) return NO_LAG_COMPENSATION.positionAt(targetId, target, lagMs, out);
      const tickTime = now();
      const time = tickTime - lagMs;
      let answers = answered.get(onWire);
      if (!answers) answered.set(onWire, answers = { tickTime, count: 0, times: new Float64Array(ANSWERS_KEPT), xy: new Float64Array(ANSWERS_KEPT * 2) });
      if (answers.tickTime !== tickTime) {
        answers.tickTime = tickTime;
        answers.count = 0;
      }
      for (let i = 0; i < answers.count; i++) {
        if (answers.times[i] !== time) continue;
        out.x = answers.xy[i * 2];
        out.y = answers.xy[i * 2 + 1];
        return out;
      }
      const seen = rewind.at(time);
      out.x = snap(grid, seen.value(onWire, "x"));
      out.y = snap(grid, seen.value(onWire, "y"));
      if (answers.count < ANSWERS_KEPT) {
        answers.times[answers.count] = time;
        answers.xy[answers.count * 2] = out.x;
        answers.xy[answers.count * 2 + 1] = out.y;
        answers.count++;
      }
      return out;
    },
  };
}

/**
 * A target's answers this tick, by the moment asked for. The step asks for
 * every target once per shot in flight, at its shooter's lag: with 16 players
 * four in five questions repeat one asked earlier in the tick (the room's
 * clock stands still within a tick), and each Rewind lookup walks the
 * target's history. Kept on the target's wire object, so a player who leaves
 * takes theirs along.
 */
interface Answers {
  tickTime: number;
  count: number;
  times: Float64Array;
  xy: Float64Array;
}

/** Distinct moments a target is asked about in one tick that are kept (shooters with their own lag). */
const ANSWERS_KEPT = 16;

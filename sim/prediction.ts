/**
 * The client's prediction of its own player, checked against the server's
 * step: a client replays each input it sent through `stepPlayer` on a plain
 * copy of its player, and must land exactly where the world step puts it.
 */
import { stepPlayer } from "../shared/player.ts";
import type { PlayerInput } from "../shared/protocol.ts";
import type { MatchRules } from "../shared/rules.ts";
import type { WorldEvent, WorldState } from "../shared/worldState.ts";
import type { Violation } from "./invariants.ts";

/**
 * Before a step: predicts, for every person (`isPerson`) alive and sending
 * inputs, where that client will put its own player. The returned function,
 * called after the step with its events, compares the predictions with the
 * world: a player killed or respawned in the step is not compared (the
 * server moved it for reasons the client cannot foresee).
 */
export function ownPlayerPrediction(
  world: WorldState, inputs: ReadonlyMap<string, readonly PlayerInput[]>, rules: MatchRules, isPerson: (id: string) => boolean,
): (events: readonly WorldEvent[]) => Violation[] {
  const predicted = new Map<string, { x: number; y: number; vx: number; vy: number; alive: boolean }>();
  inputs.forEach((queue, id) => {
    const player = world.players.get(id);
    if (!player?.alive || !isPerson(id)) return;
    const copy = { x: player.x, y: player.y, vx: player.vx, vy: player.vy, alive: true };
    for (const input of queue) stepPlayer(copy, input, rules.dt, rules.map, rules);
    predicted.set(id, copy);
  });
  return (events) => {
    const moved = new Set<string>();
    for (const event of events) {
      if (event.type === "kill") moved.add(event.victim);
      else if (event.type === "respawn") moved.add(event.player);
      else if (event.type === "matchStart") return [];
    }
    const broken: Violation[] = [];
    predicted.forEach((copy, id) => {
      const player = world.players.get(id);
      if (!player || moved.has(id)) return;
      for (const field of ["x", "y", "vx", "vy"] as const) {
        if (!Object.is(copy[field], player[field])) {
          broken.push({ tick: world.tick, what: `${id}'s predicted ${field} ${copy[field]} differs from the server's ${player[field]}` });
          return;
        }
      }
    });
    return broken;
  };
}

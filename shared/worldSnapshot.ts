/** A whole world as plain JSON data, the start of every recording and the heart of a moving room. */
import type { PlayerState, ProjectileState, WorldState } from "./worldState.ts";

/** A whole world, as JSON: players and projectiles in the order the world iterates them. */
export interface WorldSnapshot {
  tick: number;
  seed: number;
  phase: WorldState["phase"];
  phaseEndTick: number;
  timeLeft: number;
  matchNumber: number;
  nextProjectileId: number;
  players: Array<[string, PlayerState]>;
  projectiles: Array<[string, ProjectileState]>;
}

/** Copies a world into a snapshot. */
export function snapshotWorld(world: WorldState): WorldSnapshot {
  const players: WorldSnapshot["players"] = [];
  world.players.forEach((player, id) => players.push([id, recordPlayer(player)]));
  const projectiles: WorldSnapshot["projectiles"] = [];
  world.projectiles.forEach((shot, id) => projectiles.push([id, {
    x: shot.x, y: shot.y, vx: shot.vx, vy: shot.vy, owner: shot.owner, expireTick: shot.expireTick, lagMs: shot.lagMs,
  }]));
  return {
    tick: world.tick, seed: world.seed, phase: world.phase, phaseEndTick: world.phaseEndTick, timeLeft: world.timeLeft,
    matchNumber: world.matchNumber, nextProjectileId: world.nextProjectileId, players, projectiles,
  };
}

/** A player's fields, copied, so the recording keeps what the player was, not what it becomes. */
export function recordPlayer(p: PlayerState): PlayerState {
  return {
    name: p.name, x: p.x, y: p.y, vx: p.vx, vy: p.vy, aim: p.aim, hp: p.hp, score: p.score, deaths: p.deaths,
    alive: p.alive, shielded: p.shielded, connected: p.connected, shieldUntilTick: p.shieldUntilTick,
    respawnTick: p.respawnTick, reloadTicks: p.reloadTicks, color: p.color, bot: p.bot,
  };
}

import { PLAYER_MAX_HP } from "../../shared/constants.ts";
import type { MatchRules } from "../../shared/rules.ts";
import { startMatch, type PlayerState, type ProjectileState, type WorldState } from "../../shared/world.ts";
import { Player, Projectile, type ArenaState } from "../schema/ArenaState.ts";

/** A player as the room steps it: the shared step's fields, and what only the wire and the lobby show. */
export interface RoomPlayer extends PlayerState {
  /** Index into the client's palette. */
  color: number;
  /** Played by the server's bot brain. */
  bot: boolean;
}

/** The room's game state: plain objects and `Map`s, stepped by the shared `stepWorld`. */
export type RoomWorld = WorldState<RoomPlayer, ProjectileState> & {
  players: Map<string, RoomPlayer>;
  projectiles: Map<string, ProjectileState>;
};

/**
 * The room's world and its image on the wire. The shared step runs on plain
 * objects (a third of the cost of running it on schema instances, whose every
 * write goes through a change-tracking setter), and `publish` writes the
 * result into the schema state once per tick; the setters record only what
 * changed. Projectiles are published when fired and when gone, never in
 * between: they fly straight, so clients know where they are (see `Projectile`).
 */
export class StateMirror {
  readonly world: RoomWorld;
  readonly state: ArenaState;
  private readonly wirePlayers = new Map<string, Player>();
  private readonly wireOfPlayer = new WeakMap<RoomPlayer, Player>();
  /** Ids of the projectiles in the schema state. */
  private readonly published = new Set<string>();

  constructor(state: ArenaState, seed: number, rules: MatchRules) {
    this.state = state;
    this.world = {
      tick: 0, seed: seed >>> 0, phase: "playing", phaseEndTick: 0, timeLeft: 0,
      matchNumber: 0, nextProjectileId: 1, players: new Map(), projectiles: new Map(),
    };
    startMatch(this.world, rules);
    this.publish(0);
  }

  /** A new player record, not yet spawned. */
  static newPlayer(name: string, color: number, bot = false): RoomPlayer {
    return {
      name, x: 0, y: 0, vx: 0, vy: 0, aim: 0, hp: PLAYER_MAX_HP, score: 0, deaths: 0, alive: false,
      shielded: false, connected: true, shieldUntilTick: 0, respawnTick: 0, reloadTicks: 0, color, bot,
    };
  }

  /** Puts `player` in the world and on the wire; returns its schema instance (for the player's StateView). */
  addPlayer(id: string, player: RoomPlayer): Player {
    const wire = new Player({ name: player.name, color: player.color, bot: player.bot });
    this.world.players.set(id, player);
    this.wirePlayers.set(id, wire);
    this.wireOfPlayer.set(player, wire);
    this.writePlayer(wire, player);
    this.state.players.set(id, wire);
    return wire;
  }

  removePlayer(id: string): RoomPlayer | undefined {
    const player = this.world.players.get(id);
    this.world.players.delete(id);
    this.wirePlayers.delete(id);
    this.state.players.delete(id);
    return player;
  }

  /** The schema instance that shows `player` (lag compensation reads its recorded history). */
  wireOf(player: RoomPlayer): Player | undefined {
    return this.wireOfPlayer.get(player);
  }

  /**
   * Writes the world into the schema state, after each step. `nowMs` (server
   * time, ms since the room started) stamps the projectiles fired this tick.
   */
  publish(nowMs: number): void {
    const { world, state } = this;
    state.phase = world.phase;
    state.timeLeft = world.timeLeft;
    state.matchNumber = world.matchNumber;
    for (const [id, player] of world.players) this.writePlayer(this.wirePlayers.get(id)!, player);
    for (const id of this.published) {
      if (world.projectiles.has(id)) continue;
      state.projectiles.delete(id);
      this.published.delete(id);
    }
    if (world.projectiles.size === this.published.size) return;
    const bornMs = Math.round(nowMs);
    for (const [id, shot] of world.projectiles) {
      if (this.published.has(id)) continue;
      state.projectiles.set(id, new Projectile({ x: shot.x, y: shot.y, vx: shot.vx, vy: shot.vy, owner: shot.owner, bornMs }));
      this.published.add(id);
    }
  }

  private writePlayer(wire: Player, player: RoomPlayer): void {
    wire.x = player.x;
    wire.y = player.y;
    wire.vx = player.vx;
    wire.vy = player.vy;
    wire.aim = player.aim;
    wire.hp = player.hp;
    wire.score = player.score;
    wire.deaths = player.deaths;
    wire.alive = player.alive;
    wire.shielded = player.shielded;
    wire.connected = player.connected;
    wire.reloadTicks = player.reloadTicks;
    wire.bot = player.bot;
  }
}

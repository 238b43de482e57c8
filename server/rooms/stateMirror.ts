import type { ProjectileView } from "../../shared/protocol.ts";
import type { MatchRules } from "../../shared/rules.ts";
import { createWorld } from "../../shared/world.ts";
import type { PlayerState, WorldState } from "../../shared/worldState.ts";
import { UNRELIABLE_PLAYER_FIELDS } from "../../shared/protocol.ts";
import { Player, Projectile, type ArenaState } from "../schema/ArenaState.ts";
import { nextRefIdOf, presetRefId, raiseNextRefId, refIdOf } from "../colyseusSeams.ts";
import { LastWriteRepeats, repeatTicksFor } from "./lastWriteRepeats.ts";

/** The classes a mirror makes its wire objects of: the arena's, or the large mode's (`wireSchemas`). */
export interface WireClasses {
  Player: typeof Player;
  Projectile: typeof Projectile;
}

/** A projectile as it went on the wire (where it was at `bornMs`), with its reference id. */
type WireProjectile = ProjectileView & { refId: number };

/**
 * The wire image's own data, which the world does not hold: each object's
 * reference id (a client's decoder knows its objects by them: a player's, then
 * its body's) and each projectile as it was published. Carried when a room
 * moves to another process.
 */
export interface SavedWire {
  nextRefId: number;
  players: Array<[string, number, number?]>;
  projectiles: Array<[string, WireProjectile]>;
}

/**
 * The room's world and its image on the wire. The shared step runs on plain
 * objects (a third of the cost of running it on schema instances, whose every
 * write goes through a change-tracking setter), and `publish` writes the
 * result into the schema state once per tick; the setters record only what
 * changed. Projectiles are published when fired and when gone, never in
 * between: they fly straight, so clients know where they are (see `Projectile`).
 * A player's position and aim ride the unreliable channel, and are repeated
 * for a few patches once they stop changing (see `LastWriteRepeats`).
 */
export class StateMirror {
  readonly world: WorldState;
  readonly state: ArenaState;
  private readonly wirePlayers = new Map<string, Player>();
  /** Ids of the projectiles in the schema state. */
  private readonly published = new Set<string>();
  private readonly repeats: LastWriteRepeats<Player>;
  private readonly classes: WireClasses;

  /**
   * A new world from `seed`, or (a room moved here) `moved.world` with its
   * wire image rebuilt under the reference ids it had (`moved.wire`).
   * At `patchHz` patches a second, a stopped player's last position and aim
   * are sent again in the patches of the next LAST_WRITE_REPEAT_MS (see
   * `LastWriteRepeats`); without it they are sent once. Wire objects are
   * made of `classes`.
   */
  constructor(state: ArenaState, seed: number, rules: MatchRules, moved?: { world: WorldState; wire: SavedWire }, patchHz?: number, classes: WireClasses = { Player, Projectile }) {
    this.state = state;
    this.classes = classes;
    this.repeats = new LastWriteRepeats<Player>(UNRELIABLE_PLAYER_FIELDS, patchHz ? repeatTicksFor(rules.tickHz, patchHz) : 0);
    this.world = moved?.world ?? createWorld(seed, rules);
    if (moved) this.rebuildWire(moved.wire);
    this.publish(0);
  }

  /** The reference ids and published projectiles, for a move (the new home passes them back to the constructor). */
  saveWire(): SavedWire {
    const players: SavedWire["players"] = [];
    this.state.players.forEach((wire, id) => players.push([id, refIdOf(wire)!, refIdOf(wire.body)]));
    const projectiles: SavedWire["projectiles"] = [];
    this.state.projectiles.forEach((shot, id) => projectiles.push([id, {
      refId: refIdOf(shot)!, x: shot.x, y: shot.y, vx: shot.vx, vy: shot.vy, owner: shot.owner, bornMs: shot.bornMs,
    }]));
    return { nextRefId: nextRefIdOf(this.state), players, projectiles };
  }

  private rebuildWire(saved: SavedWire): void {
    const refIds = new Map(saved.players.map(([id, ...ids]) => [id, ids]));
    for (const [id, player] of this.world.players) this.addPlayer(id, player, ...(refIds.get(id) ?? []));
    for (const [id, { refId, ...fields }] of saved.projectiles) {
      if (!this.world.projectiles.has(id)) continue;
      const shot = new this.classes.Projectile(fields);
      presetRefId(shot, refId);
      this.state.projectiles.set(id, shot);
      this.published.add(id);
    }
    raiseNextRefId(this.state, saved.nextRefId);
  }

  /**
   * Puts `player` in the world and on the wire; returns its schema instance
   * (for the player's StateView). A player moved here keeps its reference
   * ids, its own and its body's.
   */
  addPlayer(id: string, player: PlayerState, refId?: number, bodyRefId?: number): Player {
    const wire = new this.classes.Player({ name: player.name, color: player.color, bot: player.bot });
    if (refId !== undefined) presetRefId(wire, refId);
    if (bodyRefId !== undefined) presetRefId(wire.body, bodyRefId);
    this.world.players.set(id, player);
    this.wirePlayers.set(id, wire);
    this.writePlayer(wire, player);
    this.state.players.set(id, wire);
    return wire;
  }

  /** Gives player `id` a new name, in the world and on the wire (a moderator's rename). */
  rename(id: string, name: string): void {
    const player = this.world.players.get(id);
    const wire = this.wirePlayers.get(id);
    if (player) player.name = name;
    if (wire) wire.name = name;
  }

  removePlayer(id: string): PlayerState | undefined {
    const player = this.world.players.get(id);
    const wire = this.wirePlayers.get(id);
    if (wire) this.repeats.forget(wire);
    this.world.players.delete(id);
    this.wirePlayers.delete(id);
    this.state.players.delete(id);
    return player;
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
    world.players.forEach((player, id) => {
      const wire = this.wirePlayers.get(id)!;
      this.writePlayer(wire, player);
      this.repeats.written(wire);
    });
    for (const id of this.published) {
      if (world.projectiles.has(id)) continue;
      state.projectiles.delete(id);
      this.published.delete(id);
    }
    if (world.projectiles.size === this.published.size) return;
    const bornMs = Math.round(nowMs);
    for (const [id, shot] of world.projectiles) {
      if (this.published.has(id)) continue;
      state.projectiles.set(id, new this.classes.Projectile({ x: shot.x, y: shot.y, vx: shot.vx, vy: shot.vy, owner: shot.owner, bornMs }));
      this.published.add(id);
    }
  }

  private writePlayer(wire: Player, player: PlayerState): void {
    wire.x = player.x;
    wire.y = player.y;
    wire.aim = player.aim;
    const body = wire.body;
    body.x = player.x;
    body.y = player.y;
    body.vx = player.vx;
    body.vy = player.vy;
    body.alive = player.alive;
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

import type { Client } from "@colyseus/core";
import * as v from "valibot";
import { largeMap } from "../../shared/largeMap.ts";
import type { ArenaMap } from "../../shared/map.ts";
import { clampView, type ViewSize, HEAT_COLUMNS, HEAT_EVERY_SECONDS, HEAT_ROWS, HEAT_WINDOW_SECONDS, heatCell } from "../../shared/largeMode.ts";
import type { JoinOptions } from "../../shared/protocol.ts";
import type { ArenaState, Player } from "../schema/ArenaState.ts";
import { LargePlayer, LargeProjectile, LargeState, OWN_TAG, RosterEntry } from "../schema/LargeState.ts";
import type { ServerConfig } from "../config.ts";
import { InterestView, interestViews } from "../colyseusSeams.ts";
import { ArenaRoom } from "./ArenaRoom.ts";
import { RoomInterest } from "./interest.ts";
import type { ArenaCreateOptions, ArenaSettings } from "./settings.ts";

/**
 * The large mode's settings, from the arena's: its seats and bots
 * (`LARGE_MAX_PLAYERS`, `LARGE_MIN_PLAYERS`), its wire classes, and per room
 * the map of the room's seed, in its rules and in its recordings' header (a
 * replay rebuilds the map from it).
 */
export function largeRoomSettings(arena: ArenaSettings, config: Pick<ServerConfig, "largeMaxPlayers" | "largeMinPlayers" | "largeInterest">): ArenaSettings {
  const large: ArenaSettings = {
    ...arena, mode: "large", maxPlayers: config.largeMaxPlayers, minPlayers: config.largeMinPlayers, interest: config.largeInterest, killLines: false,
    wire: { Player: LargePlayer, Projectile: LargeProjectile },
    forSeed(seed) {
      const map = largeMap(seed);
      const replay = large.replay && { ...large.replay, rules: { ...large.replay.rules, map } };
      return { ...large, forSeed: undefined, rules: { ...large.rules, map }, replay };
    },
  };
  return large;
}

/** `follow`: `{ sessionId }`, a player of the room for a spectator to follow. */
const followMessage = v.strictObject({ sessionId: v.pipe(v.string(), v.maxLength(64)) });

/**
 * The large mode's room (docs/large-mode.md): the arena's room on a map
 * generated from the room's seed, for up to 100 players, each client sent
 * what lies within its view (`RoomInterest`), everyone the roster (for the
 * scoreboard and the kill feed) and the heat map (where shots flew). The
 * game, its seats, bots, chat, moderation, recordings and moves are the
 * arena room's own; the settings (`largeRoomSettings`) give the map, the
 * seats and the wire's classes.
 */
export class LargeRoom extends ArenaRoom {
  override state = new LargeState() as unknown as ArenaState;
  /** Made once the arena room's part of onCreate is done (a tick may run while that awaits). */
  private interest: RoomInterest | undefined;
  /** Shots fired in each heat cell, in the current bucket and the ones before it (one bucket per HEAT_EVERY_SECONDS). */
  private heatBuckets: number[][] = [];
  /** The id of the last shot the room has looked at, and the ids of those fired this tick (reused). */
  private lastShotId = 0;
  private readonly fired: string[] = [];
  private ticksToHeat = 0;

  private get large(): LargeState {
    return this.state as unknown as LargeState;
  }

  override async onCreate(options: ArenaCreateOptions) {
    await super.onCreate(options);
    interestViews(this);
    const state = this.large;
    state.mapSeed = this.world.seed;
    while (state.heat.length < HEAT_COLUMNS * HEAT_ROWS) state.heat.push(0);
    this.heatBuckets = Array.from({ length: Math.max(1, Math.round(HEAT_WINDOW_SECONDS / HEAT_EVERY_SECONDS)) }, () => new Array<number>(state.heat.length).fill(0));
    this.lastShotId = this.world.nextProjectileId - 1;
    const interest = new RoomInterest(state, this.world, this.settings.interest !== false);
    this.interest = interest;
    this.onMessage("follow", this.guard.validated("follow", followMessage, (client, { sessionId }) => {
      interest.follow(client.sessionId, sessionId);
    }));
    this.published();
  }

  /** Players see from their own player, spectators from the one they follow; each with the view it asked for when it joined. */
  protected override watch(client: Client, player: Player | undefined, options: JoinOptions | undefined): void {
    client.view ??= new InterestView();
    if (player) client.view.add(player, OWN_TAG);
    this.interest?.watch(client.sessionId, client.view, options ? clampView(options.view) : undefined, player !== undefined);
  }

  protected override unwatched(sessionId: string): void {
    this.interest?.forget(sessionId);
  }

  protected override viewSizeOf(sessionId: string): ViewSize | undefined {
    return this.interest?.sizeOf(sessionId);
  }

  /** After each tick's state is written: the views, the roster and (once a HEAT_EVERY_SECONDS) the heat map. */
  protected override published(): void {
    if (!this.interest) return;
    this.writeRoster();
    const fired = this.shotsFired();
    this.countShots(fired);
    this.interest.update(fired);
  }

  /** The ids of the shots the step fired since the last tick that are still flying (one that hit at once never showed). */
  private shotsFired(): readonly string[] {
    const { fired, world } = this;
    fired.length = 0;
    for (let id = this.lastShotId + 1; id < world.nextProjectileId; id++) {
      const key = String(id);
      if (world.projectiles.has(key)) fired.push(key);
    }
    this.lastShotId = world.nextProjectileId - 1;
    return fired;
  }

  /** The map this room plays on. */
  get map(): ArenaMap {
    return this.settings.rules.map;
  }

  /** The player a client's view is centred on, and the view's size (for tests and the moderator page). */
  viewOf(sessionId: string) {
    return { follow: this.interest?.followed(sessionId), size: this.interest?.sizeOf(sessionId) };
  }

  /** The players whose position and aim a client is sent every other patch: those in its view's margin (for tests). */
  halfRateOf(sessionId: string): string[] {
    return this.interest?.everyOtherPatch(sessionId) ?? [];
  }

  private writeRoster(): void {
    const roster = this.large.roster;
    this.world.players.forEach((player, id) => {
      let entry = roster.get(id);
      if (!entry) roster.set(id, entry = new RosterEntry());
      entry.name = player.name;
      entry.score = player.score;
      entry.deaths = player.deaths;
      entry.alive = player.alive;
      entry.connected = player.connected;
      entry.bot = player.bot;
      entry.color = player.color;
    });
    if (roster.size === this.world.players.size) return;
    for (const id of [...roster.keys()]) if (!this.world.players.has(id)) roster.delete(id);
  }

  /** Counts the shots fired this tick into the current bucket; every HEAT_EVERY_SECONDS writes the window's sums and starts a bucket. */
  private countShots(fired: readonly string[]): void {
    const current = this.heatBuckets[0];
    for (const id of fired) {
      const shot = this.world.projectiles.get(id)!;
      current[heatCell(shot.x, shot.y)]++;
    }
    if (--this.ticksToHeat > 0) return;
    this.ticksToHeat = Math.round(HEAT_EVERY_SECONDS * this.settings.rules.tickHz);
    const heat = this.large.heat;
    for (let cell = 0; cell < heat.length; cell++) {
      let sum = 0;
      for (const bucket of this.heatBuckets) sum += bucket[cell];
      const value = Math.min(255, sum);
      if (heat[cell] !== value) heat[cell] = value;
    }
    const oldest = this.heatBuckets.pop()!;
    oldest.fill(0);
    this.heatBuckets.unshift(oldest);
  }
}

import { cleanName, generatedName } from "../../shared/names.ts";
import { hashString } from "../../shared/rng.ts";
import type { MatchRules } from "../../shared/rules.ts";
import { spawnPlayer } from "../../shared/spawning.ts";
import { newPlayer, type PlayerState, type WorldState } from "../../shared/worldState.ts";
import type { Player } from "../schema/ArenaState.ts";
import { StateMirror } from "./stateMirror.ts";

/** Palette slots a room hands out, one per seated player. */
const COLOR_COUNT = 16;

/** How many seats a room has, and who hears about them. */
export interface SeatsOptions {
  maxPlayers: number;
  maxSpectators: number;
  /** Whether a requested name may be shown (the word filter); one that may not gets a generated name. Default: every name. */
  acceptable?: (name: string) => boolean;
  /** Told of every player whose seat is freed, person or bot (the match recorder keeps it until its next tick). */
  onFreed?: (sessionId: string, player: PlayerState) => void;
}

/**
 * Who sits where in one room: players (in the world, and so in the state) and
 * spectators (a count in the state, the set here). Spectators have seats of
 * their own, so a room full of players can still be watched.
 */
export class Seats {
  /** Spectators by session id, with the name they chat under. */
  readonly spectators = new Map<string, string>();
  private readonly mirror: StateMirror;
  private readonly world: WorldState;
  private readonly rules: MatchRules;
  readonly maxPlayers: number;
  readonly maxSpectators: number;
  private readonly acceptable: (name: string) => boolean;
  private readonly onFreed: (sessionId: string, player: PlayerState) => void;

  constructor(mirror: StateMirror, rules: MatchRules, options: SeatsOptions) {
    this.mirror = mirror;
    this.world = mirror.world;
    this.rules = rules;
    this.maxPlayers = options.maxPlayers;
    this.maxSpectators = options.maxSpectators;
    this.acceptable = options.acceptable ?? (() => true);
    this.onFreed = options.onFreed ?? (() => {});
  }

  get playerCount(): number {
    return this.world.players.size;
  }

  get playerSeatFree(): boolean {
    return this.playerCount < this.maxPlayers;
  }

  get spectatorSeatFree(): boolean {
    return this.spectators.size < this.maxSpectators;
  }

  /**
   * Seats a player named `requestedName` (cleaned, or generated from the id)
   * and spawns it. Returns its schema instance (for the player's StateView).
   */
  seatPlayer(sessionId: string, requestedName: unknown, bot = false): Player {
    const player = newPlayer(this.nameFor(sessionId, requestedName), this.freeColor(), bot);
    spawnPlayer(this.world, sessionId, player, this.rules);
    return this.mirror.addPlayer(sessionId, player);
  }

  seatSpectator(sessionId: string, requestedName: unknown): string {
    const name = this.nameFor(sessionId, requestedName);
    this.spectators.set(sessionId, name);
    this.mirror.state.spectators = this.spectators.size;
    return name;
  }

  /** The name `sessionId` goes by, player or spectator ("" if unknown). */
  nameOf(sessionId: string): string {
    return this.world.players.get(sessionId)?.name ?? this.spectators.get(sessionId) ?? "";
  }

  /** Frees whatever seat `sessionId` had; returns the player that left, if it was one. */
  free(sessionId: string): PlayerState | undefined {
    const player = this.mirror.removePlayer(sessionId);
    if (player) this.onFreed(sessionId, player);
    if (this.spectators.delete(sessionId)) this.mirror.state.spectators = this.spectators.size;
    return player;
  }

  /** Renames `sessionId` (player or spectator) to `name`. */
  rename(sessionId: string, name: string): void {
    if (this.spectators.has(sessionId)) this.spectators.set(sessionId, name);
    else this.mirror.rename(sessionId, name);
  }

  /** The requested name cleaned, if the filter passes it; otherwise one generated from the id. */
  private nameFor(sessionId: string, requested: unknown): string {
    const name = cleanName(requested);
    return name !== undefined && this.acceptable(name) ? name : generatedName(hashString(sessionId));
  }

  private freeColor(): number {
    const used = new Set<number>();
    for (const player of this.world.players.values()) used.add(player.color);
    for (let color = 0; color < COLOR_COUNT; color++) if (!used.has(color)) return color;
    return this.world.players.size % COLOR_COUNT;
  }
}

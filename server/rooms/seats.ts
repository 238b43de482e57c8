import { cleanName, generatedName } from "../../shared/names.ts";
import { hashString } from "../../shared/rng.ts";
import type { MatchRules } from "../../shared/rules.ts";
import { spawnPlayer } from "../../shared/world.ts";
import { Player, type ArenaState } from "../schema/ArenaState.ts";

/** Palette slots a room hands out, one per seated player. */
const COLOR_COUNT = 16;

/**
 * Who sits where in one room: players (in the state) and spectators (a count in
 * the state, the set here). Spectators have seats of their own, so a room full
 * of players can still be watched.
 */
export class Seats {
  /** Spectators by session id, with the name they chat under. */
  readonly spectators = new Map<string, string>();
  private readonly state: ArenaState;
  private readonly rules: MatchRules;
  readonly maxPlayers: number;
  readonly maxSpectators: number;

  constructor(state: ArenaState, rules: MatchRules, maxPlayers: number, maxSpectators: number) {
    this.state = state;
    this.rules = rules;
    this.maxPlayers = maxPlayers;
    this.maxSpectators = maxSpectators;
  }

  get playerCount(): number {
    return this.state.players.size;
  }

  get playerSeatFree(): boolean {
    return this.playerCount < this.maxPlayers;
  }

  get spectatorSeatFree(): boolean {
    return this.spectators.size < this.maxSpectators;
  }

  /** Seats a player named `requestedName` (cleaned, or generated from the id) and spawns it. */
  seatPlayer(sessionId: string, requestedName: unknown): Player {
    const player = new Player({
      name: nameFor(sessionId, requestedName),
      color: this.freeColor(),
    });
    spawnPlayer(this.state, sessionId, player, this.rules);
    this.state.players.set(sessionId, player);
    return player;
  }

  seatSpectator(sessionId: string, requestedName: unknown): string {
    const name = nameFor(sessionId, requestedName);
    this.spectators.set(sessionId, name);
    this.state.spectators = this.spectators.size;
    return name;
  }

  /** The name `sessionId` goes by, player or spectator ("" if unknown). */
  nameOf(sessionId: string): string {
    return this.state.players.get(sessionId)?.name ?? this.spectators.get(sessionId) ?? "";
  }

  /** Frees whatever seat `sessionId` had; returns the player that left, if it was one. */
  free(sessionId: string): Player | undefined {
    const player = this.state.players.get(sessionId);
    if (player) this.state.players.delete(sessionId);
    if (this.spectators.delete(sessionId)) this.state.spectators = this.spectators.size;
    return player;
  }

  private freeColor(): number {
    const used = new Set<number>();
    this.state.players.forEach((player) => used.add(player.color));
    for (let color = 0; color < COLOR_COUNT; color++) if (!used.has(color)) return color;
    return this.state.players.size % COLOR_COUNT;
  }
}

function nameFor(sessionId: string, requested: unknown): string {
  return cleanName(requested) ?? generatedName(hashString(sessionId));
}

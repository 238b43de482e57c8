/**
 * What tells the two room types apart on the client, read from the decoded
 * state (the client bundles no server schema): the large mode's state has a
 * `mapSeed`, a `roster` of everyone and a `heat` map besides the arena's
 * fields (docs/contract.md, "Room large"). Pure: no DOM, no Phaser.
 */
import { largeMap } from "../../shared/largeMap.ts";
import { ARENA_MAP, type ArenaMap } from "../../shared/map.ts";
import type { ArenaView, GameMode, PlayerView, ViewMap } from "../../shared/protocol.ts";

/** One player of a large room as its roster lists it: everyone, in view or not. */
export type RosterEntry = Pick<PlayerView, "name" | "score" | "deaths" | "alive" | "connected" | "bot" | "color">;

/** A list of numbers as the decoder exposes an array of the state. */
export interface ViewArray {
  readonly length: number;
  forEach(callback: (value: number, index: number) => void): void;
}

/** The state of either room type: the large mode's fields are absent from the arena's. */
export interface RoomView extends ArenaView {
  /** The large map's seed: the map is `largeMap(mapSeed)`. */
  mapSeed?: number;
  /** Every player of a large room by session id (`players` holds only those in view). */
  roster?: ViewMap<RosterEntry>;
  /** Shots fired per 500 u cell over the last seconds, row by row (`shared/largeMode.ts`). */
  heat?: ViewArray;
}

/** The room type `state` belongs to ("arena" until a large room's seed has arrived). */
export function roomMode(state: RoomView): GameMode {
  return typeof state.mapSeed === "number" ? "large" : "arena";
}

/** The map the room's game is played on: generated from the seed in the large mode, the arena's otherwise. */
export function roomMap(state: RoomView): ArenaMap {
  return typeof state.mapSeed === "number" ? largeMap(state.mapSeed) : ARENA_MAP;
}

/**
 * Everyone in the room for the scoreboard and the kill feed: the large mode's
 * roster (players out of view included), the arena's players otherwise.
 */
export function everyone(state: RoomView): ViewMap<RosterEntry> | undefined {
  return state.roster ?? state.players;
}

import { schema, t, type SchemaType } from "@colyseus/schema";
import { LARGE_POSITION } from "../../shared/precision.ts";
import type { MatchPhase } from "../../shared/protocol.ts";
import { wireSchemas } from "./ArenaState.ts";

/**
 * The view tag of what a player alone receives in the large mode (its reload
 * and body): its own view holds its player with this tag, every other view
 * holds it with the default tag, which does not show these fields.
 */
export const OWN_TAG = 1;

const largeWire = wireSchemas(LARGE_POSITION, "Large", OWN_TAG);
export const LargePlayer = largeWire.Player;
export type LargePlayer = SchemaType<typeof LargePlayer>;
export const LargeProjectile = largeWire.Projectile;
export type LargeProjectile = SchemaType<typeof LargeProjectile>;

/** A player as the scoreboard and the kill feed need it, sent to everyone wherever the player is. */
export const RosterEntry = schema({
  name: t.string().default(""),
  score: t.uint16().default(0),
  deaths: t.uint16().default(0),
  alive: t.boolean().default(false),
  connected: t.boolean().default(true),
  bot: t.boolean().default(false),
  color: t.uint8().default(0),
}, "RosterEntry");
export type RosterEntry = SchemaType<typeof RosterEntry>;

/**
 * The large mode's state (docs/contract.md, "Room large"): the arena's, with
 * `players` and `projectiles` filtered by each client's view (each client's
 * `StateView` holds what lies within it, see `server/rooms/interest.ts`), the
 * whole room's `roster`, the map's seed, and the heat map of where shots flew.
 */
export const LargeState = schema({
  players: t.map(LargePlayer).view(),
  projectiles: t.map(LargeProjectile).view(),
  phase: t.string<MatchPhase>().default("playing"),
  timeLeft: t.uint16().default(0),
  matchNumber: t.uint16().default(0),
  spectators: t.uint16().default(0),
  mapSeed: t.uint32().default(0),
  roster: t.map(RosterEntry),
  /** Shots fired over the last HEAT_WINDOW_SECONDS in each cell of the heat map (`shared/largeMode.ts`), row by row, at most 255. */
  heat: t.array("uint8"),
}, "LargeState");
export type LargeState = SchemaType<typeof LargeState>;

import { schema, t, type SchemaType } from "@colyseus/schema";
import type { MatchPhase } from "../../shared/protocol.ts";

/**
 * The input frame of the public contract (see `shared/protocol.ts`), sent once
 * per fixed tick with `room.input()`. Flat primitives only.
 */
export const ArenaInput = schema({
  moveX: t.float32().default(0),
  moveY: t.float32().default(0),
  aim: t.float32().default(0),
  fire: t.boolean().default(false),
}, "ArenaInput");
export type ArenaInput = SchemaType<typeof ArenaInput>;

/**
 * A player. Positions, velocities and aim are float32 because the shared step
 * rounds them to float32 (see `stepPlayer`): the wire then carries them exactly.
 * Bookkeeping the clients never need is `noSync` and never leaves the server;
 * `view` fields go only to the clients whose StateView holds the player.
 */
export const Player = schema({
  name: t.string().default(""),
  x: t.float32().default(0),
  y: t.float32().default(0),
  vx: t.float32().default(0),
  vy: t.float32().default(0),
  aim: t.float32().default(0),
  hp: t.uint8().default(100),
  score: t.uint16().default(0),
  deaths: t.uint16().default(0),
  alive: t.boolean().default(false),
  shielded: t.boolean().default(false),
  connected: t.boolean().default(true),
  /** Played by the server's bot brain. */
  bot: t.boolean().default(false),
  /** Index into the client's palette. */
  color: t.uint8().default(0),
  shieldUntilTick: t.number().noSync().default(0),
  respawnTick: t.number().noSync().default(0),
  /** The weapon's reload, in inputs: private, sent only to the player itself (through its StateView). */
  reloadTicks: t.uint8().view().default(0),
}, "Player");
export type Player = SchemaType<typeof Player>;

export const Projectile = schema({
  x: t.float32().default(0),
  y: t.float32().default(0),
  vx: t.float32().default(0),
  vy: t.float32().default(0),
  owner: t.string().default(""),
  /** Server time (ms since the room started) of the tick that fired it: clients hand their predicted shot over to it seamlessly. */
  bornMs: t.uint32().default(0),
  expireTick: t.number().noSync().default(0),
  lagMs: t.number().noSync().default(0),
}, "Projectile");
export type Projectile = SchemaType<typeof Projectile>;

export const ArenaState = schema({
  players: t.map(Player),
  projectiles: t.map(Projectile),
  phase: t.string<MatchPhase>().default("playing"),
  timeLeft: t.uint16().default(0),
  matchNumber: t.uint16().default(0),
  spectators: t.uint16().default(0),
  tick: t.number().noSync().default(0),
  seed: t.number().noSync().default(0),
  phaseEndTick: t.number().noSync().default(0),
  nextProjectileId: t.number().noSync().default(1),
}, "ArenaState");
export type ArenaState = SchemaType<typeof ArenaState>;

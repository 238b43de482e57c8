import { schema, t, type SchemaType } from "@colyseus/schema";
import { FACING, PLAYER_VELOCITY, POSITION_X, PROJECTILE_VELOCITY, type Precision } from "../../shared/precision.ts";
import { UNRELIABLE_PLAYER_FIELDS, type MatchPhase, type PlayerInput } from "../../shared/protocol.ts";
import { unreliableQuantized } from "../colyseusSeams.ts";

/** A field carried at `precision` (see `shared/precision.ts`, whose `snap` the shared step applies). */
export const at = (precision: Precision) =>
  t.quantized({ min: precision.min, max: precision.max, bits: precision.bits, mode: precision.wrap ? "wrap" : "clamp" }).default(0);

const ArenaInputFields = schema({
  moveX: t.float32().default(0),
  moveY: t.float32().default(0),
  aim: t.float32().default(0),
  fire: t.boolean().default(false),
}, "ArenaInput");

/**
 * The input frame of the public contract (see `shared/protocol.ts`), sent once
 * per fixed tick with `room.input()`. Flat primitives only.
 *
 * Colyseus' input buffer stores a `clone()` of every input it decodes, and
 * the room only reads the four fields of what it takes out. A schema clone
 * sets up change tracking that an input never uses, at several microseconds
 * each (a full room receives 480 inputs a second), so the frame clones into a
 * plain object with the same fields instead.
 */
export class ArenaInput extends ArenaInputFields {
  /** Stamped on the plain copy by the room's input pacer: see `TickInput` (never on the wire). */
  declare viewMs?: number;

  override clone(): this {
    return { moveX: this.moveX, moveY: this.moveY, aim: this.aim, fire: this.fire } as PlayerInput as this;
  }
}

/**
 * The classes of a room's wire image, for the grid its positions travel on
 * (`grid`: the arena's 1/32 u, the large map's 1/16 u), under type names
 * starting with `prefix`. The fields a player alone receives (its reload and
 * body) carry view tag `ownTag`: the arena's rooms send every player to every
 * client and these fields to the player's own view only (the default tag, `ownTag` absent);
 * the large mode's send each client the players in its view, so these carry
 * a tag of their own that only the player's own view is given.
 */
export function wireSchemas(grid: Precision, prefix: string, ownTag?: number) {
  /**
   * The own player's body as its prediction needs it: where it is, how fast it
   * moves, whether it lives. Sent to the player itself only (through its
   * StateView), on the reliable channel: each patch's input acknowledgement
   * travels with it, so the SDK's reconciler compares its prediction with the
   * body those very inputs made (`client/net/prediction.ts`).
   */
  const PlayerBody = schema({
    x: at(grid),
    y: at(grid),
    vx: at(PLAYER_VELOCITY),
    vy: at(PLAYER_VELOCITY),
    alive: t.boolean().default(false),
  }, `${prefix}PlayerBody`);

  /**
   * A player. Positions, velocities and aim travel as 16- and 8-bit integers
   * over their ranges, and the shared step snaps them to that grid (see
   * `shared/precision.ts`): the wire carries them exactly.
   *
   * What changes every tick, where a player stands and faces, rides Colyseus'
   * unreliable channel (datagrams when the client has them, see
   * `server/colyseusSeams/unreliable.ts`): a lost update is a gap the next one
   * fills, never a stall. A stopped player's last position is repeated for a
   * few patches (`LastWriteRepeats`), so its loss does not leave it stale.
   * Everything else is reliable. The own player's prediction needs its body
   * with the acknowledgement of the inputs that made it, hence `body`, a
   * reliable copy sent to the player itself only, like its reload. The room
   * steps plain players (`server/rooms/stateMirror.ts`) and writes them here
   * once a tick; bookkeeping the clients never need stays there.
   */
  const Player = schema({
    name: t.string().default(""),
    x: at(grid),
    y: at(grid),
    aim: at(FACING),
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
    /** The weapon's reload, in inputs: private, sent only to the player itself (through its StateView). */
    reloadTicks: t.uint8().view(ownTag).default(0),
    /** The own player's body, for its prediction: sent to the player itself only. */
    body: t.ref(PlayerBody).view(ownTag),
  }, `${prefix}Player`);
  unreliableQuantized(Player, UNRELIABLE_PLAYER_FIELDS);

  /**
   * A projectile, written once when it is fired and never updated: it flies
   * straight, so clients work out where it is from where it was at `bornMs` and
   * its velocity (`shared/weapon.ts` `flyProjectile`, which also stops it at
   * walls); the server removes it when it hits or expires.
   */
  const Projectile = schema({
    /** Where it was at `bornMs`, after its first step. */
    x: at(grid),
    y: at(grid),
    vx: at(PROJECTILE_VELOCITY),
    vy: at(PROJECTILE_VELOCITY),
    owner: t.string().default(""),
    /** Server time (ms since the room started) of the tick that fired it: clients hand their predicted shot over to it seamlessly. */
    bornMs: t.uint32().default(0),
  }, `${prefix}Projectile`);
  return { PlayerBody, Player, Projectile };
}

const arenaWire = wireSchemas(POSITION_X, "");
export const PlayerBody = arenaWire.PlayerBody;
export type PlayerBody = SchemaType<typeof PlayerBody>;
export const Player = arenaWire.Player;
export type Player = SchemaType<typeof Player>;
export const Projectile = arenaWire.Projectile;
export type Projectile = SchemaType<typeof Projectile>;

export const ArenaState = schema({
  players: t.map(Player),
  projectiles: t.map(Projectile),
  phase: t.string<MatchPhase>().default("playing"),
  timeLeft: t.uint16().default(0),
  matchNumber: t.uint16().default(0),
  spectators: t.uint16().default(0),
}, "ArenaState");
export type ArenaState = SchemaType<typeof ArenaState>;

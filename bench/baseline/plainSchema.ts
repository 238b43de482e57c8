/**
 * The state of the plain-schema baseline: the same fields Arena synchronises
 * (the public contract), declared the way a typical Colyseus game declares
 * them, with one number type for every number. Server-side bookkeeping stays
 * off the wire, as in Arena, so the comparison is about field types only.
 * A benchmark fixture, not product code.
 *
 * Two variants:
 * - `number` (`PLAIN_NUMBER`, the default and what the benchmark's server
 *   runs): `t.number()`, what a typical Colyseus game writes. Note that
 *   @colyseus/schema encodes it msgpack-style: small integers in 1–3 bytes,
 *   and a fraction as a 5-byte float32 whenever that loses less than 1e-4,
 *   else as a 9-byte float64. At this world's scale (|x| < 2048) nearly every
 *   value fits float32 that way, so `number` is not float64 on the wire here.
 * - `float64` (`PLAIN_FLOAT64`): `t.float64()`, 8 bytes per number whatever its
 *   value: the "everything is a double" upper bound.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import type { MatchPhase } from "../../shared/protocol.ts";
import type { WorldState } from "../../shared/worldState.ts";

export type PlainNumberType = "number" | "float64";

function definePlainSchema(num: typeof t.number, suffix: string) {
  const Player = schema({
    name: t.string().default(""),
    x: num().default(0),
    y: num().default(0),
    vx: num().default(0),
    vy: num().default(0),
    aim: num().default(0),
    hp: num().default(100),
    score: num().default(0),
    deaths: num().default(0),
    alive: t.boolean().default(false),
    shielded: t.boolean().default(false),
    connected: t.boolean().default(true),
    bot: t.boolean().default(false),
    color: num().default(0),
    shieldUntilTick: t.number().noSync().default(0),
    respawnTick: t.number().noSync().default(0),
    reloadTicks: t.number().noSync().default(0),
  }, `PlainPlayer${suffix}`);
  const Projectile = schema({
    x: num().default(0),
    y: num().default(0),
    vx: num().default(0),
    vy: num().default(0),
    owner: t.string().default(""),
    bornMs: num().default(0),
    expireTick: t.number().noSync().default(0),
    lagMs: t.number().noSync().default(0),
  }, `PlainProjectile${suffix}`);
  const State = schema({
    players: t.map(Player),
    projectiles: t.map(Projectile),
    phase: t.string<MatchPhase>().default("playing"),
    timeLeft: num().default(0),
    matchNumber: num().default(0),
    spectators: num().default(0),
    tick: t.number().noSync().default(0),
    seed: t.number().noSync().default(0),
    phaseEndTick: t.number().noSync().default(0),
    nextProjectileId: t.number().noSync().default(1),
  }, `PlainState${suffix}`);
  return { Player, Projectile, State };
}

export const PLAIN_NUMBER = definePlainSchema(t.number, "");
export const PLAIN_FLOAT64 = definePlainSchema(t.float64, "64");

/** The classes of one variant. */
export const plainSchemaOf = (type: PlainNumberType) => (type === "float64" ? PLAIN_FLOAT64 : PLAIN_NUMBER);

export type PlainPlayer = SchemaType<typeof PLAIN_NUMBER.Player>;
export type PlainProjectile = SchemaType<typeof PLAIN_NUMBER.Projectile>;
export type PlainState = SchemaType<typeof PLAIN_NUMBER.State>;

/** The Player, Projectile and State classes of one variant. */
export type PlainClasses = typeof PLAIN_NUMBER;

/**
 * Writes every synchronised field of `world` into `state`, as a typical
 * Colyseus game does after its step: players appear and go with the world's,
 * projectiles are created when new (born at `nowMs`), moved every tick and
 * removed when gone. The setters record only what changed.
 */
export function copyWorldToSchema(world: WorldState, state: PlainState, classes: PlainClasses, nowMs: number): void {
  state.phase = world.phase;
  state.timeLeft = world.timeLeft;
  state.matchNumber = world.matchNumber;
  world.players.forEach((p, id) => {
    let wire = state.players.get(id);
    if (!wire) state.players.set(id, (wire = new classes.Player({ name: p.name, color: p.color, bot: p.bot })));
    wire.x = p.x; wire.y = p.y; wire.vx = p.vx; wire.vy = p.vy; wire.aim = p.aim; wire.hp = p.hp;
    wire.score = p.score; wire.deaths = p.deaths; wire.alive = p.alive; wire.shielded = p.shielded; wire.connected = p.connected;
  });
  state.players.forEach((_player, id) => { if (!world.players.has(id)) state.players.delete(id); });
  world.projectiles.forEach((shot, id) => {
    const wire = state.projectiles.get(id);
    if (wire) {
      wire.x = shot.x;
      wire.y = shot.y;
    } else {
      state.projectiles.set(id, new classes.Projectile({ x: shot.x, y: shot.y, vx: shot.vx, vy: shot.vy, owner: shot.owner, bornMs: nowMs }));
    }
  });
  state.projectiles.forEach((_shot, id) => { if (!world.projectiles.has(id)) state.projectiles.delete(id); });
}

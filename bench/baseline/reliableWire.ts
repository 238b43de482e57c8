/**
 * Arena's wire image as it stood before positions rode the unreliable
 * channel (up to commit e29da70): every field reliable, in the patches of the
 * WebSocket, the own player's velocity and reload as `view` fields, and no
 * separate body. Only the player differs from today's image: projectiles are
 * Arena's own `Projectile`, written once as they always were. The benchmark encodes the same recorded game through it and
 * through Arena's, so the bytes a client receives before and after datagrams
 * compare in one run, tick for tick (bench/lib/lastWrite.ts).
 */
import { Encoder, schema, StateView, t, type SchemaType } from "@colyseus/schema";
import { FACING, PLAYER_VELOCITY, POSITION_X, POSITION_Y } from "../../shared/precision.ts";
import { at, Projectile, type ArenaState, type Player } from "../../server/schema/ArenaState.ts";

const ReliablePlayer = schema({
  name: t.string().default(""),
  x: at(POSITION_X),
  y: at(POSITION_Y),
  vx: at(PLAYER_VELOCITY).view(),
  vy: at(PLAYER_VELOCITY).view(),
  aim: at(FACING),
  hp: t.uint8().default(100),
  score: t.uint16().default(0),
  deaths: t.uint16().default(0),
  alive: t.boolean().default(false),
  shielded: t.boolean().default(false),
  connected: t.boolean().default(true),
  bot: t.boolean().default(false),
  color: t.uint8().default(0),
  reloadTicks: t.uint8().view().default(0),
}, "ReliablePlayer");
type ReliablePlayer = SchemaType<typeof ReliablePlayer>;

export const ReliableState = schema({
  players: t.map(ReliablePlayer),
  projectiles: t.map(Projectile),
  phase: t.string().default("playing"),
  timeLeft: t.uint16().default(0),
  matchNumber: t.uint16().default(0),
  spectators: t.uint16().default(0),
}, "ReliableState");

/** A frame's bytes besides its body: the protocol byte and the 8-byte timing prefix, as Arena's reliable patches have. */
const PATCH_HEAD = 1 + 8;

/**
 * Follows an Arena state tick by tick (`follow`) in the reliable-only wire
 * image, each client with its own player in its view, and counts the bytes of
 * each client's patch (`patchBytes`).
 */
export class ReliableWire {
  private readonly state = new ReliableState();
  private readonly encoder = new Encoder(this.state);
  private readonly views = new Map<string, StateView>();

  /** Copies `arena` in: players and their fields, projectiles added and removed. */
  follow(arena: ArenaState): void {
    const { players, projectiles } = this.state;
    arena.players.forEach((from, id) => {
      let to = players.get(id);
      if (!to) {
        to = new ReliablePlayer({ name: from.name, bot: from.bot, color: from.color });
        players.set(id, to);
        const view = new StateView();
        view.add(to);
        this.views.set(id, view);
      }
      copyPlayer(from, to);
    });
    arena.projectiles.forEach((from, id) => {
      if (!projectiles.has(id)) {
        projectiles.set(id, new Projectile({ x: from.x, y: from.y, vx: from.vx, vy: from.vy, owner: from.owner, bornMs: from.bornMs }));
      }
    });
    projectiles.forEach((_shot, id) => { if (!arena.projectiles.has(id)) projectiles.delete(id); });
    this.state.phase = arena.phase;
    this.state.timeLeft = arena.timeLeft;
  }

  /**
   * Encodes this tick's changes; returns the bytes of each client's patch, on average over the
   * clients. `patches`, when given, receives each client's patch (its body from byte 1 on).
   */
  patchBytes(patches?: (id: string, patch: Uint8Array) => void): number {
    const it = { offset: 1 };
    this.encoder.encode(it);
    const shared = it.offset;
    let bytes = 0;
    for (const [id, view] of this.views) {
      const patch = this.encoder.encodeView(view, shared, it);
      patches?.(id, patch.slice());
      bytes += PATCH_HEAD - 1 + patch.byteLength;
    }
    this.encoder.discardChanges();
    return bytes / Math.max(1, this.views.size);
  }
}

function copyPlayer(from: Player, to: ReliablePlayer): void {
  to.x = from.x;
  to.y = from.y;
  to.aim = from.aim;
  to.vx = from.body.vx;
  to.vy = from.body.vy;
  to.hp = from.hp;
  to.score = from.score;
  to.deaths = from.deaths;
  to.alive = from.alive;
  to.shielded = from.shielded;
  to.connected = from.connected;
  to.reloadTicks = from.reloadTicks;
}

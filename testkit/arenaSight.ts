import type { SeenCollection, SeenPlayer, SeenProjectile } from "../shared/bot.ts";
import type { ArenaView } from "../shared/protocol.ts";

/** A jump farther than this between two snapshots is a respawn, not movement. */
const TELEPORT_DISTANCE = 150; // u

interface Track {
  x: number;
  y: number;
  /** Server time of the snapshot the position came from, ms. */
  at: number;
  vx: number;
  vy: number;
}

/**
 * What the bot brain reads, worked out from what an Arena client receives:
 * other players come without velocities (only the own player's prediction
 * needs one: its body has it), so theirs are estimated from their last two snapshots; a
 * projectile comes once, where it was at `bornMs`, so it is flown to the
 * present along its velocity. (A browser client does the same for drawing:
 * client/net/interpolation.ts and client/net/projectiles.ts.)
 */
export class ArenaSight {
  private readonly tracks = new Map<string, Track>();
  private readonly players = new Map<string, SeenPlayer>();
  private readonly projectiles = new Map<string, SeenProjectile>();

  /** `snapshotAt`: server time of the newest state received; `now`: the server's present as the client estimates it (both ms). */
  see(state: ArenaView, snapshotAt: number, now: number): { players: SeenCollection<SeenPlayer>; projectiles: SeenCollection<SeenProjectile> } {
    this.players.clear();
    state.players.forEach((player, id) => {
      const track = this.track(id, player.x, player.y, snapshotAt);
      this.players.set(id, {
        x: player.x, y: player.y, alive: player.alive, connected: player.connected, shielded: player.shielded,
        vx: player.body?.vx ?? track.vx, vy: player.body?.vy ?? track.vy,
      });
    });
    for (const id of this.tracks.keys()) if (!this.players.has(id)) this.tracks.delete(id);
    this.projectiles.clear();
    state.projectiles.forEach((shot, id) => {
      const flown = Math.max(0, now - shot.bornMs) / 1000;
      this.projectiles.set(id, { x: shot.x + shot.vx * flown, y: shot.y + shot.vy * flown, vx: shot.vx, vy: shot.vy, owner: shot.owner });
    });
    return { players: this.players, projectiles: this.projectiles };
  }

  private track(id: string, x: number, y: number, at: number): Track {
    const track = this.tracks.get(id);
    if (!track) {
      const fresh = { x, y, at, vx: 0, vy: 0 };
      this.tracks.set(id, fresh);
      return fresh;
    }
    if (at > track.at) {
      const seconds = (at - track.at) / 1000;
      const jumped = Math.hypot(x - track.x, y - track.y) > TELEPORT_DISTANCE;
      track.vx = jumped ? 0 : (x - track.x) / seconds;
      track.vy = jumped ? 0 : (y - track.y) / seconds;
      Object.assign(track, { x, y, at });
    }
    return track;
  }
}

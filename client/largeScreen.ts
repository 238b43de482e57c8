import Phaser from "phaser";
import type { ArenaPainter, DrawnPlayer, DrawnPose, FadingPlayer, PlayerFades } from "./arenaPainter.ts";
import type { PlayerView, ViewMap } from "../shared/protocol.ts";
import type { ArenaSession } from "./net/session.ts";
import { SpectatorFollow } from "./net/spectatorFollow.ts";
import { FadeBook, type FadeChanges } from "./view/fades.ts";

/** How long a player takes to fade in or out as it enters or leaves what the server sends. */
export const PLAYER_FADE_MS = 300; // ms
/** The same for projectiles (a shot crosses 30 u meanwhile). */
export const PROJECTILE_FADE_MS = 120; // ms

interface PlayerLook {
  player: DrawnPlayer;
  pose: DrawnPose;
}

/**
 * What the game scene does differently in the large mode, where the state
 * holds only what lies near the view: players and projectiles fade in as
 * they enter it and out as they leave it, with Phaser tweens, never popping,
 * and a departed one is dropped once faded (no ghost stays); a spectator
 * follows the player it chose, and says so to the server.
 */
export class LargeScreen implements PlayerFades {
  readonly follow: SpectatorFollow;
  private readonly scene: Phaser.Scene;
  private readonly players = new FadeBook<PlayerLook>();
  private readonly shots = new FadeBook<{ x: number; y: number }>();
  /** This frame's players and projectiles, reused frame to frame. */
  private readonly presentPlayers = new Map<string, PlayerLook>();
  private readonly presentShots = new Map<string, { x: number; y: number }>();
  private readonly ownShots = new Set<string>();
  /** Players that started fading in and out so far (for the probe). */
  readonly playerFades = { in: 0, out: 0 };

  constructor(scene: Phaser.Scene, session: ArenaSession) {
    this.scene = scene;
    this.follow = new SpectatorFollow(session);
  }

  /** Takes this frame's players from the state, before drawing: new ones start fading in, missing ones out. */
  syncPlayers(players: ViewMap<PlayerView>): void {
    const present = this.presentPlayers;
    present.clear();
    players.forEach((player, id) => {
      // A copy: the state's object of a player that leaves is gone with it.
      const look = this.players.get(id)?.last ?? { player: { ...BLANK }, pose: { x: player.x, y: player.y, aim: player.aim } };
      copyLook(look.player, player);
      present.set(id, look);
    });
    const changes = this.players.sync(present);
    this.playerFades.in += changes.entered.length;
    this.playerFades.out += changes.left.length;
    this.start(this.players, changes, PLAYER_FADE_MS);
  }

  /** Where player `id` is drawn this frame (called while drawing): what it fades out from if it leaves. */
  placed(id: string, pose: DrawnPose): void {
    const look = this.presentPlayers.get(id);
    if (!look) return;
    look.pose.x = pose.x;
    look.pose.y = pose.y;
    look.pose.aim = pose.aim;
  }

  alpha(id: string): number {
    return this.players.alpha(id);
  }

  leaving(): Iterable<FadingPlayer> {
    return this.players.leaving();
  }

  /** Collects a projectile of this frame (see `drawShots`); the own ones show at once, as the trigger is pulled. */
  shot(x: number, y: number, id: number, own: boolean): void {
    const key = String(id);
    this.presentShots.set(key, { x, y });
    if (own) this.ownShots.add(key);
  }

  /** Draws this frame's projectiles and the ones fading out where they were last. */
  drawShots(painter: ArenaPainter): void {
    const changes = this.shots.sync(this.presentShots);
    for (const entry of changes.entered) if (this.ownShots.has(entry.id)) entry.alpha = 1;
    this.start(this.shots, changes, PROJECTILE_FADE_MS);
    for (const [id, at] of this.presentShots) painter.projectile(at.x, at.y, this.shots.alpha(id));
    for (const gone of this.shots.leaving()) painter.projectile(gone.last.x, gone.last.y, gone.alpha);
    this.presentShots.clear();
    this.ownShots.clear();
  }

  /** Players and projectiles fading out now. */
  get fadingOut(): number {
    return count(this.players.leaving()) + count(this.shots.leaving());
  }

  destroy(): void {
    for (const book of [this.players, this.shots] as FadeBook<unknown>[]) {
      for (const entry of book.all()) this.scene.tweens.killTweensOf(entry);
      book.clear();
    }
  }

  /** Starts the fades `changes` asks for in `book`: in from the opacity a thing has, out to 0 and then forgotten. */
  private start<T>(book: FadeBook<T>, changes: FadeChanges<T>, durationMs: number): void {
    for (const entry of changes.entered) {
      this.scene.tweens.killTweensOf(entry);
      if (entry.alpha < 1) this.scene.tweens.add({ targets: entry, alpha: 1, duration: durationMs * (1 - entry.alpha) });
    }
    for (const entry of changes.left) {
      this.scene.tweens.killTweensOf(entry);
      this.scene.tweens.add({ targets: entry, alpha: 0, duration: durationMs * entry.alpha, onComplete: () => { book.forget(entry); } });
    }
  }
}

const BLANK: DrawnPlayer = { name: "", hp: 0, alive: false, shielded: false, connected: true, color: 0 };

/** Copies what the picture needs of `player` (no allocation: this runs for every player every frame). */
function copyLook(look: DrawnPlayer, player: PlayerView): void {
  look.name = player.name;
  look.hp = player.hp;
  look.alive = player.alive;
  look.shielded = player.shielded;
  look.connected = player.connected;
  look.color = player.color;
}

function count(items: Iterable<unknown>): number {
  let n = 0;
  for (const _ of items) n++;
  return n;
}

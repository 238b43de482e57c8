import Phaser from "phaser";
import { PLAYER_RADIUS } from "../../shared/constants.ts";
import type { ArenaSession } from "../net/session.ts";
import { placeSound, type Placement } from "../sound/spatial.ts";
import type { FeelProbe } from "../probe.ts";
import { SoundBoard } from "../sound/soundBoard.ts";
import { ArenaEffects } from "./arenaEffects.ts";
import { GameEventDetector, type GameEvent } from "./events.ts";
import { LOW_HP_OVERLAY_KEY, LowHpOverlay } from "./lowHpOverlay.ts";

/** Where a muzzle flash sits: the tip of the barrel the painter draws. */
const BARREL_LENGTH = PLAYER_RADIUS + 10; // u
/** Shots are many: quieter than the rare sounds, so a fire fight does not drown a kill. */
const OWN_SHOT_VOLUME = 0.55;
const OTHER_SHOT_VOLUME = 0.5;
/** Successive shots are detuned by a few cents in turn, so a stream of them does not sound machine-made. */
const SHOT_DETUNES = [0, -40, 25, -15, 45, -30] as const; // cents

/**
 * Sound and game feel for one match on screen: finds the game events (see
 * `GameEventDetector`) from the session's state, hits, kills and shots, and
 * answers each with a sound and an effect. Created by the game scene, fed once
 * per frame, destroyed with it.
 */
export class GameFeel {
  private readonly scene: Phaser.Scene;
  private readonly session: ArenaSession;
  private readonly detector: GameEventDetector;
  private readonly sound: SoundBoard;
  private readonly effects: ArenaEffects;
  private readonly overlay: LowHpOverlay;
  private readonly unsubscribe: Array<() => void>;
  private readonly placement: Placement = { pan: 0, volume: 1 };
  private shotCount = 0;
  /** The game feel's numbers, for `window.arenaProbe.feel`; one live object, updated in place. */
  readonly probe: FeelProbe;

  constructor(scene: Phaser.Scene, session: ArenaSession) {
    this.scene = scene;
    this.session = session;
    this.sound = new SoundBoard(scene.sound);
    this.effects = new ArenaEffects(scene);
    this.overlay = launchOverlay(scene);
    this.detector = new GameEventDetector((event) => this.react(event));
    this.probe = { sound: this.sound.stats, effects: this.effects.counts, events: {}, lowHpWarning: false };
    this.unsubscribe = [
      session.onHit((hit) => this.detector.hitConfirmed(hit.victim)),
      session.onKill((kill) => this.detector.killed(kill.killer, kill.victim)),
      session.prediction.projectiles.onShot((owner, x, y, angle) => this.detector.shot(owner, x, y, angle)),
    ];
  }

  /** Once per frame, after the session's update: compares the state with the last frame's. */
  update(): void {
    const state = this.session.state;
    if (!state.players) return;
    this.detector.observe(state, this.session.sessionId);
    const warning = this.detector.ownLowHp;
    this.overlay.setWarning(warning);
    this.probe.lowHpWarning = warning;
    this.sound.refresh();
  }

  destroy(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.sound.destroy();
    this.scene.scene.stop(LOW_HP_OVERLAY_KEY);
  }

  private react(event: GameEvent): void {
    this.probe.events[event.kind] = (this.probe.events[event.kind] ?? 0) + 1;
    switch (event.kind) {
      case "shot": return this.shot(event.owner, event.own, event.x, event.y, event.angle);
      case "hurt": {
        const at = this.locate(event.id);
        if (at) this.effects.hitFlash(at.x, at.y);
        if (event.own) {
          this.sound.play("hurt");
          this.effects.shake();
        }
        return;
      }
      case "hitDealt": {
        const at = this.locate(event.victim);
        if (at) this.effects.hitMarker(at.x, at.y);
        return this.sound.play("hitDealt", 0.8);
      }
      case "kill": return this.sound.play("kill");
      case "death": {
        const at = this.locate(event.id);
        if (at) this.effects.deathBurst(at.x, at.y, this.session.state.players.get(event.id)?.color ?? 0);
        if (event.own) this.sound.play("death");
        return;
      }
      case "respawn": {
        const at = this.locate(event.id);
        if (at) this.effects.respawn(at.x, at.y);
        if (event.own) this.sound.play("respawn", 0.7);
        return;
      }
      case "countdown": return this.sound.play("countdown", 0.7);
      case "matchStart": return this.sound.play("go", 0.8);
      case "matchEnd": return this.sound.play("matchEnd", 0.8);
    }
  }

  /** A muzzle flash at the shooter's barrel as drawn (or where the shot started), and its sound, placed. */
  private shot(owner: string, own: boolean, x: number, y: number, angle: number): void {
    const shooter = this.locate(owner);
    const fromX = shooter ? shooter.x + Math.cos(angle) * BARREL_LENGTH : x;
    const fromY = shooter ? shooter.y + Math.sin(angle) * BARREL_LENGTH : y;
    this.effects.muzzleFlash(fromX, fromY, angle);
    const detune = SHOT_DETUNES[this.shotCount++ % SHOT_DETUNES.length];
    if (own) return this.sound.play("shotOwn", OWN_SHOT_VOLUME, 0, detune);
    const listener = this.listener();
    const placed = placeSound(fromX, fromY, listener.x, listener.y, this.placement);
    this.sound.play("shot", OTHER_SHOT_VOLUME * placed.volume, placed.pan, detune);
  }

  /** Where a player is drawn now (world units), if it is in the room. */
  private locate(id: string): { x: number; y: number } | undefined {
    const player = this.session.state.players?.get(id);
    return player ? this.session.playerPosition(id, player) : undefined;
  }

  /** The ears: the own player while it lives, else the centre of the view. */
  private listener(): { x: number; y: number } {
    const me = this.session.me;
    if (me?.alive) return this.locate(this.session.sessionId) ?? this.scene.cameras.main.midPoint;
    return this.scene.cameras.main.midPoint;
  }
}

/** Starts the low-hp overlay just above `scene` (added to the game on first use). */
function launchOverlay(scene: Phaser.Scene): LowHpOverlay {
  const plugin = scene.scene;
  const overlay = (plugin.get(LOW_HP_OVERLAY_KEY) as LowHpOverlay | null) ?? (plugin.add(LOW_HP_OVERLAY_KEY, LowHpOverlay) as LowHpOverlay);
  plugin.launch(LOW_HP_OVERLAY_KEY);
  plugin.moveAbove(scene.scene.key, LOW_HP_OVERLAY_KEY);
  return overlay;
}

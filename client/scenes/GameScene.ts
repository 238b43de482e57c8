import Phaser from "phaser";
import { ARENA_MAP } from "../../shared/map.ts";
import { IDLE_INPUT, type PlayerInput } from "../../shared/protocol.ts";
import { ArenaPainter } from "../arenaPainter.ts";
import { TYPING_KEY } from "../chatBox.ts";
import { Controls } from "../input/controls.ts";
import { GameFeel } from "../effects/feel.ts";
import type { ArenaSession } from "../net/session.ts";
import "../probe.ts";
import { HUD_BAND, TOUCH_HUD_BAND, computeView, type ArenaOnScreen } from "../view/camera.ts";
import { isTouchDevice } from "../view/device.ts";

/**
 * The match itself: samples the controls, lets the session send and predict,
 * then draws the arena, the players and the projectiles where the session says.
 * The HUD runs beside it as its own scene.
 */
export class GameScene extends Phaser.Scene {
  private session!: ArenaSession;
  private controls!: Controls;
  private painter!: ArenaPainter;
  private feel!: GameFeel;
  private myPosition: { x: number; y: number } | undefined;
  private lastInput: PlayerInput = IDLE_INPUT;
  /** Where the camera looked last and who was drawn, shared with the HUD. */
  private readonly onScreen: ArenaOnScreen = { view: undefined, players: [] };
  /** Screen height the HUD keeps at the top (taller with touch buttons). */
  private readonly hudBand = isTouchDevice() ? TOUCH_HUD_BAND : HUD_BAND;

  constructor() {
    super("GameScene");
  }

  create(data: { session: ArenaSession }) {
    this.session = data.session;
    this.controls = new Controls(this);
    this.painter = new ArenaPainter(this);
    this.feel = new GameFeel(this, this.session);
    this.onScreen.view = undefined;
    this.scene.launch("HudScene", { session: this.session, onScreen: this.onScreen });
    this.scene.launch("NetGraphScene", { session: this.session });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.painter.destroy();
      this.feel.destroy();
      this.scene.stop("NetGraphScene");
      window.arenaProbe = undefined;
    });
  }

  update(time: number) {
    // While a chat line is being typed the keys belong to the text field: stand still.
    const typing = this.registry.get(TYPING_KEY) === true;
    const controls = typing ? IDLE_INPUT : this.controls.sample(this.myPosition);
    const sent = this.session.update(time, controls);
    if (!typing) this.controls.sent(sent);
    this.lastInput = controls;
    this.drawFrame();
    this.aimCamera();
  }

  /**
   * Whole arena where the screen allows, else following the own player (the last
   * place it stood while it respawns; a spectator follows the first player in the
   * room). Done every frame, so a resize or a rotation is simply the next frame's input.
   */
  private aimCamera(): void {
    const last = this.onScreen.view && { x: this.onScreen.view.centerX, y: this.onScreen.view.centerY };
    const focus = this.myPosition ?? (this.session.spectating ? this.onScreen.players[0] : undefined) ?? last;
    const view = computeView(this.scale.width, this.scale.height, ARENA_MAP.width, ARENA_MAP.height, focus, this.hudBand);
    this.cameras.main.setZoom(view.zoom).centerOn(view.centerX, view.centerY);
    this.onScreen.view = view;
  }

  private drawFrame(): void {
    this.painter.clear();
    const state = this.session.state;
    if (!state.players) return;
    this.session.prediction.projectiles.forEach((x, y) => this.painter.projectile(x, y));
    const drawnAt = this.onScreen.players;
    drawnAt.length = 0;
    const { drawn, me } = this.painter.players(state.players, (id, player) => {
      const pose = this.session.playerPosition(id, player);
      drawnAt.push(pose);
      return pose;
    }, this.session.sessionId);
    this.myPosition = me;
    this.feel.update();
    const camera = this.cameras.main;
    const view = camera.worldView;
    window.arenaProbe = {
      sessionId: this.session.sessionId, me: this.myPosition, playersDrawn: drawn,
      pingMs: this.session.pingMs, pendingInputs: this.session.pendingInputs,
      status: this.session.status, closedReason: this.session.closedReason,
      roomCode: this.session.privateCode, spectating: this.session.spectating,
      feed: this.session.feed.map((line) => line.text),
      controls: { device: this.controls.leader, ...this.lastInput },
      feel: this.feel.probe,
      view: {
        x: view.x, y: view.y, width: view.width, height: view.height,
        screen: { x: camera.x, y: camera.y, width: camera.width, height: camera.height, gameWidth: this.scale.width, gameHeight: this.scale.height },
      },
    };
  }
}

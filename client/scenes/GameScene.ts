import Phaser from "phaser";
import { IDLE_INPUT, type PlayerInput } from "../../shared/protocol.ts";
import { ArenaPainter } from "../arenaPainter.ts";
import { TYPING_KEY } from "../chatBox.ts";
import { Controls } from "../input/controls.ts";
import { GameFeel } from "../effects/feel.ts";
import type { ArenaSession } from "../net/session.ts";
import "../probe.ts";

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

  constructor() {
    super("GameScene");
  }

  create(data: { session: ArenaSession }) {
    this.session = data.session;
    this.controls = new Controls(this);
    this.painter = new ArenaPainter(this);
    this.feel = new GameFeel(this, this.session);
    this.scene.launch("HudScene", { session: this.session });
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
  }

  private drawFrame(): void {
    this.painter.clear();
    const state = this.session.state;
    if (!state.players) return;
    this.session.projectiles.forEach((x, y) => this.painter.projectile(x, y));
    const { drawn, me } = this.painter.players(state.players, (id, player) => this.session.playerPosition(id, player), this.session.sessionId);
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

import Phaser from "phaser";
import { ARENA_MAP } from "../../shared/map.ts";
import { IDLE_INPUT, type PlayerInput } from "../../shared/protocol.ts";
import { ArenaPainter } from "../arenaPainter.ts";
import { Controls } from "../input/controls.ts";
import { GameFeel } from "../effects/feel.ts";
import type { MatchScreen } from "../matchScreen.ts";
import { LargeScreen } from "../largeScreen.ts";
import { DrainMove } from "../net/drainMove.ts";
import { roomMap, roomMode } from "../net/roomMode.ts";
import type { ArenaSession, FeedLine } from "../net/session.ts";
import type { RenderProbe } from "../probe.ts";
import { HUD_BAND, TOUCH_HUD_BAND, computeView } from "../view/camera.ts";
import { isTouchDevice } from "../view/device.ts";
import { followView } from "../view/largeCamera.ts";

/** What GameScene starts with: the session to show, and the way back to the menu when it is over. */
export interface MatchStart {
  session: ArenaSession;
  /** Shows the menu with `notice` (the game's scenes are stopped by then). */
  toMenu: (notice: string) => void;
}

/**
 * The match itself: samples the controls, lets the session send and predict,
 * then draws the arena, the players and the projectiles where the session says.
 * The HUD runs beside it as its own scene, sharing a `MatchScreen`.
 */
export class GameScene extends Phaser.Scene {
  private session!: ArenaSession;
  private screen!: MatchScreen;
  private controls!: Controls;
  private painter!: ArenaPainter;
  private feel!: GameFeel;
  private myPosition: { x: number; y: number } | undefined;
  /** The large mode's ways (fades, whom a spectator follows), once the state says the room is a large one. */
  private large: LargeScreen | undefined;
  /** Where the player a spectator follows was drawn this frame. */
  private followedAt: { x: number; y: number } | undefined;
  private lastInput: PlayerInput = IDLE_INPUT;
  /** What this scene drew, for `window.arenaProbe`: made once per match, updated in place. */
  private probe!: RenderProbe;
  private newestFeedLine: FeedLine | undefined;
  /** Screen height the HUD keeps at the top (taller with touch buttons). */
  private readonly hudBand = isTouchDevice() ? TOUCH_HUD_BAND : HUD_BAND;

  constructor() {
    super("GameScene");
  }

  create(data: MatchStart) {
    this.session = data.session;
    this.controls = new Controls(this);
    this.painter = new ArenaPainter(this);
    this.large = undefined;
    this.followedAt = undefined;
    this.feel = new GameFeel(this, this.session);
    this.screen = {
      session: this.session,
      onScreen: { view: undefined, players: [] },
      // After a drain the game goes on with the new session: this scene starts again with it.
      move: new DrainMove(this.session, (next) => this.scene.restart({ ...data, session: next })),
      keys: { typing: false },
      toMenu: data.toMenu,
    };
    this.probe = newProbe(this.feel);
    this.newestFeedLine = undefined;
    this.scene.launch("HudScene", { screen: this.screen });
    this.scene.launch("NetGraphScene", { session: this.session });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.painter.destroy();
      this.large?.destroy();
      this.feel.destroy();
      this.scene.stop("NetGraphScene");
      window.arenaProbe = undefined;
    });
  }

  update(time: number) {
    // While a chat line is being typed the keys belong to the text field: stand still.
    const typing = this.screen.keys.typing;
    const controls = typing ? IDLE_INPUT : this.controls.sample(this.myPosition);
    const sent = this.session.update(time, controls);
    if (!typing) this.controls.sent(sent);
    this.screen.move.update();
    this.lastInput = controls;
    this.drawFrame();
    this.aimCamera();
  }

  /**
   * Whole arena where the screen allows, else following the own player (the last
   * place it stood while it respawns; a spectator follows the first player in the
   * room, or in the large mode the one it chose). The large mode always follows,
   * within its map. Done every frame, so a resize or a rotation is simply the next frame's input.
   */
  private aimCamera(): void {
    const onScreen = this.screen.onScreen;
    const last = onScreen.view && { x: onScreen.view.centerX, y: onScreen.view.centerY };
    const watched = this.large ? this.followedAt : onScreen.players[0];
    const focus = this.myPosition ?? (this.session.spectating ? watched : undefined) ?? last;
    const map = this.large ? roomMap(this.session.state) : ARENA_MAP;
    const view = (this.large ? followView : computeView)(this.scale.width, this.scale.height, map.width, map.height, focus, this.hudBand);
    this.cameras.main.setZoom(view.zoom).centerOn(view.centerX, view.centerY);
    onScreen.view = view;
    onScreen.focus = this.myPosition ?? (this.session.spectating ? watched : undefined);
  }

  private drawFrame(): void {
    this.painter.clear();
    const state = this.session.state;
    if (!state.players) return;
    const large = this.largeMode();
    const followed = large?.follow.update();
    this.followedAt = undefined;
    if (large) {
      this.session.prediction.projectiles.forEach((x, y, id, own) => large.shot(x, y, id, own));
      large.drawShots(this.painter);
      large.syncPlayers(state.players);
    } else this.session.prediction.projectiles.forEach((x, y) => this.painter.projectile(x, y));
    const drawnAt = this.screen.onScreen.players;
    drawnAt.length = 0;
    const placed = this.probe.players!;
    const { drawn, me } = this.painter.players(state.players, (id, player) => {
      const pose = this.session.playerPosition(id, player);
      large?.placed(id, pose);
      if (id === followed) this.followedAt = pose;
      drawnAt.push(pose);
      // The probe's entries are reused frame to frame.
      const entry = placed[drawnAt.length - 1] ??= { id: "", x: 0, y: 0 };
      entry.id = id;
      entry.x = pose.x;
      entry.y = pose.y;
      return pose;
    }, this.session.sessionId, large);
    placed.length = drawnAt.length;
    this.myPosition = me;
    this.feel.update();
    this.publish(drawn);
  }

  /** The large mode's screen, made the first frame the state says the room is a large one (its map drawn then). */
  private largeMode(): LargeScreen | undefined {
    if (this.large || roomMode(this.session.state) !== "large") return this.large;
    this.painter.showMap(roomMap(this.session.state));
    this.large = new LargeScreen(this, this.session);
    this.screen.large = this.large;
    return this.large;
  }

  /** Writes this frame into the probe (no new objects but the feed's lines) and puts it on `window`. */
  private publish(playersDrawn: number): void {
    const probe = this.probe;
    const session = this.session;
    probe.frame++;
    probe.sessionId = session.sessionId;
    probe.me = this.myPosition;
    probe.playersDrawn = playersDrawn;
    probe.pingMs = session.pingMs;
    probe.pendingInputs = session.pendingInputs;
    probe.status = session.status;
    probe.closedReason = session.closedReason;
    probe.roomCode = session.privateCode;
    probe.spectating = session.spectating;
    const state = session.state;
    probe.mode = roomMode(state);
    probe.mapSeed = state.mapSeed;
    probe.largeView = session.largeView;
    probe.inState!.players = state.players?.size ?? 0;
    probe.inState!.projectiles = state.projectiles?.size ?? 0;
    probe.fadingOut = this.large?.fadingOut ?? 0;
    probe.playerFades = this.large?.playerFades;
    const map = this.painter.mapShown;
    probe.mapDrawn!.width = map.width;
    probe.mapDrawn!.height = map.height;
    probe.mapDrawn!.walls = map.walls.length;
    probe.followed = this.large?.follow.followed;
    // The feed's lines are copied only when a line came.
    const newest = session.feed.at(-1);
    if (newest !== this.newestFeedLine) {
      this.newestFeedLine = newest;
      probe.feed = session.feed.map((line) => line.text);
    }
    const controls = probe.controls!;
    controls.device = this.controls.leader;
    controls.moveX = this.lastInput.moveX;
    controls.moveY = this.lastInput.moveY;
    controls.aim = this.lastInput.aim;
    controls.fire = this.lastInput.fire;
    const camera = this.cameras.main;
    const view = probe.view!;
    const world = camera.worldView;
    view.x = world.x;
    view.y = world.y;
    view.width = world.width;
    view.height = world.height;
    const screen = view.screen;
    screen.x = camera.x;
    screen.y = camera.y;
    screen.width = camera.width;
    screen.height = camera.height;
    screen.gameWidth = this.scale.width;
    screen.gameHeight = this.scale.height;
    window.arenaProbe = probe;
  }
}

/** A probe with nothing drawn yet. */
function newProbe(feel: GameFeel): RenderProbe {
  return {
    frame: 0, sessionId: "", playersDrawn: 0, pingMs: 0, pendingInputs: 0, status: "connected", closedReason: "",
    spectating: false, feed: [], players: [], mode: "arena", inState: { players: 0, projectiles: 0 }, fadingOut: 0,
    mapDrawn: { width: 0, height: 0, walls: 0 },
    controls: { device: undefined, ...IDLE_INPUT },
    feel: feel.probe,
    view: { x: 0, y: 0, width: 0, height: 0, screen: { x: 0, y: 0, width: 0, height: 0, gameWidth: 0, gameHeight: 0 } },
  };
}

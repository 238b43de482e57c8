import Phaser from "phaser";
import { PLAYER_RADIUS } from "../../shared/constants.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { ChatBox } from "../chatBox.ts";
import { HudFader, hudProbe } from "../hud/hudProbe.ts";
import { KillFeed } from "../hud/killFeed.ts";
import { LargeHud } from "../hud/largeHud.ts";
import { Scoreboard } from "../hud/scoreboard.ts";
import { MutedPlayers } from "../hud/playerActions.ts";
import { settingsPanel } from "../hud/settingsPanel.ts";
import { TouchButtons } from "../hud/touchButtons.ts";
import { gameServerEndpoint } from "../net/endpoint.ts";
import type { MatchScreen } from "../matchScreen.ts";
import { roomMode } from "../net/roomMode.ts";
import type { ArenaSession } from "../net/session.ts";
import { MatchRank } from "../ui/matchRank.ts";
import { MUTED_TEXT_COLOR, TEXT_COLOR } from "../palette.ts";
import { settings } from "../settings.ts";
import { formatClock } from "../view/clock.ts";
import { computeView, letterbox, type ArenaOnScreen, type CameraView } from "../view/camera.ts";
import { isTouchDevice } from "../view/device.ts";
import { drawnFrameRate } from "../view/frameRate.ts";
import { hudLayout, type Anchor } from "../view/hudLayout.ts";

const FONT = "sans-serif";
/** How long a chat line stays on screen. */
const FEED_SECONDS = 8; // s
/** Chat lines shown at most. */
const CHAT_LINES = 5;
/** How often the fps/ping readout changes: often enough to read, rarely enough not to redraw its text every frame. */
const READOUT_MS = 500; // ms

/**
 * The HUD over the game, in screen pixels: health and score, the clock, the
 * fps/ping readout, the kill feed, the chat list, the scoreboard (Tab, or the
 * touch button), the end-of-match table and the connection state; on touch
 * devices a row of buttons. Laid out by `hudLayout` on every resize, placed
 * in the letterbox where there is one and faded where a player is under it.
 * Esc opens the settings (after closing the chat box, if it is open).
 */
export class HudScene extends Phaser.Scene {
  private session!: ArenaSession;
  /** What the game scene shares with the HUD: the camera, the keys, the move after a drain. */
  private screen!: MatchScreen;
  private onScreen!: ArenaOnScreen;
  /** The player's place on this week's board, under the end-of-match table. */
  private rank!: MatchRank;
  private status!: Phaser.GameObjects.Text;
  private clock!: Phaser.GameObjects.Text;
  private stats!: Phaser.GameObjects.Text;
  private chat!: Phaser.GameObjects.Text;
  private killFeed!: KillFeed;
  private board!: Scoreboard;
  /** The players whose chat this browser hides (muted from the scoreboard). */
  private readonly muted = new MutedPlayers();
  private banner!: Phaser.GameObjects.Text;
  private chatBox!: ChatBox;
  private buttons: TouchButtons | undefined;
  /** The minimap and the spectator's "Next player", once the room is known to be a large one. */
  private large: LargeHud | undefined;
  private fader!: HudFader;
  private tab!: Phaser.Input.Keyboard.Key;
  /** The screen and letterbox the HUD was last laid out for. */
  private laidOutFor = "";
  /** Where the layout put the kill feed's top edge. */
  private feedTop = 0;
  /** When the readout was last written, and whether it held fps and ping then. */
  private readoutAt = Number.NEGATIVE_INFINITY;
  private readoutHadStats = false;

  constructor() {
    super("HudScene");
  }

  create(data: { screen: MatchScreen }) {
    this.screen = data.screen;
    this.session = data.screen.session;
    this.onScreen = data.screen.onScreen;
    this.rank = new MatchRank(gameServerEndpoint());
    this.laidOutFor = "";
    this.large = undefined;
    this.readoutAt = Number.NEGATIVE_INFINITY;
    const style = { fontFamily: FONT, fontSize: "20px", color: TEXT_COLOR, stroke: "#0b0d12", strokeThickness: 3 };
    this.status = this.add.text(0, 0, "", style);
    this.clock = this.add.text(0, 0, "", { ...style, fontStyle: "bold" });
    this.stats = this.add.text(0, 0, "", { ...style, color: MUTED_TEXT_COLOR });
    this.chat = this.add.text(0, 0, "", { ...style, lineSpacing: 2 });
    this.killFeed = new KillFeed(this, this.session);
    this.board = new Scoreboard(isTouchDevice(), { muted: this.muted, report: (id, reason) => this.session.sendReport(id, reason) });
    this.banner = this.add.text(0, 0, "", {
      fontFamily: FONT, color: TEXT_COLOR, align: "center", backgroundColor: "#000000cc", padding: { x: 24, y: 16 },
    }).setOrigin(0.5).setVisible(false);
    this.fader = new HudFader([this.status, this.clock, this.stats, this.chat, this.killFeed]);
    this.tab = this.input.keyboard!.addKey(Phaser.Input.Keyboard.KeyCodes.TAB);
    this.chatBox = new ChatBox(this, this.screen.keys, 0, 0, (text) => this.session.sendChat(text), () => this.session.status === "connected");
    this.buttons = isTouchDevice() ? new TouchButtons({
      chat: () => {
        if (this.chatBox.open) this.chatBox.close();
        else if (this.session.status === "connected") this.chatBox.show();
      },
      scoreboard: () => { this.board.pinned = !this.board.pinned; },
      settings: () => this.openSettings(),
      fullscreen: this.scale.fullscreen.available
        ? () => (this.scale.isFullscreen ? this.scale.stopFullscreen() : this.scale.startFullscreen())
        : undefined,
    }) : undefined;
    this.listen();
    this.layOut();
  }

  update(time: number) {
    this.followCamera();
    const state = this.session.state;
    if (!state.players) return;
    if (!this.large && roomMode(state) === "large") {
      this.large = new LargeHud(this, this.screen);
      this.layOut();
    }
    this.large?.update(time);
    const me = this.session.me;
    this.setText(this.status, me
      ? `HP ${me.hp}   Score ${me.score}${me.alive ? ((me.reloadTicks ?? 0) > 0 ? "   reloading" : "") : "   respawning…"}`
      : this.session.spectating ? `Watching · ${this.buttons ? "tap" : "press J"} to join the game` : "");
    this.setText(this.clock, `${state.phase === "playing" ? "" : "Next match in "}${formatClock(state.timeLeft)}`);
    this.updateReadout(time);
    // On a narrow screen the readout may take two lines: the kills start below it.
    const statsBottom = this.stats.y + this.stats.height + 4;
    this.killFeed.setTop(this.stats.text && statsBottom > this.feedTop ? statsBottom : this.feedTop);
    this.setText(this.chat, this.chatLines(time).join("\n"));
    this.killFeed.update(performance.now());

    this.board.update(state, this.session.sessionId, this.tab.isDown, this.rank.line(state.phase));
    this.buttons?.setScoreboardShown(this.board.visible);

    const overlay = this.connectionMessage();
    this.banner.setVisible(overlay !== "");
    this.setText(this.banner, overlay);
    this.fader.update(this.onScreen, (PLAYER_RADIUS + 22) * (this.onScreen.view?.zoom ?? 1));
  }

  /** Room code, spectators, fps and ping, refreshed a few times a second (at once when the setting changes). */
  private updateReadout(time: number): void {
    const showStats = settings.values.showStats;
    if (time - this.readoutAt < READOUT_MS && showStats === this.readoutHadStats) return;
    this.readoutAt = time;
    this.readoutHadStats = showStats;
    const state = this.session.state;
    const parts = [
      this.session.privateCode ? `room ${this.session.privateCode}` : "",
      state.spectators > 0 ? `${state.spectators} watching` : "",
      showStats ? `${drawnFrameRate(this.game)} fps · ${Math.round(this.session.pingMs)} ms` : "",
    ];
    this.setText(this.stats, parts.filter(Boolean).join(" · "));
  }

  private listen(): void {
    const keyboard = this.input.keyboard!;
    keyboard.on("keydown-ENTER", () => {
      if (this.session.status === "closed" && !this.screen.move.underway) this.backToMenu();
    });
    // A spectator takes a free seat with J.
    keyboard.on("keydown-J", () => {
      if (this.session.spectating && !this.screen.keys.typing) this.session.takeSeat();
    });
    this.input.on("pointerdown", () => {
      this.chatBox.closeIfEmpty();
      if (this.session.status === "closed" && !this.screen.move.underway) this.backToMenu();
      else if (this.session.spectating && this.buttons) this.session.takeSeat();
    });
    // Read from the DOM: the chat box stops the keys typed into it, so an Esc that closes it never gets here.
    const onEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      const panel = settingsPanel();
      if (this.chatBox.open) this.chatBox.close();
      else if (panel.isOpen) panel.close();
      else this.openSettings();
    };
    window.addEventListener("keydown", onEscape);
    this.scale.on(Phaser.Scale.Events.RESIZE, this.layOut, this);
    const publish = () => {
      if (window.arenaProbe) window.arenaProbe.hud = hudProbe(this.parts(), this.onScreen, settingsPanel().isOpen);
    };
    this.game.events.on(Phaser.Core.Events.POST_STEP, publish);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      window.removeEventListener("keydown", onEscape);
      this.scale.off(Phaser.Scale.Events.RESIZE, this.layOut, this);
      this.game.events.off(Phaser.Core.Events.POST_STEP, publish);
      this.killFeed.destroy();
      this.board.destroy();
      this.buttons?.destroy();
      this.buttons = undefined;
      this.large?.destroy();
      this.large = undefined;
      settingsPanel().close();
    });
  }

  private parts() {
    return { clock: this.clock, status: this.status, stats: this.stats, chat: this.chat, killFeed: this.killFeed, board: this.board };
  }

  /** The settings over the game; the player stands still and the keys go to the dialog meanwhile. */
  private openSettings(): void {
    const keyboard = this.input.keyboard!;
    keyboard.disableGlobalCapture();
    this.screen.keys.typing = true;
    settingsPanel().open(() => {
      keyboard.enableGlobalCapture();
      this.screen.keys.typing = false;
      // Keys released while the dialog had them never reached the game: forget them.
      this.scene.get("GameScene")?.input.keyboard?.resetKeys();
    });
  }

  /**
   * Lays the HUD out again when the letterbox changes (the game camera's first
   * frame, or a new screen size). Not while following: the HUD's places then
   * depend on the screen alone.
   */
  private followCamera(): void {
    const view = this.onScreen.view;
    if (!view) return;
    if (layoutKey(view, this.scale.width, this.scale.height) !== this.laidOutFor) this.layOut();
  }

  /** Everything placed for the current screen size (the scale manager's resize, rotation included). */
  private layOut(): void {
    const { width, height } = this.scale;
    const view = this.onScreen.view ?? computeView(width, height, ARENA_MAP.width, ARENA_MAP.height);
    this.laidOutFor = layoutKey(view, width, height);
    const layout = hudLayout(width, height, view.arena, this.buttons?.count ?? 0, this.large?.aspect);
    if (layout.minimap) this.large?.layOut(layout.minimap);
    place(this.clock.setFontSize(layout.fonts.clock), layout.clock);
    place(this.status.setFontSize(layout.fonts.status), layout.status);
    place(this.stats.setFontSize(layout.fonts.small).setWordWrapWidth(layout.stats.width).setAlign("right"), layout.stats);
    place(this.chat.setFontSize(layout.fonts.feed).setWordWrapWidth(layout.chat.width), layout.chat);
    this.killFeed.layOut(layout.killFeed, layout.fonts.feed);
    this.feedTop = layout.killFeed.y;
    this.chatBox.place(layout.chatInput.x, layout.chatInput.y, layout.chatInput.width, layout.chatInput.originY === 1);
    this.banner.setFontSize(Math.round(Math.min(34, Math.max(18, width / 26)))).setWordWrapWidth(width - 80).setPosition(width / 2, height / 2);
  }

  /** Text is drawn again only when it changes (Phaser re-renders a text's texture on every set). */
  private setText(text: Phaser.GameObjects.Text, value: string): void {
    if (text.text !== value) text.setText(value);
  }

  /** The recent chat and server lines, without the kills (the kill feed shows those). */
  private chatLines(time: number): string[] {
    return this.session.feed
      .filter((line) => time - line.at < FEED_SECONDS * 1000 && !(line.kind === "system" && this.killFeed.announces(line.text))
        && !(line.from !== undefined && this.muted.has(line.from)))
      .slice(-CHAT_LINES)
      .map((line) => line.text);
  }

  private connectionMessage(): string {
    switch (this.session.status) {
      case "connected": {
        const closingAt = this.session.closingAt;
        if (closingAt === undefined) return "";
        return `The server is shutting down in ${Math.max(0, Math.ceil((closingAt - performance.now()) / 1000))} s.`;
      }
      case "reconnecting": {
        if (this.session.moving) return "Moving to a new server…";
        const attempt = this.session.reconnectAttempt;
        return `Connection lost. Reconnecting…${attempt > 0 ? ` attempt ${attempt}` : ""}\nYour seat and score are kept.`;
      }
      case "closed":
        if (this.screen.move.underway) return "This server is shutting down.\nMoving you to another game…";
        return `${this.screen.move.failure ?? this.session.closedReason}\n${this.buttons ? "Tap" : "Click or press Enter"} to rejoin.`;
    }
  }

  /** The match is over for this player: the game's scenes stop, and the menu says why. */
  private backToMenu(): void {
    this.scene.stop("GameScene");
    this.scene.stop();
    this.screen.toMenu(this.session.closedReason);
  }
}

/** What the HUD's layout depends on: the screen, and the letterbox when the whole arena is shown. */
function layoutKey(view: CameraView, width: number, height: number): string {
  const margins = view.wholeWorld ? Object.values(letterbox(view, width, height)).map(Math.round).join(",") : "following";
  return `${width}x${height} ${margins}`;
}

function place(text: Phaser.GameObjects.Text, anchor: Anchor): void {
  text.setOrigin(anchor.originX, anchor.originY).setPosition(anchor.x, anchor.y);
}

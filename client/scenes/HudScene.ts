import Phaser from "phaser";
import type { ArenaView, PlayerView } from "../../shared/protocol.ts";
import { ChatBox, TYPING_KEY } from "../chatBox.ts";
import type { ArenaSession } from "../net/session.ts";
import { gameServerEndpoint } from "../net/endpoint.ts";
import { MatchRank } from "../ui/matchRank.ts";
import { MUTED_TEXT_COLOR, TEXT_COLOR } from "../palette.ts";

const FONT = "sans-serif";
/** How long a feed line stays on screen. */
const FEED_SECONDS = 8; // s

/**
 * The HUD over the game: health, score, time left, ping, the kill and chat
 * feed, the Tab scoreboard, the end-of-match table and the connection state.
 */
export class HudScene extends Phaser.Scene {
  private session!: ArenaSession;
  /** The player's place on this week's board, under the end-of-match table. */
  private rank!: MatchRank;
  private status!: Phaser.GameObjects.Text;
  private clock!: Phaser.GameObjects.Text;
  private ping!: Phaser.GameObjects.Text;
  private feed!: Phaser.GameObjects.Text;
  private board!: Phaser.GameObjects.Text;
  private boardBackdrop!: Phaser.GameObjects.Rectangle;
  private banner!: Phaser.GameObjects.Text;
  private tab!: Phaser.Input.Keyboard.Key;
  /** Looking for another game after a drain, and why that failed if it did. */
  private moving = false;
  private moveFailed: string | undefined;

  constructor() {
    super("HudScene");
  }

  create(data: { session: ArenaSession }) {
    this.session = data.session;
    this.rank = new MatchRank(gameServerEndpoint());
    this.moving = false;
    this.moveFailed = undefined;
    const { width, height } = this.scale;
    const style = { fontFamily: FONT, fontSize: "28px", color: TEXT_COLOR };
    this.status = this.add.text(20, 16, "", style);
    this.clock = this.add.text(width / 2, 16, "", { ...style, fontSize: "34px" }).setOrigin(0.5, 0);
    this.ping = this.add.text(width - 20, 16, "", { ...style, fontSize: "22px", color: MUTED_TEXT_COLOR }).setOrigin(1, 0);
    this.feed = this.add.text(20, height - 20, "", { ...style, fontSize: "22px", lineSpacing: 4 }).setOrigin(0, 1);
    this.boardBackdrop = this.add.rectangle(width / 2, height / 2, 900, 700, 0x0b0d12, 0.85).setVisible(false);
    this.board = this.add.text(width / 2, height / 2, "", {
      fontFamily: "monospace", fontSize: "28px", color: TEXT_COLOR, align: "left", lineSpacing: 6,
    }).setOrigin(0.5).setVisible(false);
    this.banner = this.add.text(width / 2, height / 2, "", {
      fontFamily: FONT, fontSize: "40px", color: TEXT_COLOR, align: "center", backgroundColor: "#000000cc",
      padding: { x: 24, y: 16 },
    }).setOrigin(0.5).setVisible(false);
    this.tab = this.input.keyboard!.addKey(Phaser.Input.Keyboard.KeyCodes.TAB);
    new ChatBox(this, 20, height - 200, (text) => this.session.sendChat(text), () => this.session.status === "connected");
    this.input.keyboard!.on("keydown-ENTER", () => {
      if (this.session.status === "closed" && !this.moving) this.backToMenu();
    });
    // A spectator takes a free seat with J.
    this.input.keyboard!.on("keydown-J", () => {
      if (this.session.spectating && !this.registry.get(TYPING_KEY)) this.session.takeSeat();
    });
    this.input.on("pointerdown", () => {
      if (this.session.status === "closed" && !this.moving) this.backToMenu();
    });
  }

  update(time: number) {
    const state = this.session.state;
    if (!state.players) return;
    const me = this.session.me;
    this.status.setText(me
      ? `HP ${me.hp}   Score ${me.score}${me.alive ? ((me.reloadTicks ?? 0) > 0 ? "   reloading" : "") : "   (respawning…)"}`
      : this.session.spectating ? "Watching · press J to join the game" : "");
    this.clock.setText(`${state.phase === "playing" ? "" : "Next match in "}${formatTime(state.timeLeft)}`);
    const watching = state.spectators > 0 ? `${state.spectators} watching   ` : "";
    const code = this.session.privateCode ? `room code ${this.session.privateCode}   ` : "";
    this.ping.setText(`${code}${watching}${Math.round(this.session.pingMs)} ms`);
    this.feed.setText(this.session.feed.filter((line) => time - line.at < FEED_SECONDS * 1000).map((line) => line.text));

    const showBoard = state.phase === "scoreboard" || this.tab.isDown;
    this.board.setVisible(showBoard).setText(showBoard ? scoreboardText(state) + this.rank.line(state.phase) : "");
    this.boardBackdrop.setVisible(showBoard);

    const overlay = this.connectionMessage();
    this.banner.setVisible(overlay !== "").setText(overlay);
  }

  private connectionMessage(): string {
    switch (this.session.status) {
      case "connected": {
        const closingAt = this.session.closingAt;
        if (closingAt === undefined) return "";
        return `The server is shutting down in ${Math.max(0, Math.ceil((closingAt - performance.now()) / 1000))} s.`;
      }
      case "reconnecting": {
        const attempt = this.session.reconnectAttempt;
        return `Connection lost. Reconnecting…${attempt > 0 ? ` attempt ${attempt}` : ""}\nYour seat and score are kept.`;
      }
      case "closed":
        if (this.session.movedOut && this.moveFailed === undefined) {
          this.moveToAnotherGame();
          return "This server is shutting down.\nMoving you to another game…";
        }
        return `${this.moveFailed ?? this.session.closedReason}\nClick or press Enter to rejoin.`;
    }
  }

  /**
   * The server shut down under the player (a drain): find a game elsewhere at
   * once, and carry on there; only if that fails, offer the menu.
   */
  private moveToAnotherGame(): void {
    if (this.moving) return;
    this.moving = true;
    this.session.playElsewhere().then(
      (next) => this.scene.start("GameScene", { session: next }),
      (error: Error) => {
        this.moving = false;
        this.moveFailed = error.message;
      },
    );
  }

  private backToMenu(): void {
    const notice = this.session.closedReason;
    this.scene.stop("GameScene");
    this.scene.start("MenuScene", { notice });
  }
}

function formatTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The table of names, kills and deaths, best first; headed by the winner once a match is over. */
function scoreboardText(state: ArenaView): string {
  const rows: PlayerView[] = [];
  state.players.forEach((player) => rows.push(player));
  rows.sort((a, b) => b.score - a.score || a.deaths - b.deaths || a.name.localeCompare(b.name));
  const lines = rows.map((p, i) => `${String(i + 1).padStart(2)}. ${p.name.padEnd(16)} ${String(p.score).padStart(5)} ${String(p.deaths).padStart(6)}`);
  const title = state.phase === "scoreboard"
    ? `Match ${state.matchNumber} over — ${rows[0] ? `${rows[0].name} wins` : "no players"}`
    : `Match ${state.matchNumber}`;
  return [title, "", `    ${"Name".padEnd(16)} ${"Kills".padStart(5)} ${"Deaths".padStart(6)}`, ...lines].join("\n");
}

import Phaser from "phaser";
import { MUTED_TEXT_COLOR, TEXT_COLOR } from "../palette.ts";

const FONT = "sans-serif";
const MARGIN = 12; // px

/** What the replay's controls drive, and the lines they show (the replay scene provides both). */
export interface ReplayDeck {
  speeds: readonly number[];
  togglePause(): void;
  setSpeed(speed: number): void;
  /** The status lines to show this frame. */
  status(): string[];
}

/**
 * The replay's status and buttons in screen pixels, over the replay scene
 * (whose camera zooms the world, which would zoom these too). Re-laid out on
 * every resize.
 */
export class ReplayControlsScene extends Phaser.Scene {
  private deck!: ReplayDeck;
  private status!: Phaser.GameObjects.Text;
  private buttons: Phaser.GameObjects.Text[] = [];
  private help!: Phaser.GameObjects.Text;

  constructor() {
    super("ReplayControlsScene");
  }

  create(data: { deck: ReplayDeck }) {
    this.deck = data.deck;
    this.status = this.add.text(MARGIN, MARGIN, "Loading replay…", {
      fontFamily: FONT, fontSize: "18px", color: TEXT_COLOR, backgroundColor: "#0b0d12aa", padding: { x: 6, y: 4 },
    });
    const button = (text: string, onClick: () => void) => this.add
      .text(0, 0, text, { fontFamily: FONT, fontSize: "18px", color: TEXT_COLOR, backgroundColor: "#2b3140", padding: { x: 10, y: 8 } })
      .setOrigin(0, 1).setInteractive({ useHandCursor: true }).on("pointerdown", onClick);
    this.buttons = [
      button("Pause / play", () => this.deck.togglePause()),
      ...this.deck.speeds.map((speed) => button(`${speed}×`, () => this.deck.setSpeed(speed))),
    ];
    this.help = this.add.text(0, 0, "Space pause · → step · 1–6 speed", { fontFamily: FONT, fontSize: "16px", color: MUTED_TEXT_COLOR })
      .setOrigin(1, 1);
    this.layOut();
    this.scale.on(Phaser.Scale.Events.RESIZE, this.layOut, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.scale.off(Phaser.Scale.Events.RESIZE, this.layOut, this));
  }

  update() {
    this.status.setText(this.deck.status());
  }

  /** Buttons along the bottom edge, wrapping onto a second row on a narrow screen; the key help above them at the right. */
  private layOut(): void {
    const { width, height } = this.scale;
    this.status.setWordWrapWidth(width - 2 * MARGIN);
    let x = MARGIN;
    let bottom = height - MARGIN;
    for (const button of this.buttons) {
      if (x > MARGIN && x + button.width > width - MARGIN) {
        x = MARGIN;
        bottom -= button.height + 6;
      }
      button.setPosition(x, bottom);
      x += button.width + 6;
    }
    this.help.setPosition(width - MARGIN, bottom - this.buttons[0].height - 6);
  }
}

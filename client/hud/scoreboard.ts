import Phaser from "phaser";
import type { ArenaView, PlayerView } from "../../shared/protocol.ts";
import { TEXT_COLOR } from "../palette.ts";

/** Characters in the widest scoreboard line (rank, 16-character name, kills, deaths). */
const LINE_CHARS = 34;
/** Lines in the tallest table: title, blank, header and 16 players. */
const MAX_LINES = 19;
/** A monospace glyph's width and a line's height, as fractions of the font size. */
const CHAR_WIDTH = 0.62;
const LINE_HEIGHT = 1.35;

/** The table of names, kills and deaths, best first; headed by the winner once a match is over. */
export function scoreboardText(state: ArenaView): string {
  const rows: PlayerView[] = [];
  state.players.forEach((player) => rows.push(player));
  rows.sort((a, b) => b.score - a.score || a.deaths - b.deaths || a.name.localeCompare(b.name));
  const lines = rows.map((p, i) => `${String(i + 1).padStart(2)}. ${p.name.padEnd(16)} ${String(p.score).padStart(5)} ${String(p.deaths).padStart(6)}`);
  const title = state.phase === "scoreboard"
    ? `Match ${state.matchNumber} over — ${rows[0] ? `${rows[0].name} wins` : "no players"}`
    : `Match ${state.matchNumber}`;
  return [title, "", `    ${"Name".padEnd(16)} ${"Kills".padStart(5)} ${"Deaths".padStart(6)}`, ...lines].join("\n");
}

/**
 * The scoreboard's font size (px) so that a full table fits a `width`×`height`
 * screen with a margin: 26 px on a desktop, down to 10 px on a small phone in
 * landscape.
 */
export function scoreboardFontSize(width: number, height: number): number {
  const byWidth = (width - 48) / (LINE_CHARS * CHAR_WIDTH);
  const byHeight = (height - 48) / (MAX_LINES * LINE_HEIGHT);
  return Math.max(10, Math.min(26, Math.floor(Math.min(byWidth, byHeight))));
}

/**
 * The table over the middle of the screen: shown while the match is over,
 * while Tab is held, or while pinned open (the touch button).
 */
export class Scoreboard {
  /** Pinned open by the touch button. */
  pinned = false;
  private readonly backdrop: Phaser.GameObjects.Rectangle;
  readonly text: Phaser.GameObjects.Text;

  constructor(scene: Phaser.Scene) {
    this.backdrop = scene.add.rectangle(0, 0, 10, 10, 0x0b0d12, 0.88).setVisible(false);
    this.text = scene.add.text(0, 0, "", { fontFamily: "monospace", color: TEXT_COLOR, lineSpacing: 6 }).setOrigin(0.5).setVisible(false);
  }

  get visible(): boolean {
    return this.text.visible;
  }

  /** Centred on a `width`×`height` screen, its font sized to fit there. */
  layOut(width: number, height: number): void {
    this.text.setFontSize(scoreboardFontSize(width, height)).setPosition(width / 2, height / 2);
    this.backdrop.setPosition(width / 2, height / 2);
  }

  /**
   * Shows the table for `state` when `held` (Tab), pinned, or between matches;
   * hides it otherwise. `footer` goes under the table (the player's rank).
   */
  update(state: ArenaView, held: boolean, footer = ""): void {
    const shown = state.phase === "scoreboard" || held || this.pinned;
    this.text.setVisible(shown);
    this.backdrop.setVisible(shown);
    if (!shown) return;
    const table = scoreboardText(state) + footer;
    if (this.text.text !== table) this.text.setText(table);
    this.backdrop.setSize(this.text.width + 48, this.text.height + 36);
  }
}

import Phaser from "phaser";
import type { KillNotice } from "../../shared/protocol.ts";
import { everyone } from "../net/roomMode.ts";
import type { ArenaSession } from "../net/session.ts";
import { PROJECTILE_COLOR, TEXT_COLOR, playerColor } from "../palette.ts";
import type { ScreenRect } from "../view/camera.ts";
import type { Column } from "../view/hudLayout.ts";

/** How long a kill stays in the feed. */
const SHOWN_MS = 8000; // ms
const MAX_ROWS = 5;
/** Room for the shot mark between the two names. */
const MARK_WIDTH = 26; // px
const ROW_GAP = 4; // px
const PAD = 5; // px

/** One kill as the feed shows it (names as they were when it happened). */
export interface KillEntry {
  killer: string;
  victim: string;
  killerColor: number;
  victimColor: number;
  /** The own player killed or was killed: the row is highlighted. */
  mine: boolean;
  at: number;
}

/**
 * The kill feed: "killer ▸ victim" rows, each name in its player's colour and
 * the mark in the projectile's, newest at the bottom, right-aligned in the
 * column the layout gives. Fed by the server's kill notices alone, so it never
 * shows a kill that did not happen. It also remembers the words the server
 * puts in the chat for each kill, so the chat list can leave them out.
 */
export class KillFeed {
  readonly container: Phaser.GameObjects.Container;
  private readonly scene: Phaser.Scene;
  private readonly backdrop: Phaser.GameObjects.Graphics;
  private readonly rows: Array<{ killer: Phaser.GameObjects.Text; victim: Phaser.GameObjects.Text }> = [];
  private readonly entries: KillEntry[] = [];
  /** The chat lines the server sends with kills ("A eliminated B"), most recent last. */
  private readonly announced: string[] = [];
  private column: Column = { x: 0, y: 0, originX: 1, originY: 0, width: 200 };
  private fontSize = 16;
  /** Set when the rows need drawing again (a kill came or went, the layout moved). */
  private dirty = true;
  private box: ScreenRect = { x: 0, y: 0, width: 0, height: 0 };
  private readonly unsubscribe: () => void;

  constructor(scene: Phaser.Scene, session: ArenaSession) {
    this.scene = scene;
    this.backdrop = scene.add.graphics();
    this.container = scene.add.container(0, 0, [this.backdrop]);
    this.unsubscribe = session.onKill((kill) => this.add(session, kill));
  }

  /** Moves the feed to `column`, its names at `fontSize` px. */
  layOut(column: Column, fontSize: number): void {
    this.column = column;
    this.fontSize = fontSize;
    for (const row of this.rows) for (const text of [row.killer, row.victim]) text.setFontSize(fontSize);
    this.dirty = true;
  }

  /** Moves the feed's top edge (below a readout that grew to two lines, for instance). */
  setTop(y: number): void {
    if (y === this.column.y) return;
    this.column = { ...this.column, y };
    this.dirty = true;
  }

  /** True when the server's chat line `text` announces a kill this feed shows. */
  announces(text: string): boolean {
    return this.announced.includes(text);
  }

  /** The kills on screen now, oldest first. */
  get shown(): readonly KillEntry[] {
    return this.entries;
  }

  /** Drops old kills; redraws only when something changed (re-rendering text every frame costs). */
  update(now: number): void {
    while (this.entries.length > 0 && now - this.entries[0].at > SHOWN_MS) {
      this.entries.shift();
      this.dirty = true;
    }
    if (this.dirty) this.redraw();
    this.dirty = false;
  }

  private redraw(): void {
    this.backdrop.clear();
    this.box = { x: this.column.x, y: this.column.y, width: 0, height: 0 };
    const lineHeight = this.fontSize + 2 * PAD;
    this.entries.forEach((entry, i) => {
      const row = this.rowAt(i);
      row.killer.setText(entry.killer).setColor(css(entry.killerColor)).setVisible(true);
      row.victim.setText(entry.victim).setColor(css(entry.victimColor)).setVisible(true);
      fitNames(row.killer, row.victim, this.column.width - MARK_WIDTH - 2 * PAD);
      const right = this.column.x;
      const top = this.column.y + i * (lineHeight + ROW_GAP);
      const middle = top + lineHeight / 2;
      row.victim.setPosition(right - PAD, middle);
      const markRight = right - PAD - row.victim.width - 4;
      row.killer.setPosition(markRight - MARK_WIDTH + 4, middle);
      const rowWidth = row.killer.width + MARK_WIDTH + row.victim.width + 2 * PAD;
      this.backdrop.fillStyle(entry.mine ? 0x2b3140 : 0x0b0d12, entry.mine ? 0.9 : 0.6)
        .fillRoundedRect(right - rowWidth, top, rowWidth, lineHeight, 6);
      const left = Math.min(this.box.x, right - rowWidth);
      this.box = { x: left, y: this.column.y, width: right - left, height: top + lineHeight - this.column.y };
      // The shot: a short streak ending in a round projectile.
      this.backdrop.lineStyle(2, PROJECTILE_COLOR, 0.6).lineBetween(markRight - MARK_WIDTH + 8, middle, markRight - 6, middle);
      this.backdrop.fillStyle(PROJECTILE_COLOR, 1).fillCircle(markRight - 6, middle, 3.5);
    });
    for (let i = this.entries.length; i < this.rows.length; i++) {
      this.rows[i].killer.setVisible(false);
      this.rows[i].victim.setVisible(false);
    }
  }

  /** The feed's box on screen (an empty box at its anchor when no kill is shown). */
  getBounds(): ScreenRect {
    return this.box;
  }

  /** Always drawn (an empty feed draws nothing); here so the HUD fades it like its texts. */
  readonly visible = true;

  get alpha(): number {
    return this.container.alpha;
  }

  setAlpha(alpha: number): void {
    this.container.setAlpha(alpha);
  }

  destroy(): void {
    this.unsubscribe();
  }

  private add(session: ArenaSession, kill: KillNotice): void {
    // The large mode's roster names everyone, also those out of view.
    const killer = everyone(session.state)?.get(kill.killer);
    const victim = everyone(session.state)?.get(kill.victim);
    const killerName = killer?.name || "someone";
    const victimName = victim?.name || "someone";
    this.entries.push({
      killer: killerName, victim: victimName,
      killerColor: playerColor(killer?.color ?? 0), victimColor: playerColor(victim?.color ?? 0),
      mine: kill.killer === session.sessionId || kill.victim === session.sessionId,
      at: performance.now(),
    });
    if (this.entries.length > MAX_ROWS) this.entries.shift();
    this.dirty = true;
    // The same words the server writes (ArenaRoom.announce).
    this.announced.push(`${killerName} eliminated ${victimName}`);
    if (this.announced.length > 2 * MAX_ROWS) this.announced.shift();
  }

  private rowAt(i: number): { killer: Phaser.GameObjects.Text; victim: Phaser.GameObjects.Text } {
    while (this.rows.length <= i) {
      const style = { fontFamily: "sans-serif", fontSize: `${this.fontSize}px`, fontStyle: "bold", color: TEXT_COLOR };
      const row = {
        killer: this.scene.add.text(0, 0, "", style).setOrigin(1, 0.5),
        victim: this.scene.add.text(0, 0, "", style).setOrigin(1, 0.5),
      };
      this.container.add([row.killer, row.victim]);
      this.rows.push(row);
    }
    return this.rows[i];
  }
}

function css(color: number): string {
  return `#${color.toString(16).padStart(6, "0")}`;
}

/** Shortens the longer name with an ellipsis until both fit in `width` px. */
function fitNames(a: Phaser.GameObjects.Text, b: Phaser.GameObjects.Text, width: number): void {
  for (let guard = 0; a.width + b.width > width && guard < 32; guard++) {
    const longer = a.text.length >= b.text.length ? a : b;
    if (longer.text.length <= 2) break;
    longer.setText(`${longer.text.replace(/…$/, "").slice(0, -1)}…`);
  }
}

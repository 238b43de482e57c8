import Phaser from "phaser";
import type { HudProbe, ProbeRect } from "../probe.ts";
import { worldToScreen, type ArenaOnScreen, type ScreenRect } from "../view/camera.ts";
import { overlapsAny } from "../view/hudLayout.ts";
import type { KillFeed } from "./killFeed.ts";

/** A HUD text's opacity while a player is under it: still legible, no longer in the way. */
const FADED_ALPHA = 0.25;
/** How far each frame moves the opacity toward its target (a short fade, not a blink). */
const FADE_STEP = 0.2;

/** Something the HUD can fade: a text or a container of them. */
interface Fadable {
  readonly alpha: number;
  setAlpha(alpha: number): unknown;
  readonly visible: boolean;
  getBounds(): ScreenRect;
}

/**
 * Fades HUD pieces that lie over a player (over the arena when the screen has
 * no letterbox for them) and brings them back when the player has moved on.
 */
export class HudFader {
  private readonly parts: Fadable[];
  private readonly points: Array<{ x: number; y: number }> = [];

  constructor(parts: Fadable[]) {
    this.parts = parts;
  }

  /** `radius` is how near a player's centre (screen px) counts as under. */
  update(onScreen: ArenaOnScreen, radius: number): void {
    const view = onScreen.view;
    this.points.length = 0;
    if (view) for (const p of onScreen.players) this.points.push(worldToScreen(view, p.x, p.y));
    for (const part of this.parts) {
      const target = part.visible && overlapsAny(part.getBounds(), this.points, radius) ? FADED_ALPHA : 1;
      part.setAlpha(part.alpha + (target - part.alpha) * FADE_STEP);
    }
  }
}

/** The HUD's pieces the probe reports. */
interface HudParts {
  clock: Phaser.GameObjects.Text;
  status: Phaser.GameObjects.Text;
  stats: Phaser.GameObjects.Text;
  chat: Phaser.GameObjects.Text;
  killFeed: KillFeed;
  board: { readonly visible: boolean };
}

/** What the HUD shows and where, for `window.arenaProbe.hud`. */
export function hudProbe(parts: HudParts, onScreen: ArenaOnScreen, settingsOpen: boolean): HudProbe {
  const view = onScreen.view;
  return {
    clock: rect(parts.clock.getBounds()),
    status: rect(parts.status.getBounds()),
    stats: rect(parts.stats.getBounds()),
    killFeed: rect(parts.killFeed.getBounds()),
    chat: rect(parts.chat.getBounds()),
    kills: parts.killFeed.shown.map((kill) => ({
      killer: kill.killer, victim: kill.victim, killerColor: hex(kill.killerColor), victimColor: hex(kill.victimColor),
    })),
    chatLines: parts.chat.text === "" ? [] : parts.chat.text.split("\n"),
    statsText: parts.stats.text,
    scoreboard: parts.board.visible,
    settingsOpen,
    camera: { wholeWorld: view?.wholeWorld ?? true, zoom: view?.zoom ?? 1 },
    arena: view ? rect(view.arena) : { x: 0, y: 0, width: 0, height: 0 },
  };
}

function rect(box: { x: number; y: number; width: number; height: number }): ProbeRect {
  return { x: box.x, y: box.y, width: box.width, height: box.height };
}

function hex(color: number): string {
  return `#${color.toString(16).padStart(6, "0")}`;
}

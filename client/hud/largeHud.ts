import Phaser from "phaser";
import { HEAT_CELL, HEAT_COLUMNS, HEAT_EVERY_SECONDS } from "../../shared/largeMode.ts";
import type { ArenaMap } from "../../shared/map.ts";
import type { MatchScreen } from "../matchScreen.ts";
import { roomMap } from "../net/roomMode.ts";
import type { ScreenRect } from "../view/camera.ts";

/** Shots in a heat cell that paint it at full strength. */
const HOT_SHOTS = 12;
const OWN_DOT_COLOR = 0xffffff;
const HEAT_COLOR = 0xff5a36;

/**
 * The large mode's part of the HUD: the minimap in a corner (the map's
 * outline and walls, the heat cells where the shots are, the own position or
 * the watched player's) and, for a spectator, "Next player" (a button, and
 * the N key) to watch someone else. Cheap to draw: the walls once per layout,
 * the heat once a second (as often as the server sends it), a dot every frame.
 */
export class LargeHud {
  private readonly scene: Phaser.Scene;
  private readonly screen: MatchScreen;
  private readonly frame: Phaser.GameObjects.Graphics;
  private readonly heat: Phaser.GameObjects.Graphics;
  private readonly walls: Phaser.GameObjects.Graphics;
  private readonly dot: Phaser.GameObjects.Arc;
  private readonly nextButton: HTMLButtonElement;
  private box: ScreenRect = { x: 0, y: 0, width: 0, height: 0 };
  private map: ArenaMap;
  private heatDrawnAt = Number.NEGATIVE_INFINITY;
  /** Heat cells painted last time (for the probe). */
  private hotCells = 0;

  constructor(scene: Phaser.Scene, screen: MatchScreen) {
    this.scene = scene;
    this.screen = screen;
    this.map = roomMap(screen.session.state);
    this.frame = scene.add.graphics();
    this.heat = scene.add.graphics();
    this.walls = scene.add.graphics();
    this.dot = scene.add.circle(0, 0, 3.5, OWN_DOT_COLOR).setStrokeStyle(1.5, 0x0b0d12);
    this.nextButton = document.createElement("button");
    this.nextButton.type = "button";
    this.nextButton.className = "hud-follow";
    this.nextButton.dataset.ui = "";
    this.nextButton.textContent = "Next player (N)";
    this.nextButton.hidden = true;
    this.nextButton.addEventListener("click", (event) => {
      event.preventDefault();
      this.followNext();
    });
    document.body.append(this.nextButton);
    scene.input.keyboard?.on("keydown-N", this.onNextKey, this);
  }

  /** The map's width over its height: the minimap's shape. */
  get aspect(): number {
    return this.map.width / this.map.height;
  }

  /** Puts the minimap in `box` (screen pixels) and draws its frame and walls there. */
  layOut(box: ScreenRect): void {
    this.box = box;
    const scale = box.width / this.map.width;
    this.frame.clear().fillStyle(0x0b0d12, 0.7).fillRect(box.x, box.y, box.width, box.height);
    this.walls.clear().fillStyle(0x59627a, 0.9);
    for (const wall of this.map.walls) {
      this.walls.fillRect(box.x + wall.x * scale, box.y + wall.y * scale, Math.max(1, wall.w * scale), Math.max(1, wall.h * scale));
    }
    this.walls.lineStyle(1.5, 0x9aa3b5, 1).strokeRect(box.x, box.y, box.width, box.height);
    this.heatDrawnAt = Number.NEGATIVE_INFINITY;
  }

  /** Once a frame: the dot where the camera's player is, the heat once a second, the spectator's button. */
  update(time: number): void {
    const { session, onScreen, large } = this.screen;
    const scale = this.box.width / this.map.width;
    const at = onScreen.focus;
    this.dot.setVisible(at !== undefined);
    if (at) this.dot.setPosition(this.box.x + clamp(at.x, this.map.width) * scale, this.box.y + clamp(at.y, this.map.height) * scale);
    if (time - this.heatDrawnAt >= HEAT_EVERY_SECONDS * 1000) this.drawHeat(time, scale);
    this.nextButton.hidden = !session.spectating || large === undefined;
    const probe = window.arenaProbe;
    if (probe) probe.minimap = { ...this.box, hotCells: this.hotCells };
  }

  destroy(): void {
    this.scene.input.keyboard?.off("keydown-N", this.onNextKey, this);
    this.nextButton.remove();
  }

  private drawHeat(time: number, scale: number): void {
    this.heatDrawnAt = time;
    const heat = this.screen.session.state.heat;
    const side = HEAT_CELL * scale;
    let hot = 0;
    this.heat.clear();
    heat?.forEach((shots, cell) => {
      if (!(shots > 0)) return;
      hot++;
      const x = this.box.x + (cell % HEAT_COLUMNS) * side;
      const y = this.box.y + Math.floor(cell / HEAT_COLUMNS) * side;
      this.heat.fillStyle(HEAT_COLOR, 0.2 + 0.6 * Math.min(1, shots / HOT_SHOTS)).fillRect(x, y, side, side);
    });
    this.hotCells = hot;
  }

  private onNextKey(): void {
    if (!this.screen.keys.typing) this.followNext();
  }

  private followNext(): void {
    if (this.screen.session.spectating) this.screen.large?.follow.next();
  }
}

function clamp(value: number, max: number): number {
  return Math.min(max, Math.max(0, value));
}

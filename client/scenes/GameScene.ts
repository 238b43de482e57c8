import Phaser from "phaser";
import { PLAYER_MAX_HP, PLAYER_RADIUS, PROJECTILE_RADIUS } from "../../shared/constants.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { IDLE_INPUT, type PlayerView } from "../../shared/protocol.ts";
import { TYPING_KEY } from "../chatBox.ts";
import { Controls } from "../controls.ts";
import type { ArenaSession } from "../net/session.ts";
import "../probe.ts";
import {
  FLOOR_COLOR, GRID_COLOR, PROJECTILE_COLOR, TEXT_COLOR, WALL_COLOR, WALL_EDGE_COLOR, playerColor,
} from "../palette.ts";

const GRID_STEP = 80; // u

/**
 * The match itself: samples the controls, lets the session send and predict,
 * then draws the arena, the players and the projectiles where the session says.
 * The HUD runs beside it as its own scene.
 */
export class GameScene extends Phaser.Scene {
  private session!: ArenaSession;
  private controls!: Controls;
  private shapes!: Phaser.GameObjects.Graphics;
  private readonly labels = new Map<string, Phaser.GameObjects.Text>();
  private myPosition: { x: number; y: number } | undefined;

  constructor() {
    super("GameScene");
  }

  create(data: { session: ArenaSession }) {
    this.session = data.session;
    this.controls = new Controls(this);
    this.drawArena();
    this.shapes = this.add.graphics();
    this.scene.launch("HudScene", { session: this.session });
    this.scene.launch("NetGraphScene", { session: this.session });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      for (const label of this.labels.values()) label.destroy();
      this.labels.clear();
      this.scene.stop("NetGraphScene");
      window.arenaProbe = undefined;
    });
  }

  update(time: number) {
    // While a chat line is being typed the keys belong to the text field: stand still.
    const controls = this.registry.get(TYPING_KEY) ? IDLE_INPUT : this.controls.sample(this.myPosition);
    this.session.update(time, controls);
    this.drawFrame();
  }

  private drawArena(): void {
    const g = this.add.graphics();
    g.fillStyle(FLOOR_COLOR, 1).fillRect(0, 0, ARENA_MAP.width, ARENA_MAP.height);
    g.lineStyle(1, GRID_COLOR, 1);
    for (let x = GRID_STEP; x < ARENA_MAP.width; x += GRID_STEP) g.lineBetween(x, 0, x, ARENA_MAP.height);
    for (let y = GRID_STEP; y < ARENA_MAP.height; y += GRID_STEP) g.lineBetween(0, y, ARENA_MAP.width, y);
    for (const wall of ARENA_MAP.walls) {
      g.fillStyle(WALL_COLOR, 1).fillRect(wall.x, wall.y, wall.w, wall.h);
      g.lineStyle(2, WALL_EDGE_COLOR, 1).strokeRect(wall.x, wall.y, wall.w, wall.h);
    }
    g.lineStyle(4, WALL_EDGE_COLOR, 1).strokeRect(0, 0, ARENA_MAP.width, ARENA_MAP.height);
  }

  private drawFrame(): void {
    const g = this.shapes.clear();
    const state = this.session.state;
    if (!state.players) return;

    g.fillStyle(PROJECTILE_COLOR, 1);
    this.session.projectiles.forEach((x, y) => g.fillCircle(x, y, PROJECTILE_RADIUS));

    const seen = new Set<string>();
    let drawn = 0;
    this.myPosition = undefined;
    state.players.forEach((player, id) => {
      seen.add(id);
      const label = this.labelFor(id, player);
      if (!player.alive) {
        label.setVisible(false);
        return;
      }
      const at = this.session.playerPosition(id, player);
      const isMe = id === this.session.sessionId;
      if (isMe) this.myPosition = { x: at.x, y: at.y };
      this.drawPlayer(g, player, at, isMe);
      label.setVisible(true).setPosition(at.x, at.y + PLAYER_RADIUS + 6);
      drawn++;
    });
    for (const [id, label] of this.labels) {
      if (!seen.has(id)) {
        label.destroy();
        this.labels.delete(id);
      }
    }
    window.arenaProbe = {
      sessionId: this.session.sessionId, me: this.myPosition, playersDrawn: drawn,
      pingMs: this.session.pingMs, pendingInputs: this.session.pendingInputs,
      status: this.session.status, closedReason: this.session.closedReason,
      roomCode: this.session.privateCode, spectating: this.session.spectating,
      feed: this.session.feed.map((line) => line.text),
    };
  }

  private drawPlayer(g: Phaser.GameObjects.Graphics, player: PlayerView, at: { x: number; y: number; aim: number }, isMe: boolean): void {
    const color = playerColor(player.color);
    const barrel = PLAYER_RADIUS + 10;
    // A player whose connection is lost is frozen and cannot be hit: drawn faded.
    const alpha = player.connected ? 1 : 0.35;
    g.lineStyle(6, color, alpha).lineBetween(at.x, at.y, at.x + Math.cos(at.aim) * barrel, at.y + Math.sin(at.aim) * barrel);
    g.fillStyle(color, alpha).fillCircle(at.x, at.y, PLAYER_RADIUS);
    if (isMe) g.lineStyle(3, 0xffffff, 1).strokeCircle(at.x, at.y, PLAYER_RADIUS);
    if (player.shielded) g.lineStyle(2, 0x9be7ff, 0.8).strokeCircle(at.x, at.y, PLAYER_RADIUS + 6);
    const barWidth = PLAYER_RADIUS * 2;
    const top = at.y - PLAYER_RADIUS - 12;
    g.fillStyle(0x000000, 0.6).fillRect(at.x - barWidth / 2, top, barWidth, 5);
    g.fillStyle(player.hp > 30 ? 0x66e08a : 0xff6b6b, 1)
      .fillRect(at.x - barWidth / 2, top, (barWidth * player.hp) / PLAYER_MAX_HP, 5);
  }

  private labelFor(id: string, player: PlayerView): Phaser.GameObjects.Text {
    let label = this.labels.get(id);
    if (!label) {
      label = this.add.text(0, 0, "", { fontFamily: "sans-serif", fontSize: "18px", color: TEXT_COLOR }).setOrigin(0.5, 0);
      this.labels.set(id, label);
    }
    const text = player.connected ? player.name : `${player.name} (reconnecting)`;
    if (label.text !== text) label.setText(text);
    return label;
  }
}

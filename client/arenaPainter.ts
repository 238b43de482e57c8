import Phaser from "phaser";
import { PLAYER_MAX_HP, PLAYER_RADIUS, PROJECTILE_RADIUS } from "../shared/constants.ts";
import { ARENA_MAP, type ArenaMap } from "../shared/map.ts";
import {
  FLOOR_COLOR, GRID_COLOR, PROJECTILE_COLOR, TEXT_COLOR, WALL_COLOR, WALL_EDGE_COLOR, playerColor,
} from "./palette.ts";

const GRID_STEP = 80; // u

/** What is drawn of a player: the fields of the state's players (live or replayed) the picture needs. */
export interface DrawnPlayer {
  name: string;
  hp: number;
  alive: boolean;
  shielded: boolean;
  connected: boolean;
  /** Palette index; a player without one (a simulation's bot) takes the first colour. */
  color?: number;
}

/** Where a player is drawn this frame (world units) and where it aims (radians). */
export interface DrawnPose {
  x: number;
  y: number;
  aim: number;
}

/** A player as last drawn, fading: what the picture needs of it, where it was, and how opaque it is now. */
export interface FadingPlayer {
  readonly id: string;
  readonly alpha: number;
  readonly last: { player: DrawnPlayer; pose: DrawnPose };
}

/** The opacity of players coming into the picture, and those that left it and fade out (the large mode's view). */
export interface PlayerFades {
  alpha(id: string): number;
  leaving(): Iterable<FadingPlayer>;
}

/**
 * How a match looks, for any scene that shows one: the floor, grid and walls
 * of its map once, then every frame the projectiles and the players (body,
 * barrel, health bar, shield ring, name). It draws what it is given and knows
 * nothing of where the match comes from (the network, or a replay).
 */
export class ArenaPainter {
  private readonly scene: Phaser.Scene;
  private readonly floor: Phaser.GameObjects.Graphics;
  private readonly shapes: Phaser.GameObjects.Graphics;
  private readonly labels = new Map<string, Phaser.GameObjects.Text>();
  private map: ArenaMap;

  constructor(scene: Phaser.Scene, map: ArenaMap = ARENA_MAP) {
    this.scene = scene;
    this.map = map;
    this.floor = scene.add.graphics();
    drawMap(this.floor, map);
    this.shapes = scene.add.graphics();
  }

  /** Draws `map`'s floor and walls instead, if it is not the map shown (the large mode's arrives with the state). */
  showMap(map: ArenaMap): void {
    if (map === this.map) return;
    this.map = map;
    drawMap(this.floor.clear(), map);
  }

  /** The map whose floor and walls are drawn. */
  get mapShown(): ArenaMap {
    return this.map;
  }

  /** Starts a frame: clears the previous frame's projectiles and players. */
  clear(): void {
    this.shapes.clear();
  }

  projectile(x: number, y: number, alpha = 1): void {
    this.shapes.fillStyle(PROJECTILE_COLOR, alpha).fillCircle(x, y, PROJECTILE_RADIUS);
  }

  /**
   * Draws every living player at `poseOf(id, player)`, the one with id `meId`
   * ringed, each as opaque as `fades` says, and the players fading out where
   * they were last; labels of players no longer present are removed. Returns
   * how many were drawn (fading out or not) and where `meId` was.
   */
  players<P extends DrawnPlayer>(
    players: { forEach(callback: (player: P, id: string) => void): void },
    poseOf: (id: string, player: P) => DrawnPose,
    meId?: string,
    fades?: PlayerFades,
  ): { drawn: number; me?: { x: number; y: number } } {
    const seen = new Set<string>();
    let drawn = 0;
    let me: { x: number; y: number } | undefined;
    players.forEach((player, id) => {
      seen.add(id);
      const label = this.labelFor(id, player);
      if (!player.alive) {
        label.setVisible(false);
        return;
      }
      const at = poseOf(id, player);
      const isMe = id === meId;
      if (isMe) me = { x: at.x, y: at.y };
      const alpha = fades?.alpha(id) ?? 1;
      this.drawPlayer(player, at, isMe, alpha);
      label.setVisible(true).setPosition(at.x, at.y + PLAYER_RADIUS + 6).setAlpha(alpha);
      drawn++;
    });
    for (const gone of fades?.leaving() ?? []) {
      const { player, pose } = gone.last;
      if (!player.alive) continue;
      seen.add(gone.id);
      this.drawPlayer(player, pose, false, gone.alpha);
      this.labelFor(gone.id, player).setVisible(true).setPosition(pose.x, pose.y + PLAYER_RADIUS + 6).setAlpha(gone.alpha);
      drawn++;
    }
    for (const [id, label] of this.labels) {
      if (!seen.has(id)) {
        label.destroy();
        this.labels.delete(id);
      }
    }
    return { drawn, me };
  }

  destroy(): void {
    for (const label of this.labels.values()) label.destroy();
    this.labels.clear();
  }

  private drawPlayer(player: DrawnPlayer, at: DrawnPose, isMe: boolean, opacity: number): void {
    const g = this.shapes;
    const color = playerColor(player.color ?? 0);
    const barrel = PLAYER_RADIUS + 10;
    // A player whose connection is lost is frozen and cannot be hit: drawn faded.
    const alpha = (player.connected ? 1 : 0.35) * opacity;
    g.lineStyle(6, color, alpha).lineBetween(at.x, at.y, at.x + Math.cos(at.aim) * barrel, at.y + Math.sin(at.aim) * barrel);
    g.fillStyle(color, alpha).fillCircle(at.x, at.y, PLAYER_RADIUS);
    if (isMe) g.lineStyle(3, 0xffffff, opacity).strokeCircle(at.x, at.y, PLAYER_RADIUS);
    if (player.shielded) g.lineStyle(2, 0x9be7ff, 0.8 * opacity).strokeCircle(at.x, at.y, PLAYER_RADIUS + 6);
    const barWidth = PLAYER_RADIUS * 2;
    const top = at.y - PLAYER_RADIUS - 12;
    g.fillStyle(0x000000, 0.6 * opacity).fillRect(at.x - barWidth / 2, top, barWidth, 5);
    g.fillStyle(player.hp > 30 ? 0x66e08a : 0xff6b6b, opacity)
      .fillRect(at.x - barWidth / 2, top, (barWidth * player.hp) / PLAYER_MAX_HP, 5);
  }

  private labelFor(id: string, player: DrawnPlayer): Phaser.GameObjects.Text {
    let label = this.labels.get(id);
    if (!label) {
      label = this.scene.add.text(0, 0, "", { fontFamily: "sans-serif", fontSize: "18px", color: TEXT_COLOR }).setOrigin(0.5, 0);
      this.labels.set(id, label);
    }
    const text = player.connected ? player.name : `${player.name} (reconnecting)`;
    if (label.text !== text) label.setText(text);
    return label;
  }
}

function drawMap(g: Phaser.GameObjects.Graphics, map: ArenaMap): void {
  g.fillStyle(FLOOR_COLOR, 1).fillRect(0, 0, map.width, map.height);
  g.lineStyle(1, GRID_COLOR, 1);
  for (let x = GRID_STEP; x < map.width; x += GRID_STEP) g.lineBetween(x, 0, x, map.height);
  for (let y = GRID_STEP; y < map.height; y += GRID_STEP) g.lineBetween(0, y, map.width, y);
  for (const wall of map.walls) {
    g.fillStyle(WALL_COLOR, 1).fillRect(wall.x, wall.y, wall.w, wall.h);
    g.lineStyle(2, WALL_EDGE_COLOR, 1).strokeRect(wall.x, wall.y, wall.w, wall.h);
  }
  g.lineStyle(4, WALL_EDGE_COLOR, 1).strokeRect(0, 0, map.width, map.height);
}

import Phaser from "phaser";
import { WORLD_HEIGHT, WORLD_WIDTH } from "../shared/constants.ts";
import { FLOOR_COLOR } from "./palette.ts";
import { BootScene } from "./scenes/BootScene.ts";
import { GameScene } from "./scenes/GameScene.ts";
import { HudScene } from "./scenes/HudScene.ts";
import { MenuScene } from "./scenes/MenuScene.ts";
import { NetGraphScene } from "./scenes/NetGraphScene.ts";
import { ReplayScene } from "./scenes/ReplayScene.ts";

/**
 * Starts Arena inside `parent`; the whole 1600×1200 arena is scaled to fit the
 * page. WebGL by default; `?renderer=canvas` forces Phaser's canvas renderer
 * (machines without usable WebGL).
 */
export function startGame(parent: HTMLElement): Phaser.Game {
  const renderer = new URLSearchParams(window.location.search).get("renderer");
  return new Phaser.Game({
    type: renderer === "canvas" ? Phaser.CANVAS : Phaser.AUTO,
    parent,
    width: WORLD_WIDTH,
    height: WORLD_HEIGHT,
    backgroundColor: FLOOR_COLOR,
    scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_BOTH },
    dom: { createContainer: true },
    input: { gamepad: true },
    // Keep simulating and sending inputs when the tab loses focus.
    disableContextMenu: true,
    // Scenes update in this order each frame: the net graph writes into the probe GameScene just built.
    scene: [BootScene, MenuScene, GameScene, HudScene, NetGraphScene, ReplayScene],
  });
}

startGame(document.getElementById("game")!);

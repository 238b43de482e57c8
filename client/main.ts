import Phaser from "phaser";
import { FLOOR_COLOR } from "./palette.ts";
import { BootScene } from "./scenes/BootScene.ts";
import { GameScene } from "./scenes/GameScene.ts";
import { HudScene } from "./scenes/HudScene.ts";
import { MenuScene } from "./scenes/MenuScene.ts";
import { NetGraphScene } from "./scenes/NetGraphScene.ts";
import { ReplayControlsScene } from "./scenes/ReplayControlsScene.ts";
import { ReplayScene } from "./scenes/ReplayScene.ts";

/**
 * Starts Arena inside `parent`. The canvas fills the window in CSS pixels and
 * follows its size (rotation, resize); each scene lays itself out in screen
 * pixels and the game camera chooses how much of the arena to show (see
 * `view/camera.ts`). WebGL by default; `?renderer=canvas` forces Phaser's
 * canvas renderer (machines without usable WebGL).
 */
export function startGame(parent: HTMLElement): Phaser.Game {
  const renderer = new URLSearchParams(window.location.search).get("renderer");
  return new Phaser.Game({
    type: renderer === "canvas" ? Phaser.CANVAS : Phaser.AUTO,
    parent,
    backgroundColor: FLOOR_COLOR,
    // The whole page goes fullscreen, not the canvas alone: the HUD's buttons, the chat box,
    // the settings and the touch sticks are page elements over the canvas.
    scale: { mode: Phaser.Scale.RESIZE, width: "100%", height: "100%", fullscreenTarget: document.documentElement },
    dom: { createContainer: true },
    input: { gamepad: true },
    // Keep simulating and sending inputs when the tab loses focus.
    disableContextMenu: true,
    // Scenes update in this order each frame (the HUD and the net graph write into GameScene's probe after every step).
    scene: [BootScene, MenuScene, GameScene, HudScene, NetGraphScene, ReplayScene, ReplayControlsScene],
  });
}

startGame(document.getElementById("game")!);

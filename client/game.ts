import Phaser from "phaser";
import type { ArenaSession } from "./net/session.ts";
import { handleEachKeyOnce } from "./input/phaserKeys.ts";
import { FLOOR_COLOR } from "./palette.ts";
import { GameScene, type MatchStart } from "./scenes/GameScene.ts";
import { HudScene } from "./scenes/HudScene.ts";
import { NetGraphScene } from "./scenes/NetGraphScene.ts";
import { ReplayControlsScene } from "./scenes/ReplayControlsScene.ts";
import { ReplayScene } from "./scenes/ReplayScene.ts";
import { followFrameRateCap } from "./view/frameRate.ts";

/**
 * The scenes, keyed as each names itself, in the order they update each frame
 * (the HUD and the net graph write into GameScene's probe after every step).
 * None starts by itself: the page's shell starts GameScene (which launches the
 * HUD and the net graph) or ReplayScene (which launches its controls).
 */
const SCENES = { GameScene, HudScene, NetGraphScene, ReplayScene, ReplayControlsScene } as const;

/** What the page's shell can ask of the game once it is loaded. */
export interface ArenaGame {
  /** Shows the match `session` is in (the game, the HUD and the net graph over it). */
  play(session: ArenaSession): void;
  /** Plays the replay file at `url` back. */
  replay(url: string): void;
}

/**
 * Starts Arena's Phaser game inside `parent`, with no scene running: the
 * canvas waits behind the HTML menu until the shell calls `play` or `replay`
 * (either may come before Phaser has booted: it starts the scene then).
 * `toMenu` is called with a sentence when a match's view closes for good and
 * the player goes back to the menu.
 *
 * This module and everything it imports (Phaser above all) are loaded in the
 * background while the menu is already working (see `main.ts`). The canvas
 * fills the window in CSS pixels and follows its size (rotation, resize); each
 * scene lays itself out in screen pixels and the game camera chooses how much
 * of the arena to show (see `view/camera.ts`). WebGL by default;
 * `?renderer=canvas` forces Phaser's canvas renderer (machines without usable WebGL).
 *
 * While no scene runs (the menu is up), the engine's loop sleeps: it would
 * otherwise clear and present an empty canvas every frame behind the menu, a
 * third of a core in a desktop Chromium drawing in software, and a phone's
 * battery. It wakes when a match or a replay starts. It draws at most as many
 * frames a second as the player's cap allows (`view/frameRate.ts`).
 */
export function startGame(parent: HTMLElement, toMenu: (notice: string) => void): ArenaGame {
  const renderer = new URLSearchParams(window.location.search).get("renderer");
  const game = new Phaser.Game({
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
  });
  handleEachKeyOnce(game);
  followFrameRateCap(game);
  // Added rather than listed in the config, which would start the first one at once.
  for (const [key, scene] of Object.entries(SCENES)) game.scene.add(key, scene);
  let showing = false;
  // After the frame that ran the scenes' last changes (a stop, or the boot), unless a scene was asked for since.
  const restAfterThisFrame = () => game.events.once(Phaser.Core.Events.POST_RENDER, () => { if (!showing) game.loop.sleep(); });
  restAfterThisFrame();
  const show = (start: () => void) => {
    showing = true;
    // Before the boot the loop has not started; the boot starts it.
    if (game.isRunning) game.loop.wake();
    start();
  };
  const leaveMatch = (notice: string) => {
    // The keys the match captured (WASD, the arrows, Space, Tab) would stay kept from the menu's text fields.
    game.input.keyboard?.clearCaptures();
    showing = false;
    restAfterThisFrame();
    toMenu(notice);
  };
  return {
    play(session) {
      show(() => game.scene.start("GameScene", { session, toMenu: leaveMatch } satisfies MatchStart));
    },
    replay(url) {
      show(() => game.scene.start("ReplayScene", { url }));
    },
  };
}

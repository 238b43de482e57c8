import type { LargeScreen } from "./largeScreen.ts";
import type { DrainMove } from "./net/drainMove.ts";
import type { ArenaSession } from "./net/session.ts";
import type { ArenaOnScreen } from "./view/camera.ts";

/**
 * What the game scene shares with the HUD over it for one match. The game
 * scene makes one per session and hands it to the HUD in the scene's start
 * data: the scenes share this object, never Phaser's global registry.
 */
export interface MatchScreen {
  readonly session: ArenaSession;
  /** Where the camera looked last and who was drawn (written by the game scene, read by the HUD). */
  readonly onScreen: ArenaOnScreen;
  /** The move to another game after a drain (the net layer's; the HUD shows it). */
  readonly move: DrainMove;
  /** The keys that the game would read, and whether something else has them now. */
  readonly keys: KeyFocus;
  /** The large mode's ways (set by the game scene once the state says the room is a large one). */
  large?: LargeScreen;
  /** Leaves the match's view (its scenes already stopped) for the menu, which shows `notice`. */
  readonly toMenu: (notice: string) => void;
}

/** Whether a text field or a dialog has the keyboard (the chat box, the settings): the game reads no controls then. */
export interface KeyFocus {
  typing: boolean;
}

/**
 * Seam: Phaser's keyboard queue (`game.input.keyboard.queue`, the
 * KeyboardManager's list of the frame's DOM key events).
 *
 * Phaser 4 pushes each key event onto that queue and at once has every
 * scene's keyboard plugin walk the whole queue, which it empties only at the
 * end of the frame. So when two key events come within one frame (two keys
 * pressed quickly, or a slow frame on a busy phone), the first is handled
 * again when the second comes: an F3 press followed by any key within the
 * frame toggled the net graph twice, leaving it as it was. Its only guard
 * drops an event equal to the one just handled, which a key's own release
 * defeats.
 *
 * This listener, added after Phaser's own on the same target, empties the
 * queue after every event Phaser took, so every scene handles each key event
 * once, when it comes. Nothing else reads the queue: scenes that were not
 * taking input at that moment would only have seen it again through the
 * same repetition.
 */
import Phaser from "phaser";

interface KeyboardManagerSeam {
  queue: KeyboardEvent[];
  target: EventTarget | undefined;
}

/** Thrown when Phaser's keyboard manager no longer looks as this seam expects. */
export const PHASER_KEYS_SEAM = "Phaser seam moved: the keyboard manager's queue (game.input.keyboard.queue and .target)";

/** Makes `game` handle each key event once; call once, before or after it boots. */
export function handleEachKeyOnce(game: Phaser.Game): void {
  const attach = () => {
    const manager = game.input.keyboard as unknown as Partial<KeyboardManagerSeam> | null;
    if (!manager) return; // the game was made without a keyboard
    if (!Array.isArray(manager.queue) || !manager.target) throw new Error(PHASER_KEYS_SEAM);
    const handled = () => {
      manager.queue!.length = 0;
    };
    manager.target.addEventListener("keydown", handled);
    manager.target.addEventListener("keyup", handled);
  };
  // The keyboard manager adds its listeners when the game boots; ours must come after them.
  if (game.isBooted) attach();
  else game.events.once(Phaser.Core.Events.READY, attach);
}

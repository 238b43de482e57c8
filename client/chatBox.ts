import Phaser from "phaser";
import { CHAT_MAX_LENGTH } from "../shared/protocol.ts";
import type { KeyFocus } from "./matchScreen.ts";

/**
 * The chat line editor over the HUD: Enter opens it, Enter sends, Escape
 * cancels. While it is open the game's keys are released to the text field
 * (Phaser's key capture is switched off, and `keys.typing` tells the game scene
 * to read no controls).
 * Lines are shown by the HUD as Phaser text, never as HTML.
 */
export class ChatBox {
  private readonly input: HTMLInputElement;
  /** Phaser owns the element's CSS display (it rewrites it every frame): visibility goes through it. */
  private readonly element: Phaser.GameObjects.DOMElement;
  private readonly scene: Phaser.Scene;
  private readonly keys: KeyFocus;

  /**
   * `canOpen` says whether Enter may open the box now (not while disconnected,
   * for instance). Enter is read from the DOM directly rather than through
   * Phaser's queued key events, so the Enter that sends a line cannot reopen it.
   */
  constructor(scene: Phaser.Scene, keys: KeyFocus, x: number, y: number, send: (text: string) => void, canOpen: () => boolean) {
    this.scene = scene;
    this.keys = keys;
    this.input = document.createElement("input");
    this.input.className = "chat-input";
    this.input.maxLength = CHAT_MAX_LENGTH;
    this.input.placeholder = "Say something (Enter to send, Esc to cancel)";
    this.input.setAttribute("aria-label", "Chat message");
    this.input.enterKeyHint = "send";
    this.input.setAttribute("autocomplete", "off");
    this.element = scene.add.dom(x, y, this.input).setOrigin(0, 1).setVisible(false);
    const openOnEnter = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || this.open || !canOpen()) return;
      event.preventDefault();
      this.show();
    };
    window.addEventListener("keydown", openOnEnter);
    scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => window.removeEventListener("keydown", openOnEnter));
    this.input.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Enter") {
        event.preventDefault();
        const text = this.input.value.trim();
        if (text) send(text);
        this.close();
      } else if (event.key === "Escape") {
        this.close();
      }
    });
    // Leaving an empty box closes it, so the controls come back at once (a phone has no Esc
    // key). A line being written stays open. (Phaser keeps the focus on a tap on the canvas:
    // the HUD calls `closeIfEmpty` for those.)
    this.input.addEventListener("blur", () => this.closeIfEmpty());
  }

  /** Closes the box unless a line is being written in it. */
  closeIfEmpty(): void {
    if (this.open && this.input.value.trim() === "") this.close();
  }

  /** Puts the box at (`x`, `y`), the top-left or bottom-left corner as `fromBottom` says, `width` px wide. */
  place(x: number, y: number, width: number, fromBottom: boolean): void {
    this.element.setPosition(x, y).setOrigin(0, fromBottom ? 1 : 0);
    this.input.style.width = `${width}px`;
  }

  get open(): boolean {
    return this.element.visible;
  }

  show(): void {
    this.input.value = "";
    this.element.setVisible(true);
    // Phaser shows the element at its next render; it must be displayed now to take the focus
    // (and, on a phone, to bring up the on-screen keyboard within the tap).
    this.input.style.display = "block";
    this.scene.input.keyboard?.disableGlobalCapture();
    this.keys.typing = true;
    this.input.focus();
  }

  close(): void {
    if (!this.open) return;
    this.element.setVisible(false);
    this.input.blur();
    this.scene.input.keyboard?.enableGlobalCapture();
    this.keys.typing = false;
  }
}

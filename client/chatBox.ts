import Phaser from "phaser";
import { CHAT_MAX_LENGTH } from "../shared/protocol.ts";

/** Phaser registry key that is true while the player is typing a chat line (the game ignores the keys then). */
export const TYPING_KEY = "typing";

/**
 * The chat line editor over the HUD: Enter opens it, Enter sends, Escape
 * cancels. While it is open the game's keys are released to the text field
 * (Phaser's key capture is switched off, and the game scene reads no controls).
 * Lines are shown by the HUD as Phaser text, never as HTML.
 */
export class ChatBox {
  private readonly input: HTMLInputElement;
  private readonly scene: Phaser.Scene;

  constructor(scene: Phaser.Scene, x: number, y: number, send: (text: string) => void) {
    this.scene = scene;
    this.input = document.createElement("input");
    this.input.className = "chat-input";
    this.input.maxLength = CHAT_MAX_LENGTH;
    this.input.placeholder = "Say something (Enter to send, Esc to cancel)";
    this.input.setAttribute("autocomplete", "off");
    scene.add.dom(x, y, this.input).setOrigin(0, 1);
    this.input.style.display = "none";
    this.input.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Enter") {
        const text = this.input.value.trim();
        if (text) send(text);
        this.close();
      } else if (event.key === "Escape") {
        this.close();
      }
    });
  }

  get open(): boolean {
    return this.input.style.display !== "none";
  }

  show(): void {
    this.input.value = "";
    this.input.style.display = "";
    this.scene.input.keyboard?.disableGlobalCapture();
    this.scene.registry.set(TYPING_KEY, true);
    this.input.focus();
  }

  close(): void {
    this.input.blur();
    this.input.style.display = "none";
    this.scene.input.keyboard?.enableGlobalCapture();
    // Leave the flag up until the Enter that closed the box has passed Phaser's own key handling.
    this.scene.time.delayedCall(0, () => this.scene.registry.set(TYPING_KEY, false));
  }
}

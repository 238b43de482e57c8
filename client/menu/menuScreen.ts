import { settingsPanel } from "../hud/settingsPanel.ts";
import type { Entry } from "../net/joining.ts";
import { LobbyWatcher } from "../net/lobby.ts";
import { settings } from "../settings.ts";
import { playerPanelButtons } from "../ui/menuButtons.ts";
import { isTouchDevice } from "../view/device.ts";
import { largeViewSize } from "../view/largeCamera.ts";
import { menuElements, renderRooms, type MenuElements } from "./menuForm.ts";

/** Puts a sentence on the menu's status line (a wait, a retry). */
export type Say = (sentence: string) => void;

/**
 * Takes the player into a game the way `entry` says, and resolves once the
 * game has taken over the screen; rejects with an `Error` whose message is a
 * sentence for the player. `say` keeps them informed meanwhile.
 */
export type EnterGame = (entry: Entry, say: Say) => Promise<void>;

/**
 * The title screen: a name, Quick Play (the arena, or the large mode), a private room to create or join by
 * its code, the live list of public rooms to join or watch, the leaderboard,
 * the player's matches and the settings. Plain DOM and the net layer, no game
 * engine: it works while Phaser is still on its way (see `main.ts`). It is an
 * HTML form over the canvas (laid out by CSS for any screen, read by screen
 * readers); anything that fails is explained on it, in words. One per page,
 * opened and closed as the player comes and goes.
 */
export class MenuScreen {
  private ui: MenuElements | undefined;
  private lobby: LobbyWatcher | undefined;
  private readonly endpoint: string;
  private readonly enter: EnterGame;
  /** A sentence about the page's address shown on every opening (a bad `?lag=`), or "". */
  private readonly addressNotice: string;

  constructor(endpoint: string, enter: EnterGame, addressNotice = "") {
    this.endpoint = endpoint;
    this.enter = enter;
    this.addressNotice = addressNotice;
  }

  /**
   * Puts the menu on the page (again) with `notice` on its status line, and
   * starts listening to the list of public games. Opening an open menu only
   * changes the notice.
   */
  open(notice = ""): void {
    if (this.ui) {
      this.ui.status.textContent = notice;
      return;
    }
    const ui = menuElements(isTouchDevice(), playerPanelButtons(this.endpoint));
    this.ui = ui;
    ui.name.value = settings.values.name;
    ui.status.textContent = [notice, this.addressNotice].filter(Boolean).join(" ");
    document.body.append(ui.screen);
    // No focus jump on a touch device: it would open the on-screen keyboard over the menu.
    if (!isTouchDevice()) ui.name.focus();
    this.watchLobby(ui, this.wire(ui));
  }

  /** Takes the menu off the page, with the settings dialog if it was open, and stops listening to the lobby. */
  close(): void {
    this.lobby?.close();
    this.lobby = undefined;
    settingsPanel().close();
    this.ui?.screen.remove();
    this.ui = undefined;
  }

  /**
   * Shows `sentence` and keeps the ways into a game disabled while `work`
   * runs. If it fails, its message goes on the status line; either way the
   * buttons come back if the menu is still open when it ends.
   */
  busy(sentence: string, work: Promise<unknown>): void {
    const ui = this.ui;
    if (!ui) return;
    const buttons = [...ui.form.querySelectorAll<HTMLButtonElement>("button:not(.secondary)")];
    for (const button of buttons) button.disabled = true;
    ui.status.textContent = sentence;
    const done = (message: string) => {
      if (this.ui !== ui) return;
      for (const button of buttons) button.disabled = false;
      ui.status.textContent = message;
    };
    work.then(() => done(""), (error: Error) => done(error.message));
  }

  /** Listens to the form's controls; returns the way in that the list of games' buttons take. */
  private wire(ui: MenuElements): (entry: Entry) => void {
    const go = (entry: Entry) => {
      settings.update({ name: ui.name.value.trim() });
      const say: Say = (sentence) => { if (this.ui === ui) ui.status.textContent = sentence; };
      this.busy(entry.kind === "watch" ? "Joining as a spectator…" : "Connecting…", this.enter(entry, say));
    };
    const name = () => ui.name.value;
    const code = () => {
      const typed = ui.code.value.trim();
      if (typed === "") {
        ui.status.textContent = "Type the room code first.";
        ui.code.focus();
      }
      return typed;
    };
    const joinByCode = () => { const c = code(); if (c) go({ kind: "code", code: c, name: name() }); };
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      go({ kind: "quickPlay", name: name() });
    });
    // Enter in the code box joins that room rather than submitting Quick Play.
    ui.code.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      joinByCode();
    });
    ui.playLarge.addEventListener("click", () => go({ kind: "quickPlay", name: name(), large: screenView() }));
    ui.createPrivate.addEventListener("click", () => go({ kind: "createPrivate", name: name() }));
    ui.joinCode.addEventListener("click", joinByCode);
    ui.watchCode.addEventListener("click", () => { const c = code(); if (c) go({ kind: "watch", roomId: c, name: name() }); });
    ui.settings.addEventListener("click", () => settingsPanel().open());
    return go;
  }

  /** The live list of public games, each with Join and Watch, until the menu closes. */
  private watchLobby(ui: MenuElements, go: (entry: Entry) => void): void {
    const name = () => ui.name.value;
    const render = () => renderRooms(ui.rooms, this.lobby?.sorted() ?? [], (room, watch) => go(watch
      ? { kind: "watch", roomId: room.roomId, name: name() }
      : { kind: "code", code: room.roomId, name: name(), large: room.metadata.mode === "large" ? screenView() : undefined }));
    LobbyWatcher.open(this.endpoint, render).then(
      (lobby) => {
        if (this.ui !== ui) return lobby.close();
        this.lobby = lobby;
        render();
      },
      () => { if (this.ui === ui) ui.rooms.textContent = "The list of games is not available right now."; },
    );
  }
}

/** The view to ask a large room for: what the game's canvas (the whole window) shows at the large mode's zoom. */
function screenView() {
  return largeViewSize(window.innerWidth, window.innerHeight);
}

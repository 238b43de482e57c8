import Phaser from "phaser";
import { gameServerEndpoint } from "../net/endpoint.ts";
import { LobbyWatcher } from "../net/lobby.ts";
import { parseNetworkProfile } from "../net/networkProfile.ts";
import type { Entry } from "../net/joining.ts";
import { ArenaSession } from "../net/session.ts";
import { settingsPanel } from "../hud/settingsPanel.ts";
import { menuElements, renderRooms } from "../menu/menuForm.ts";
import { settings } from "../settings.ts";
import { playerPanelButtons } from "../ui/menuButtons.ts";
import { isTouchDevice } from "../view/device.ts";

/**
 * The title screen: a name, Quick Play, a private room to create or join by
 * its code, the live list of public rooms to join or watch, and the settings.
 * It is an HTML form over the canvas (laid out by CSS for any screen, read
 * by screen readers); anything that fails is explained on it, in words.
 */
export class MenuScene extends Phaser.Scene {
  private lobby: LobbyWatcher | undefined;

  constructor() {
    super("MenuScene");
  }

  create(data: { notice?: string }) {
    const ui = menuElements(isTouchDevice());
    ui.name.value = settings.values.name;
    // A simulated network asked for in the address (?lag=&jitter=&loss=); a bad value is said here and ignored.
    const network = parseNetworkProfile(window.location.search);
    ui.status.textContent = [data?.notice, network.ok ? undefined : network.error].filter(Boolean).join(" ");
    // Leaderboard and My matches beside Settings, at the foot of the menu.
    const panels = playerPanelButtons(gameServerEndpoint());
    ui.settings.replaceWith(panels);
    panels.append(ui.settings);
    document.body.append(ui.screen);
    // No focus jump on a touch device: it would open the on-screen keyboard over the menu.
    if (!isTouchDevice()) ui.name.focus();

    const buttons = () => ui.form.querySelectorAll<HTMLButtonElement>("button:not(.secondary)");
    const go = (entry: Entry) => {
      for (const button of buttons()) button.disabled = true;
      ui.status.textContent = entry.kind === "watch" ? "Joining as a spectator…" : "Connecting…";
      settings.update({ name: ui.name.value.trim() });
      ArenaSession.enter(gameServerEndpoint(), entry, network.ok ? network.profile : undefined, (sentence) => { ui.status.textContent = sentence; })
        .then((session) => this.scene.start("GameScene", { session }))
        .catch((error: Error) => {
          for (const button of buttons()) button.disabled = false;
          ui.status.textContent = error.message;
        });
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
    ui.createPrivate.addEventListener("click", () => go({ kind: "createPrivate", name: name() }));
    ui.joinCode.addEventListener("click", joinByCode);
    ui.watchCode.addEventListener("click", () => { const c = code(); if (c) go({ kind: "watch", roomId: c, name: name() }); });
    ui.settings.addEventListener("click", () => settingsPanel().open());

    const render = () => renderRooms(ui.rooms, this.lobby?.sorted() ?? [], (room, watch) =>
      go(watch ? { kind: "watch", roomId: room.roomId, name: name() } : { kind: "code", code: room.roomId, name: name() }));
    LobbyWatcher.open(gameServerEndpoint(), render).then(
      (lobby) => {
        if (!this.scene.isActive()) return lobby.close();
        this.lobby = lobby;
        render();
      },
      () => { ui.rooms.textContent = "The list of games is not available right now."; },
    );
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.lobby?.close();
      this.lobby = undefined;
      settingsPanel().close();
      ui.screen.remove();
    });
  }
}

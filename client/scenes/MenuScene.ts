import Phaser from "phaser";
import { NAME_MAX_LENGTH } from "../../shared/constants.ts";
import { gameServerEndpoint } from "../net/endpoint.ts";
import { LobbyWatcher, type ListedRoom } from "../net/lobby.ts";
import { parseNetworkProfile } from "../net/networkProfile.ts";
import type { Entry } from "../net/joining.ts";
import { ArenaSession } from "../net/session.ts";
import { MUTED_TEXT_COLOR, TEXT_COLOR } from "../palette.ts";
import { playerPanelButtons } from "../ui/menuButtons.ts";

const NAME_KEY = "arena.name";

/**
 * The title screen: a name, Quick Play, a private room to create or join by
 * its code, and the live list of public rooms to join or watch. Anything that
 * fails is explained on this screen, in words.
 */
export class MenuScene extends Phaser.Scene {
  private lobby: LobbyWatcher | undefined;

  constructor() {
    super("MenuScene");
  }

  create(data: { notice?: string }) {
    const { width, height } = this.scale;
    this.add.text(width / 2, height * 0.12, "ARENA", {
      fontFamily: "sans-serif", fontSize: "120px", fontStyle: "bold", color: TEXT_COLOR,
    }).setOrigin(0.5);
    this.add.text(width / 2, height * 0.21, "Move: WASD / arrows   Aim: mouse   Fire: click / Space   Scores: Tab   Chat: Enter", {
      fontFamily: "sans-serif", fontSize: "24px", color: MUTED_TEXT_COLOR,
    }).setOrigin(0.5);

    const ui = menuElements();
    ui.name.value = localStorage.getItem(NAME_KEY) ?? "";
    // A simulated network asked for in the address (?lag=&jitter=&loss=); a bad value is said here and ignored.
    const network = parseNetworkProfile(window.location.search);
    ui.status.textContent = [data?.notice, network.ok ? undefined : network.error].filter(Boolean).join(" ");
    ui.form.insertBefore(playerPanelButtons(gameServerEndpoint()), ui.status);
    this.add.dom(width / 2, height * 0.6, ui.form);
    ui.name.focus();

    const go = (entry: Entry) => {
      for (const button of ui.form.querySelectorAll("button")) button.disabled = true;
      ui.status.textContent = entry.kind === "watch" ? "Joining as a spectator…" : "Connecting…";
      localStorage.setItem(NAME_KEY, ui.name.value.trim());
      ArenaSession.enter(gameServerEndpoint(), entry, network.ok ? network.profile : undefined)
        .then((session) => this.scene.start("GameScene", { session }))
        .catch((error: Error) => {
          for (const button of ui.form.querySelectorAll("button")) button.disabled = false;
          ui.status.textContent = error.message;
        });
    };
    const name = () => ui.name.value;
    const code = () => {
      const typed = ui.code.value.trim();
      if (typed === "") ui.status.textContent = "Type the room code first.";
      return typed;
    };
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      go({ kind: "quickPlay", name: name() });
    });
    ui.createPrivate.addEventListener("click", () => go({ kind: "createPrivate", name: name() }));
    ui.joinCode.addEventListener("click", () => { const c = code(); if (c) go({ kind: "code", code: c, name: name() }); });
    ui.watchCode.addEventListener("click", () => { const c = code(); if (c) go({ kind: "watch", roomId: c, name: name() }); });

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
    });
  }
}

function menuElements() {
  const form = element("form", "menu");
  const name = element("input");
  name.name = "name";
  name.placeholder = "Your name";
  name.maxLength = NAME_MAX_LENGTH;
  name.setAttribute("autocomplete", "nickname");
  const play = button("Quick Play", "submit");
  const createPrivate = button("Create private room");
  const code = element("input", "code");
  code.placeholder = "Room code";
  code.maxLength = 12;
  code.setAttribute("autocomplete", "off");
  const joinCode = button("Join");
  const watchCode = button("Watch");
  const status = element("p", "status");
  status.setAttribute("role", "status");
  const rooms = element("div", "rooms");
  const first = element("div", "row");
  first.append(play, createPrivate);
  const second = element("div", "row");
  second.append(code, joinCode, watchCode);
  form.append(name, first, second, status, rooms);
  return { form, name, play, createPrivate, code, joinCode, watchCode, status, rooms };
}

/** The public rooms as rows of text (never HTML from the server) with Join and Watch buttons. */
function renderRooms(container: HTMLElement, rooms: ListedRoom[], choose: (room: ListedRoom, watch: boolean) => void): void {
  container.replaceChildren();
  if (rooms.length === 0) {
    container.textContent = "No public games yet: Quick Play starts one.";
    return;
  }
  for (const room of rooms) {
    const { players, maxPlayers, spectators, phase, timeLeft, open } = room.metadata;
    const row = element("div", "room");
    const label = element("span");
    const clock = `${Math.floor(timeLeft / 60)}:${String(timeLeft % 60).padStart(2, "0")}`;
    label.textContent = `${players}/${maxPlayers} players · ${spectators} watching · ${phase === "playing" ? `${clock} left` : "scoreboard"}`;
    const join = button(open ? "Join" : "Full");
    join.disabled = !open;
    join.addEventListener("click", () => choose(room, false));
    const watch = button("Watch");
    watch.addEventListener("click", () => choose(room, true));
    row.append(label, join, watch);
    container.append(row);
  }
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  return created;
}

function button(text: string, type: "button" | "submit" = "button"): HTMLButtonElement {
  const created = element("button");
  created.type = type;
  created.textContent = text;
  return created;
}

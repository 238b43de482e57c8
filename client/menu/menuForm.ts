import { NAME_MAX_LENGTH } from "../../shared/constants.ts";
import type { ListedRoom } from "../net/lobby.ts";
import { formatClock } from "../view/clock.ts";

/** The menu's elements, built once per visit to the menu. */
export interface MenuElements {
  /** The whole screen: a page of its own over the canvas, scrolling inside itself when short. */
  screen: HTMLElement;
  form: HTMLFormElement;
  name: HTMLInputElement;
  play: HTMLButtonElement;
  createPrivate: HTMLButtonElement;
  code: HTMLInputElement;
  joinCode: HTMLButtonElement;
  watchCode: HTMLButtonElement;
  settings: HTMLButtonElement;
  status: HTMLParagraphElement;
  rooms: HTMLElement;
}

const KEYBOARD_HELP = "Move: WASD or arrows · Aim: mouse · Fire: click or Space · Scores: Tab · Chat: Enter · Settings: Esc";
const TOUCH_HELP = "Left thumb moves · right thumb aims and fires (a tap fires once) · buttons at the top for chat, scores and settings";

/**
 * The title screen as a plain form: the name with its label, Quick Play (the
 * form's submit, so Enter plays), a private room to create or join by code,
 * the status line (read out by screen readers), the public games and the
 * settings. Focus runs in reading order. `touch` picks the controls help.
 */
export function menuElements(touch: boolean): MenuElements {
  const screen = element("main", "menu-screen");
  const form = element("form", "menu");
  form.setAttribute("aria-labelledby", "menu-title");
  const title = element("h1");
  title.id = "menu-title";
  title.textContent = "ARENA";
  const help = element("p", "help");
  help.textContent = touch ? TOUCH_HELP : KEYBOARD_HELP;

  const name = element("input", "name");
  name.id = "menu-name";
  name.name = "name";
  name.placeholder = "Your name";
  name.maxLength = NAME_MAX_LENGTH;
  name.setAttribute("autocomplete", "nickname");
  name.enterKeyHint = "go";
  const play = button("Quick Play", "submit");
  play.className = "primary";
  const createPrivate = button("Create private room");
  const code = element("input", "code");
  code.id = "menu-code";
  code.name = "code";
  code.placeholder = "Code";
  code.maxLength = 12;
  code.setAttribute("autocomplete", "off");
  code.setAttribute("autocapitalize", "characters");
  code.enterKeyHint = "join";
  const joinCode = button("Join");
  const watchCode = button("Watch");
  const status = element("p", "status");
  status.setAttribute("role", "status");
  const roomsTitle = element("h2");
  roomsTitle.id = "menu-rooms-title";
  roomsTitle.textContent = "Public games";
  const rooms = element("div", "rooms");
  rooms.setAttribute("role", "list");
  rooms.setAttribute("aria-labelledby", roomsTitle.id);
  const settings = button("Settings");
  settings.className = "secondary";

  const first = element("div", "row");
  first.append(play, createPrivate);
  const second = element("div", "row");
  second.append(code, joinCode, watchCode);
  form.append(
    title, help,
    labelFor(name, "Name"), name, first,
    labelFor(code, "Private room code"), second,
    status, roomsTitle, rooms, settings,
  );
  screen.append(form);
  return { screen, form, name, play, createPrivate, code, joinCode, watchCode, settings, status, rooms };
}

/** The public rooms as rows of text (never HTML from the server) with Join and Watch buttons. */
export function renderRooms(container: HTMLElement, rooms: ListedRoom[], choose: (room: ListedRoom, watch: boolean) => void): void {
  container.replaceChildren();
  if (rooms.length === 0) {
    container.textContent = "No public games yet: Quick Play starts one.";
    return;
  }
  for (const room of rooms) {
    const { players, maxPlayers, spectators, phase, timeLeft, open } = room.metadata;
    const row = element("div", "room");
    row.setAttribute("role", "listitem");
    const label = element("span");
    const clock = formatClock(timeLeft);
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

function labelFor(input: HTMLInputElement, text: string): HTMLLabelElement {
  const label = element("label");
  label.htmlFor = input.id;
  label.textContent = text;
  return label;
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

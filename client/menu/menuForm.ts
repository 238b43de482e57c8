import { NAME_MAX_LENGTH } from "../../shared/constants.ts";
import { LARGE_MAX_PLAYERS } from "../../shared/largeMode.ts";
import type { ListedRoom } from "../net/lobby.ts";
import { formatClock } from "../view/clock.ts";

/** The menu's elements, built once per visit to the menu. */
export interface MenuElements {
  /** The whole screen: a page of its own over the canvas, scrolling inside itself when short. */
  screen: HTMLElement;
  form: HTMLFormElement;
  name: HTMLInputElement;
  play: HTMLButtonElement;
  /** Quick play in the large mode. */
  playLarge: HTMLButtonElement;
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
 * The title screen as a plain form, in two parts that stand one above the
 * other, or side by side on a short wide screen (a phone on its side; see
 * style.css): first the title, the controls help (`touch` picks which), the
 * name with its label, Quick Play (the form's submit, so Enter plays), the
 * large mode's quick play and the status line (read out by screen readers); then a private room to join or
 * watch by code or to create, the public games, and a row of `panelButtons`
 * (the player panels) ended by Settings. Focus runs in reading order.
 */
export function menuElements(touch: boolean, panelButtons: HTMLElement): MenuElements {
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
  const playLarge = button(`Large game · up to ${LARGE_MAX_PLAYERS}`);
  playLarge.className = "large";
  const status = element("p", "status");
  status.setAttribute("role", "status");

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
  const createPrivate = button("Create private room");
  const roomsTitle = element("h2");
  roomsTitle.id = "menu-rooms-title";
  roomsTitle.textContent = "Public games";
  const rooms = element("div", "rooms");
  rooms.setAttribute("role", "list");
  rooms.setAttribute("aria-labelledby", roomsTitle.id);
  rooms.textContent = "Looking for public games…";
  const settings = button("Settings");
  settings.className = "secondary";
  panelButtons.classList.add("panels");
  panelButtons.append(settings);

  const start = element("div", "part start");
  start.append(title, help, labelFor(name, "Name"), name, play, playLarge, status);
  const codeRow = element("div", "row code");
  codeRow.append(code, joinCode, watchCode);
  const more = element("div", "part more");
  more.append(labelFor(code, "Private room code"), codeRow, createPrivate, roomsTitle, rooms, panelButtons);
  form.append(start, more);
  screen.append(form);
  return { screen, form, name, play, playLarge, createPrivate, code, joinCode, watchCode, settings, status, rooms };
}

/** The public rooms as rows of text (never HTML from the server) with Join and Watch buttons. */
export function renderRooms(container: HTMLElement, rooms: ListedRoom[], choose: (room: ListedRoom, watch: boolean) => void): void {
  container.replaceChildren();
  if (rooms.length === 0) {
    const empty = element("p", "empty");
    empty.textContent = "No public games yet: Quick Play starts one.";
    container.append(empty);
    return;
  }
  for (const room of rooms) {
    const { players, maxPlayers, spectators, phase, timeLeft, open, mode } = room.metadata;
    const row = element("div", "room");
    row.setAttribute("role", "listitem");
    const label = element("span");
    const clock = formatClock(timeLeft);
    label.textContent = `${mode === "large" ? "Large" : "Arena"} · ${players}/${maxPlayers} players · ${spectators} watching · ${phase === "playing" ? `${clock} left` : "scoreboard"}`;
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

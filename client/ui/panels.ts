/**
 * The shell of the player panels (Leaderboard, My matches): a DOM overlay on
 * top of the game, closed by its button, Escape, or a tap outside it. Plain
 * DOM rather than Phaser objects: lists that scroll, inputs a phone's
 * keyboard can type into, and text that is never HTML from the server.
 */
import "./panels.css";

export interface Panel {
  /** Where the panel's content goes, under its title bar. */
  readonly body: HTMLElement;
  close(): void;
}

/** Opens a panel titled `title`; `onClose` runs once when it goes. */
export function openPanel(title: string, onClose: () => void = () => {}): Panel {
  const overlay = element("div", "player-panel");
  overlay.setAttribute("role", "dialog");
  overlay.setAttribute("aria-label", title);
  const card = element("div", "card");
  const header = element("header");
  const heading = element("h2");
  heading.textContent = title;
  const closeButton = button("Close", "quiet");
  header.append(heading, closeButton);
  const body = element("div", "list-wrap");
  body.style.display = "contents";
  card.append(header, body);
  overlay.append(card);
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    overlay.remove();
    document.removeEventListener("keydown", onKey, true);
    onClose();
  };
  // Captured first and stopped: Escape closes the panel and nothing else (not the game's own keys).
  const onKey = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === "Escape") close();
  };
  closeButton.addEventListener("click", close);
  overlay.addEventListener("pointerdown", (event) => { if (event.target === overlay) close(); });
  document.addEventListener("keydown", onKey, true);
  document.body.append(overlay);
  return { body, close };
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  return created;
}

export function button(text: string, className?: string): HTMLButtonElement {
  const created = element("button", className);
  created.type = "button";
  created.textContent = text;
  return created;
}

/** A line of a list: cells of text, the first dimmed (a rank or a date), the last bold (the value). */
export function line(cells: { rank?: string; what: string; value?: string }, highlighted = false): HTMLDivElement {
  const row = element("div", highlighted ? "line me" : "line");
  if (cells.rank !== undefined) row.append(text("span", "rank", cells.rank));
  row.append(text("span", "what", cells.what));
  if (cells.value !== undefined) row.append(text("span", "value", cells.value));
  return row;
}

export function text<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, content: string): HTMLElementTagNameMap[K] {
  const created = element(tag, className);
  created.textContent = content;
  return created;
}

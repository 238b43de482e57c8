import type { RoomView } from "../net/roomMode.ts";
import { actionButtons, reportForm, type PlayerActions } from "./playerActions.ts";
import { LINES_PER_COLUMN, scoreTable, type ScoreLine, type ScoreTable } from "./scoreTable.ts";
import "./scoreboard.css";

/**
 * The scores over the middle of the screen, in the game's own type and
 * colours, the player's own line outlined: shown while the match is over,
 * while Tab is held, or while pinned open (the touch button). An HTML table
 * laid out by CSS (`scoreboard.css`): sixteen lines fit a phone either way up
 * (two columns of eight on a short wide screen). Taps go through it to the
 * game, but for the Mute and Report buttons on the other players' lines
 * (`playerActions.ts`). Below the touch buttons' row where there is one (`touch`).
 */
export class Scoreboard {
  /** Pinned open by the touch button. */
  pinned = false;
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly body: HTMLElement;
  private readonly footer: HTMLParagraphElement;
  /** What the table shows now, to touch the DOM only when it changes. */
  private shownKey = "";
  private readonly actions: PlayerActions | undefined;
  /** The player whose report's reasons are open under the table. */
  private reporting: { id: string; name: string } | undefined;

  constructor(touch: boolean, actions?: PlayerActions) {
    this.actions = actions;
    this.element = element("section", touch ? "scoreboard touch" : "scoreboard");
    this.element.setAttribute("aria-label", "Scores");
    this.element.hidden = true;
    this.heading = element("h2", "title");
    this.body = element("div", "lines");
    this.footer = element("p", "standing");
    this.element.append(this.heading, this.body, this.footer);
    document.body.append(this.element);
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  /**
   * Shows the table for `state` as `myId` sees it when `held` (Tab), pinned,
   * or between matches; hides it otherwise. `footer` goes under the table
   * (the player's rank this week, or "").
   */
  update(state: RoomView, myId: string, held: boolean, footer = ""): void {
    const shown = state.phase === "scoreboard" || held || this.pinned;
    this.element.hidden = !shown;
    if (!shown) return;
    const table = scoreTable(state, myId);
    const key = JSON.stringify([table, footer, this.actions?.muted.key, this.reporting]);
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.render(table, footer);
  }

  /** Takes the table off the page. */
  destroy(): void {
    this.element.remove();
  }

  private render(table: ScoreTable, footer: string): void {
    this.heading.textContent = table.title;
    const columns = table.lines.length > LINES_PER_COLUMN ? 2 : 1;
    this.body.classList.toggle("two", columns === 2);
    // A header over each column (the second shows only when the lines sit in two columns).
    const heads = [header(""), header("second")];
    this.body.replaceChildren(...heads, ...table.lines.map((line) => this.row(line)));
    if (this.reporting && this.actions) this.body.append(reportForm(this.actions, this.reporting, () => { this.reporting = undefined; }));
    this.footer.textContent = footer;
    this.footer.hidden = footer === "";
  }

  private row(line: ScoreLine): HTMLElement {
    const created = row(line);
    if (!this.actions || line.me) return created;
    created.classList.add("others");
    created.append(actionButtons(this.actions, line, (id, name) => { this.reporting = { id, name }; }));
    // A tap shows the buttons where nothing hovers (a phone).
    created.addEventListener("click", () => created.classList.toggle("open"));
    return created;
  }
}

function header(extra: string): HTMLElement {
  const line = element("div", `head ${extra}`.trim());
  line.append(cell("rank", "#"), cell("name", "Name"), cell("number", "Kills"), cell("number", "Deaths"));
  return line;
}

function row(line: ScoreLine): HTMLElement {
  const created = element("div", line.me ? "line me" : "line");
  const name = cell("name", line.name);
  const swatch = element("span", "swatch");
  swatch.style.background = line.color;
  name.prepend(swatch);
  created.append(cell("rank", String(line.rank)), name, cell("number", String(line.kills)), cell("number", String(line.deaths)));
  return created;
}

function cell(className: string, text: string): HTMLSpanElement {
  const created = element("span", className);
  created.textContent = text;
  return created;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  created.className = className;
  return created;
}

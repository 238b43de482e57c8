/**
 * What a player can do about another from the scoreboard: mute them for
 * oneself (their chat hidden on this browser, kept in localStorage by name,
 * the name being what the player sees and so what they mute) and report them
 * to the moderators with a reason (the room's `report` message).
 */

/** The reasons a report can give, one click each. */
export const REPORT_REASONS = ["Cheating", "Abusive chat", "Offensive name", "Griefing"] as const;

const STORAGE_KEY = "arena.mutedPlayers";

/** The names whose chat this browser hides. */
export class MutedPlayers {
  private readonly names: Set<string>;
  private readonly storage: Storage | undefined;

  constructor(storage: Storage | undefined = typeof localStorage === "undefined" ? undefined : localStorage) {
    this.storage = storage;
    this.names = new Set(readNames(storage));
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** Mutes `name`, or unmutes it when it was muted; true when it is muted now. */
  toggle(name: string): boolean {
    const muted = !this.names.delete(name);
    if (muted) this.names.add(name);
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify([...this.names]));
    } catch {
      // Storage full or refused (a private window): the mute holds for this page.
    }
    return muted;
  }

  /** A key that changes whenever the set does (the scoreboard redraws on it). */
  get key(): string {
    return [...this.names].join("\n");
  }
}

function readNames(storage: Storage | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === "string") : [];
  } catch {
    return [];
  }
}

/** What the scoreboard's buttons act through. */
export interface PlayerActions {
  muted: MutedPlayers;
  /** Sends a report on `sessionId`; the server answers with a notice in the feed. */
  report(sessionId: string, reason: string): void;
}

/** The Mute and Report buttons of another player's line; `reporting` opens the reasons under the table. */
export function actionButtons(actions: PlayerActions, line: { id: string; name: string }, reporting: (id: string, name: string) => void): HTMLElement {
  const cell = document.createElement("span");
  cell.className = "actions";
  const mute = button(actions.muted.has(line.name) ? "Unmute" : "Mute", `${actions.muted.has(line.name) ? "Unmute" : "Mute"} ${line.name}`, () => {
    actions.muted.toggle(line.name);
  });
  const report = button("Report", `Report ${line.name}`, () => reporting(line.id, line.name));
  cell.append(mute, report);
  return cell;
}

/** "Report <name> for:" and one button per reason, and Cancel; each calls `done` after. */
export function reportForm(actions: PlayerActions, target: { id: string; name: string }, done: () => void): HTMLElement {
  const form = document.createElement("div");
  form.className = "report";
  form.setAttribute("role", "group");
  form.setAttribute("aria-label", `Report ${target.name}`);
  const label = document.createElement("span");
  label.textContent = `Report ${target.name} for:`;
  form.append(label, ...REPORT_REASONS.map((reason) => button(reason, `${reason}`, () => {
    actions.report(target.id, reason);
    done();
  })), button("Cancel", "Cancel the report", done));
  return form;
}

function button(text: string, label: string, onClick: () => void): HTMLButtonElement {
  const created = document.createElement("button");
  created.type = "button";
  created.textContent = text;
  created.setAttribute("aria-label", label);
  // The game reads the pointer on the page: a click on a button is not a shot.
  created.addEventListener("pointerdown", (event) => event.stopPropagation());
  created.addEventListener("click", (event) => {
    event.stopPropagation();
    onClick();
  });
  return created;
}

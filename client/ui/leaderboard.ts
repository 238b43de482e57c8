import type { Board, LeaderboardEntry, LeaderboardPage, Period } from "../../shared/playerApi.ts";
import { profileFor } from "../net/profile.ts";
import { element, line, openPanel, text } from "./panels.ts";

const BOARD_NAMES: Record<Board, string> = { kills: "Kills", wins: "Wins", kd: "Kills per death" };
const PERIOD_NAMES: Record<Period, string> = { week: "This week", all: "All time" };

/** How a board's value reads: kills per death with two decimals, counts as they are. */
function shown(board: Board, value: number): string {
  return board === "kd" ? value.toFixed(2) : String(value);
}

/**
 * The Leaderboard panel: kills, wins or kills per death, this week or all
 * time; the top 100, and the player's own neighbourhood when they are on the
 * board (their line highlighted).
 */
export function openLeaderboard(endpoint: string): void {
  const profiles = profileFor(endpoint);
  const panel = openPanel("Leaderboard");
  const boardChoice = select(BOARD_NAMES, "kills");
  const periodChoice = select(PERIOD_NAMES, "week");
  const choices = element("div", "choices");
  choices.append(boardChoice, periodChoice);
  const note = text("p", "note", "Loading…");
  const list = element("div", "list");
  list.dataset.testid = "leaderboard";
  panel.body.append(choices, note, list);

  let myId: string | undefined;
  let asked = 0;
  const load = async () => {
    const ask = ++asked;
    const board = boardChoice.value as Board;
    const period = periodChoice.value as Period;
    note.className = "note";
    note.textContent = "Loading…";
    try {
      myId ??= profiles.secret ? (await profiles.me().catch(() => undefined))?.id : undefined;
      const answer = await profiles.leaderboard(board, period, myId);
      if (ask !== asked) return;
      render(list, answer, myId);
      const minimum = answer.minMatches > 1 ? ` Ranked from ${answer.minMatches} matches on.` : "";
      const mine = answer.around?.find((entry) => entry.id === myId);
      note.textContent = (answer.entries.length === 0 ? "Nobody is on this board yet." : mine ? `You are #${mine.rank}.` : "") + minimum;
    } catch (error) {
      if (ask !== asked) return;
      note.className = "note error";
      note.textContent = error instanceof Error ? error.message : "The leaderboard is not available right now.";
    }
  };
  boardChoice.addEventListener("change", () => void load());
  periodChoice.addEventListener("change", () => void load());
  void load();
}

function render(list: HTMLElement, answer: LeaderboardPage, myId: string | undefined): void {
  const rows = (entries: LeaderboardEntry[]) => entries.map((entry) =>
    line({ rank: `#${entry.rank}`, what: entry.name || "(no name)", value: shown(answer.board, entry.value) }, entry.id === myId));
  list.replaceChildren(...rows(answer.entries));
  // The player's neighbourhood, when it lies below the top list.
  const shownIds = new Set(answer.entries.map((entry) => entry.id));
  const below = (answer.around ?? []).filter((entry) => !shownIds.has(entry.id));
  if (below.length > 0) list.append(text("p", "note", "…"), ...rows(below));
}

function select<T extends string>(options: Record<T, string>, chosen: T): HTMLSelectElement {
  const created = element("select");
  for (const [value, label] of Object.entries(options) as Array<[T, string]>) {
    const option = element("option");
    option.value = value;
    option.textContent = label;
    option.selected = value === chosen;
    created.append(option);
  }
  return created;
}

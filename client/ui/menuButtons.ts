import { openMyMatches } from "./history.ts";
import { openLeaderboard } from "./leaderboard.ts";

/**
 * The menu's row of player panels: Leaderboard and My matches (the menu adds
 * Settings at its end). Watch replay opens the replay viewer (`?replay=URL`)
 * in this tab; the browser's Back returns to the menu.
 */
export function playerPanelButtons(endpoint: string): HTMLDivElement {
  const row = document.createElement("div");
  row.className = "row";
  const make = (label: string, open: () => void) => {
    const created = document.createElement("button");
    created.type = "button";
    created.className = "secondary";
    created.textContent = label;
    created.addEventListener("click", open);
    return created;
  };
  const watch = (replayUrl: string) => {
    const query = new URLSearchParams(window.location.search);
    query.set("replay", replayUrl);
    window.location.assign(`?${query}`);
  };
  row.append(make("Leaderboard", () => openLeaderboard(endpoint)), make("My matches", () => openMyMatches(endpoint, watch)));
  return row;
}

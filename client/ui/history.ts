import type { HistoryEntry } from "../../shared/playerApi.ts";
import { ApiError, profileFor, type MyProfile, type ProfileClient } from "../net/profile.ts";
import { button, element, line, openPanel, text } from "./panels.ts";

/** "1st", "2nd", "3rd", "4th", "11th", "21st"… */
function ordinal(place: number): string {
  const tens = place % 100;
  if (tens >= 11 && tens <= 13) return `${place}th`;
  return `${place}${["th", "st", "nd", "rd"][place % 10] ?? "th"}`;
}

/**
 * The My matches panel: the player's totals and last 20 matches (place,
 * kills, deaths), each with a Watch replay button where the server kept the
 * recording; below, the account: claim the profile with a username and
 * password, log in to one from another device, or delete it.
 */
export function openMyMatches(endpoint: string, watch: (replayUrl: string) => void): void {
  const profiles = profileFor(endpoint);
  const panel = openPanel("My matches");
  const summary = text("p", "note", "Loading…");
  const list = element("div", "list");
  list.dataset.testid = "my-matches";
  const account = element("div", "account");
  panel.body.append(summary, list, account);

  const load = async () => {
    summary.className = "note";
    let me: MyProfile | undefined;
    try {
      me = await profiles.me();
    } catch (error) {
      summary.textContent = error instanceof ApiError && error.status === 401
        ? "No matches yet: play one, and it shows here." : errorText(error);
      list.replaceChildren();
      renderAccount(account, profiles, undefined, load);
      return;
    }
    const { matches, wins, kills, deaths } = me.totals;
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : what.endsWith("h") ? "es" : "s"}`;
    summary.textContent = `${me.name || "You"}${me.username ? ` (${me.username})` : ""}: ${count(matches, "match")}, ${count(wins, "win")}, ${count(kills, "kill")}, ${count(deaths, "death")}.`;
    renderAccount(account, profiles, me, load);
    try {
      const { matches: played } = await profiles.matches(me.id);
      list.replaceChildren(...played.map((match) => matchLine(match, profiles, watch)));
      if (played.length === 0) list.append(text("p", "note", "No matches yet: play one, and it shows here."));
    } catch (error) {
      list.replaceChildren(text("p", "note error", errorText(error)));
    }
  };
  void load();
}

function matchLine(match: HistoryEntry, profiles: ProfileClient, watch: (replayUrl: string) => void): HTMLElement {
  const when = new Date(match.endedAt).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
  const row = line({ rank: ordinal(match.placement), what: `${when} · ${match.kills} K / ${match.deaths} D · ${match.players} players` });
  if (match.replayUrl) {
    const replay = button("Watch replay");
    replay.addEventListener("click", () => watch(profiles.url(match.replayUrl!)));
    row.append(replay);
  }
  return row;
}

/** Claim (unclaimed profile), log in (any visitor), delete (a profile that exists). */
function renderAccount(container: HTMLElement, profiles: ProfileClient, me: MyProfile | undefined, reload: () => Promise<void>): void {
  container.replaceChildren();
  const status = text("p", "note", "");
  const form = element("form");
  const username = element("input");
  username.placeholder = "Username";
  username.autocomplete = "username";
  username.maxLength = 20;
  const password = element("input");
  password.type = "password";
  password.placeholder = "Password";
  password.maxLength = 128;
  const act = (what: () => Promise<unknown>, done: string) => async () => {
    status.className = "note";
    status.textContent = "…";
    try {
      await what();
      status.textContent = done;
      await reload();
    } catch (error) {
      status.className = "note error";
      status.textContent = errorText(error);
    }
  };
  const claim = button("Claim");
  claim.addEventListener("click", act(() => profiles.claim(username.value.trim(), password.value), "Claimed: log in with it on your other devices."));
  const login = button("Log in", "quiet");
  login.addEventListener("click", act(() => profiles.login(username.value.trim(), password.value), "Logged in."));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.append(username, password);
  if (!me?.claimed) form.append(me ? claim : login);
  if (me && !me.claimed) form.append(login);
  if (!me?.claimed) container.append(form);
  if (me) {
    const remove = button("Delete my profile", "quiet");
    remove.addEventListener("click", () => {
      if (!window.confirm("Delete your profile, its stats and its login? This cannot be undone.")) return;
      void act(() => profiles.deleteProfile(), "Deleted.")();
    });
    container.append(remove);
  }
  container.append(status);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : "Not available right now.";
}

// @ts-check
/**
 * The moderator page: at `/monitor/moderation` behind the admin's Basic auth
 * (the browser sends it), and at `/moderation` for moderators' profiles (the
 * profile secret this browser plays with, sent as a bearer). It shows the report queue with each report's chat and replay, the live rooms and
 * their players, the bans in force and the audit log, and the actions on
 * each, all through the moderation API (`/api/admin/…`, docs/moderation.md).
 * Plain JavaScript served as it is: the page is the admin's, outside the
 * game's build, and a few hundred lines of DOM need no bundler. Text from
 * players goes in as text (`textContent`), never as HTML.
 */

const REFRESH_MS = 5000;
const DAY_MINUTES = 24 * 60;
const MUTE_MINUTES = 10;

/** Under `/monitor/` the admin's Basic auth; elsewhere the profile secret this browser plays with on this server. */
const asAdmin = location.pathname.startsWith("/monitor/");

/** @returns {string | undefined} */
function profileSecret() {
  const keys = Object.keys(localStorage).filter((key) => key.startsWith("arena.profile."));
  const own = keys.find((key) => key === `arena.profile.${location.origin}`) ?? keys[0];
  return own === undefined ? undefined : localStorage.getItem(own) ?? undefined;
}

/** @param {string} method @param {string} path @param {unknown} [body] @returns {Promise<any>} */
async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = body === undefined ? {} : { "content-type": "application/json" };
  const secret = asAdmin ? undefined : profileSecret();
  if (secret) headers.authorization = `Bearer ${secret}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ?? `${response.status} ${response.statusText}`);
  return answer;
}

/**
 * An element with `text` (as text), classes and attributes.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag @param {{ text?: string, className?: string, attrs?: Record<string, string> }} [options]
 * @param {Array<Node | string>} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, options = {}, children = []) {
  const created = document.createElement(tag);
  if (options.text !== undefined) created.textContent = options.text;
  if (options.className) created.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) created.setAttribute(name, value);
  created.append(...children);
  return created;
}

/** @param {number} ms */
function when(ms) {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
}

/** The confirmation open now, if any: while one is open the page is not redrawn under it. */
let confirming = false;

/**
 * A button that opens a confirmation under `host`: the question, a reason
 * (prefilled) and Confirm / Cancel; Confirm runs `act(reason)` and redraws.
 * @param {string} label @param {HTMLElement} host @param {string} question @param {string} reason
 * @param {(reason: string) => Promise<unknown>} act @param {boolean} [danger]
 */
function action(label, host, question, reason, act, danger = false) {
  const button = el("button", { text: label, className: danger ? "danger" : "", attrs: { type: "button" } });
  button.addEventListener("click", () => {
    host.querySelector("form.confirm")?.remove();
    const input = el("input", { attrs: { "aria-label": "Reason", required: "", maxlength: "200" } });
    input.value = reason;
    const form = el("form", { className: "confirm", attrs: { "aria-label": question } }, [
      el("span", { text: question }), input,
      el("button", { text: "Confirm", attrs: { type: "submit" } }),
      el("button", { text: "Cancel", attrs: { type: "button", "data-cancel": "" } }),
    ]);
    form.querySelector("[data-cancel]")?.addEventListener("click", () => { form.remove(); confirming = false; });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(input.value.trim()).then(() => say(`Done: ${question}`), (error) => say(`Failed: ${error.message}`)).finally(() => {
        confirming = false;
        void refresh();
      });
    });
    confirming = true;
    host.append(form);
    input.focus();
  });
  return button;
}

/** @param {string} text */
function say(text) {
  const status = document.querySelector("[data-testid=status]");
  if (status) status.textContent = text;
}

/** @param {string} testId @param {Node[]} nodes @param {string} empty */
function fill(testId, nodes, empty) {
  const host = document.querySelector(`[data-testid=${testId}]`);
  host?.replaceChildren(...(nodes.length > 0 ? nodes : [el("p", { className: "empty", text: empty })]));
}

/** @param {any} report */
function reportCard(report) {
  const card = el("article", { className: "card", attrs: { "data-testid": "report" } });
  const chat = el("div", { className: "chat", attrs: { "aria-label": "Chat before the report" } },
    report.chat.map((/** @type {any} */ line) => el("p", { className: line.from === report.reportedName ? "reported" : "", text: `${line.from || "·"} ${line.text}` })));
  const links = el("p", {}, report.replayUrl
    ? [el("a", { text: "Watch replay", attrs: { href: `/?replay=${encodeURIComponent(report.replayUrl)}`, target: "_blank", rel: "noopener" } })]
    : [el("span", { className: "meta", text: "No recording of this match." })]);
  const target = report.reportedProfile ? { profileId: report.reportedProfile } : report.reportedAddress ? { address: report.reportedAddress } : undefined;
  const buttons = el("p");
  const banned = (/** @type {number | undefined} */ minutes) => async (/** @type {string} */ reason) => {
    await api("POST", "/api/admin/bans", { ...target, ...(minutes ? { minutes } : {}), reason });
    await api("POST", `/api/admin/reports/${report.id}/resolve`, { reason: `banned: ${reason}` });
  };
  if (target) {
    buttons.append(
      action("Ban 1 day", card, `Ban ${report.reportedName} for a day?`, report.reason, banned(DAY_MINUTES), true),
      action("Ban for good", card, `Ban ${report.reportedName} for good?`, report.reason, banned(undefined), true),
    );
  }
  buttons.append(action("Dismiss", card, `Dismiss this report on ${report.reportedName}?`, "no action needed",
    (reason) => api("POST", `/api/admin/reports/${report.id}/resolve`, { reason })));
  card.append(
    el("h3", { text: `${report.reportedName}, reported by ${report.reporterName}: ${report.reason}` }),
    el("p", { className: "meta", text: `${when(report.at)} · room ${report.roomId}${report.matchId ? ` · match ${report.matchId}` : ""}${report.reportedProfile ? ` · profile ${report.reportedProfile}` : " · a guest"}` }),
    chat, links, buttons,
  );
  return card;
}

/** @param {any} room */
function roomCard(room) {
  const card = el("article", { className: "card", attrs: { "data-testid": "room" } });
  const rows = room.players.map((/** @type {any} */ player) => {
    const cell = el("td");
    const on = (/** @type {string} */ kind, /** @type {number} */ minutes = 0) => (/** @type {string} */ reason) =>
      api("POST", "/api/admin/actions", { action: kind, roomId: room.roomId, sessionId: player.sessionId, reason, ...(minutes ? { minutes } : {}) });
    cell.append(
      action("Warn", card, `Warn ${player.name}?`, "", on("warn")),
      action("Mute", card, `Mute ${player.name} in chat for ${MUTE_MINUTES} minutes?`, "", on("mute", MUTE_MINUTES)),
      action("Rename", card, `Give ${player.name} a generated name?`, "offensive name", on("rename")),
      action("Kick", card, `Kick ${player.name}?`, "", on("kick"), true),
      action("Ban 1 day", card, `Ban ${player.name} for a day?`, "", (reason) => api("POST", "/api/admin/bans", {
        ...(player.profileId ? { profileId: player.profileId } : { address: player.address }), minutes: DAY_MINUTES, reason,
      }), true),
    );
    return el("tr", { attrs: { "data-testid": "player" } }, [
      el("td", { text: player.name }),
      el("td", { className: "meta", text: player.profileId ?? "guest" }),
      el("td", { className: "meta", text: player.address ?? "" }),
      el("td", { className: "meta", text: player.spectator ? "watching" : player.mutedUntil ? `muted until ${when(player.mutedUntil)}` : "" }),
      cell,
    ]);
  });
  card.append(el("h3", { text: `Room ${room.roomId}` }), el("table", {}, [
    el("thead", {}, [el("tr", {}, ["Name", "Profile", "Address", "", "Actions"].map((title) => el("th", { text: title })))]),
    el("tbody", {}, rows),
  ]));
  return card;
}

/** @param {any} ban */
function banRow(ban) {
  const row = el("article", { className: "card", attrs: { "data-testid": "ban" } });
  row.append(
    el("p", { text: `${ban.profileId ? `profile ${ban.profileId}` : ""}${ban.profileId && ban.address ? " · " : ""}${ban.address ? `address ${ban.address}` : ""}: ${ban.reason}` }),
    el("p", { className: "meta", text: `since ${when(ban.createdAt)} · ${ban.endsAt ? `until ${when(ban.endsAt)}` : "permanent"}` }),
    action("Lift", row, "Lift this ban?", "", (reason) => api("DELETE", `/api/admin/bans/${ban.id}`, { reason: reason || "lifted" })),
  );
  return row;
}

/** @param {any} entry */
function auditRow(entry) {
  const target = entry.targetName ?? entry.targetProfile ?? entry.targetAddress ?? "";
  return el("tr", { attrs: { "data-testid": "audit-entry" } }, [
    el("td", { className: "meta", text: when(entry.at) }), el("td", { text: entry.actor }), el("td", { text: entry.action }),
    el("td", { text: target }), el("td", { text: entry.reason }),
  ]);
}

async function refresh() {
  if (confirming) return;
  try {
    const [reports, rooms, bans, audit] = await Promise.all([
      api("GET", "/api/admin/reports"), api("GET", "/api/admin/rooms"), api("GET", "/api/admin/bans"), api("GET", "/api/admin/audit?limit=50"),
    ]);
    if (confirming) return;
    fill("reports", reports.reports.map(reportCard), "No open reports.");
    fill("rooms", rooms.rooms.filter((/** @type {any} */ room) => room.players.length > 0).map(roomCard), "Nobody is playing.");
    fill("bans", bans.bans.map(banRow), "No bans in force.");
    fill("audit", audit.entries.length > 0 ? [el("table", {}, [el("tbody", {}, audit.entries.map(auditRow))])] : [], "Nothing yet.");
    say(`Updated ${new Date().toLocaleTimeString()}`);
  } catch (error) {
    say(`Not updated: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (!asAdmin) document.querySelector("header nav")?.remove();
if (!asAdmin && profileSecret() === undefined) {
  say("This browser plays with no profile here: open the page from the browser you play with as a moderator, or use /monitor/moderation.");
} else {
  void refresh();
  setInterval(() => void refresh(), REFRESH_MS);
}

/**
 * The page's entry: the menu first, the game engine behind it.
 *
 * This module and what it imports are plain DOM and the Colyseus SDK with
 * the little of the net layer the menu uses (the lobby, the guest token, the
 * player's records): enough for a working menu (name, Quick Play, private
 * rooms, the live list of games, settings, leaderboard, matches), which the
 * page shows as soon as this script has run. Two downloads start here at once
 * and are awaited only when needed: the match's net layer (`net/session.ts`:
 * joining, prediction, interpolation, datagrams), small, which a choice in the
 * menu waits for; and Phaser with the scenes (`game.ts`), large, which the
 * room is entered in parallel with: the match starts the moment both are
 * there. The flow:
 *
 *   page load ─┬─ ?replay=URL ───────── (engine) → ReplayScene
 *              ├─ a seat held (reload) ─ resume ∥ engine → GameScene
 *              └─ menu ── a choice ──── enter  ∥ engine → GameScene ─┐
 *                  ↑────────────────── the match closed: back to the menu
 */
import "./style.css";
import type { ArenaGame } from "./game.ts";
import { MenuScreen, type Say } from "./menu/menuScreen.ts";
import { gameServerEndpoint } from "./net/endpoint.ts";
import { savedSeat } from "./net/joining.ts";
import { parseNetworkProfile } from "./net/networkProfile.ts";
import type { ArenaSession } from "./net/session.ts";

const endpoint = gameServerEndpoint();
const query = new URLSearchParams(window.location.search);
// A simulated network asked for in the address (?lag=&jitter=&loss=); a bad value is said on the menu and ignored.
const network = parseNetworkProfile(window.location.search);
const profile = network.ok ? network.profile : undefined;

const LOAD_FAILED = "The game could not be loaded: check the connection and reload the page.";
// Both downloads start now; nothing waits for them until a match or a replay needs them.
const matchNet = import("./net/session.ts").catch(() => { throw new Error(LOAD_FAILED); });
const engine: Promise<ArenaGame> = import("./game.ts").then(({ startGame }) => startGame(document.getElementById("game")!, backToMenu));
const menu = new MenuScreen(endpoint, (entry, say) => startMatch(matchNet.then(({ ArenaSession }) => ArenaSession.enter(endpoint, entry, profile, say)), say), network.ok ? "" : network.error);
let loadedGame: ArenaGame | undefined;
// A failed download is reported when it matters (a match), not as an unhandled rejection.
engine.then((game) => { loadedGame = game; }, () => undefined);
matchNet.catch(() => undefined);

const replay = query.get("replay");
if (replay) {
  const loading = document.createElement("p");
  loading.className = "loading";
  loading.textContent = "Loading the replay…";
  document.body.append(loading);
  engine.then(
    (game) => { loading.remove(); game.replay(replay); },
    (error: Error) => { loading.textContent = `The replay viewer could not be loaded: ${error.message}`; },
  );
} else {
  menu.open();
  // This tab held a seat before a reload: take it back, straight into the game.
  if (savedSeat.read()) menu.busy("Taking your seat back…", startMatch(matchNet.then(({ ArenaSession }) => ArenaSession.resume(endpoint, profile))));
}

/**
 * Waits for the room (`joining`) and the engine together, then hands the
 * session to the game and closes the menu. Rejects with a sentence for the
 * menu; a seat taken while the engine failed to load is given up. Resolves
 * without starting anything when there was no seat to resume.
 */
async function startMatch(joining: Promise<ArenaSession | undefined>, say: Say = () => {}): Promise<void> {
  const session = await joining;
  if (!session) return;
  if (!loadedGame) say("Loading the game…");
  let game: ArenaGame;
  try {
    game = await engine;
  } catch {
    void session.leave();
    throw new Error(LOAD_FAILED);
  }
  menu.close();
  game.play(session);
}

/**
 * The menu again once a match's view has closed, after the key press or tap
 * that closed it has run its course: a menu opened within its keydown would
 * take the keypress that follows, and Enter would start Quick Play at once.
 */
function backToMenu(notice: string): void {
  window.setTimeout(() => menu.open(notice), 0);
}

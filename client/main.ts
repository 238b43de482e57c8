/**
 * The page's entry: the menu first, the game engine behind it.
 *
 * This module and what it imports are plain DOM and the net layer (the
 * Colyseus SDK): enough for a working menu (name, Quick Play, private rooms,
 * the live list of games, settings, leaderboard, matches), which the page
 * shows as soon as this script has run. Phaser and the scenes (`game.ts`) are
 * a separate download, started here at once and awaited only when needed:
 * a choice in the menu enters the room in parallel with it, and the match
 * starts the moment both are there. The flow:
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
import { ArenaSession } from "./net/session.ts";

const endpoint = gameServerEndpoint();
const query = new URLSearchParams(window.location.search);
// A simulated network asked for in the address (?lag=&jitter=&loss=); a bad value is said on the menu and ignored.
const network = parseNetworkProfile(window.location.search);
const profile = network.ok ? network.profile : undefined;

const menu = new MenuScreen(endpoint, (entry, say) => startMatch(ArenaSession.enter(endpoint, entry, profile, say), say), network.ok ? "" : network.error);
// Starts downloading Phaser now; nothing waits for it until a match or a replay needs it.
const engine: Promise<ArenaGame> = import("./game.ts").then(({ startGame }) => startGame(document.getElementById("game")!, backToMenu));
let loadedGame: ArenaGame | undefined;
// A failed download is reported when it matters (a match), not as an unhandled rejection.
engine.then((game) => { loadedGame = game; }, () => undefined);

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
  if (savedSeat.read()) menu.busy("Taking your seat back…", startMatch(ArenaSession.resume(endpoint, profile)));
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
    throw new Error("The game could not be loaded: check the connection and reload the page.");
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

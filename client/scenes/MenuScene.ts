import Phaser from "phaser";
import { NAME_MAX_LENGTH } from "../../shared/constants.ts";
import { gameServerEndpoint } from "../net/endpoint.ts";
import { parseNetworkProfile } from "../net/networkProfile.ts";
import { ArenaSession } from "../net/session.ts";
import { MUTED_TEXT_COLOR, TEXT_COLOR } from "../palette.ts";

const NAME_KEY = "arena.name";

/** The title screen: a name field and Play. A failed join is explained here, in words. */
export class MenuScene extends Phaser.Scene {
  constructor() {
    super("MenuScene");
  }

  create(data: { notice?: string }) {
    const { width, height } = this.scale;
    this.add.text(width / 2, height * 0.22, "ARENA", {
      fontFamily: "sans-serif", fontSize: "120px", fontStyle: "bold", color: TEXT_COLOR,
    }).setOrigin(0.5);
    this.add.text(width / 2, height * 0.32, "Move: WASD / arrows   Aim: mouse   Fire: click / Space   Scores: Tab", {
      fontFamily: "sans-serif", fontSize: "26px", color: MUTED_TEXT_COLOR,
    }).setOrigin(0.5);

    const form = document.createElement("form");
    form.className = "menu";
    const name = document.createElement("input");
    name.name = "name";
    name.placeholder = "Your name";
    name.maxLength = NAME_MAX_LENGTH;
    name.setAttribute("autocomplete", "nickname");
    name.value = localStorage.getItem(NAME_KEY) ?? "";
    const play = document.createElement("button");
    play.type = "submit";
    play.textContent = "Play";
    const status = document.createElement("p");
    status.className = "status";
    status.setAttribute("role", "status");
    // A simulated network asked for in the address (?lag=&jitter=&loss=); a bad value is said here and ignored.
    const network = parseNetworkProfile(window.location.search);
    status.textContent = [data?.notice, network.ok ? undefined : network.error].filter(Boolean).join(" ");
    form.append(name, play, status);
    this.add.dom(width / 2, height * 0.5, form);
    name.focus();

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      play.disabled = true;
      status.textContent = "Connecting…";
      localStorage.setItem(NAME_KEY, name.value.trim());
      ArenaSession.join(gameServerEndpoint(), name.value, network.ok ? network.profile : undefined)
        .then((session) => this.scene.start("GameScene", { session }))
        .catch((error: Error) => {
          play.disabled = false;
          status.textContent = error.message;
        });
    });
  }
}

import Phaser from "phaser";
import { gameServerEndpoint } from "../net/endpoint.ts";
import { parseNetworkProfile } from "../net/networkProfile.ts";
import { ArenaSession } from "../net/session.ts";
import { TEXT_COLOR } from "../palette.ts";

/**
 * First scene. Everything is drawn with shapes, so there is nothing to load;
 * if this tab held a seat before a reload, it takes it back and goes straight
 * into the game, otherwise it opens the menu. With `?replay=URL` it plays that
 * replay back instead.
 */
export class BootScene extends Phaser.Scene {
  constructor() {
    super("BootScene");
  }

  create() {
    const { width, height } = this.scale;
    this.add.text(width / 2, height / 2, "Loading…", { fontFamily: "sans-serif", fontSize: "32px", color: TEXT_COLOR }).setOrigin(0.5);
    const replay = new URLSearchParams(window.location.search).get("replay");
    if (replay) {
      this.scene.start("ReplayScene", { url: replay });
      return;
    }
    const network = parseNetworkProfile(window.location.search);
    ArenaSession.resume(gameServerEndpoint(), network.ok ? network.profile : undefined).then(
      (session) => (session ? this.scene.start("GameScene", { session }) : this.scene.start("MenuScene")),
      (error: Error) => this.scene.start("MenuScene", { notice: error.message }),
    );
  }
}

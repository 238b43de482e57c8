import Phaser from "phaser";
import { TEXT_COLOR } from "../palette.ts";

/** First scene: everything is drawn with shapes, so there is nothing to load; it hands over to the menu. */
export class BootScene extends Phaser.Scene {
  constructor() {
    super("BootScene");
  }

  create() {
    const { width, height } = this.scale;
    this.add.text(width / 2, height / 2, "Loading…", { fontFamily: "sans-serif", fontSize: "32px", color: TEXT_COLOR }).setOrigin(0.5);
    this.scene.start("MenuScene");
  }
}

import Phaser from "phaser";

/** This overlay's scene key. */
export const LOW_HP_OVERLAY_KEY = "LowHpOverlay";

const WARNING_COLOR = 0xff2b2b;
/** Bands of the vignette, from the screen's edge inwards. */
const BANDS = 10;
/** One pulse, dim to bright (the tween runs it there and back). */
const PULSE_MS = 420; // ms

/**
 * The low-hp warning: a red vignette around the screen's edge that pulses
 * while the own player is alive with little hp. A scene of its own, so its
 * camera is never zoomed or scrolled with the world's: it stays in screen
 * pixels whatever the game camera does, and is redrawn when the screen
 * resizes. It sits just above the game scene, under the HUD.
 */
export class LowHpOverlay extends Phaser.Scene {
  private vignette!: Phaser.GameObjects.Graphics;
  private pulse!: Phaser.Tweens.Tween;
  private showing = false;

  constructor() {
    super(LOW_HP_OVERLAY_KEY);
  }

  create() {
    this.showing = false;
    this.vignette = this.add.graphics().setVisible(false);
    this.draw();
    this.pulse = this.tweens.add({
      targets: this.vignette, alpha: { from: 0.35, to: 1 }, duration: PULSE_MS,
      ease: "Sine.easeInOut", yoyo: true, repeat: -1, paused: true,
    });
    this.scale.on(Phaser.Scale.Events.RESIZE, this.draw, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.scale.off(Phaser.Scale.Events.RESIZE, this.draw, this));
  }

  /** Shows or hides the warning; cheap to call every frame. */
  setWarning(on: boolean): void {
    // Until its create has run (launching is queued to the next step), and after a stop, there is nothing to show.
    if (!this.sys.isActive() || on === this.showing) return;
    this.showing = on;
    this.vignette.setVisible(on);
    if (on) this.pulse.restart();
    else this.pulse.pause();
  }

  /** Whether the warning is on screen. */
  get warning(): boolean {
    return this.showing;
  }

  /**
   * Nested frames, most opaque at the edge: a vignette both renderers draw
   * (Phaser's gradient fills are WebGL-only).
   */
  private draw(): void {
    const { width, height } = this.scale;
    const band = Math.max(3, Math.min(width, height) * 0.012);
    const g = this.vignette.clear();
    for (let i = 0; i < BANDS; i++) {
      const inset = band * i + band / 2;
      g.lineStyle(band, WARNING_COLOR, 0.45 * (1 - i / BANDS) ** 2);
      g.strokeRect(inset, inset, width - 2 * inset, height - 2 * inset);
    }
  }
}

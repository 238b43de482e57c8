import Phaser from "phaser";
import { PLAYER_COLORS } from "../palette.ts";
import { settings } from "../settings.ts";
import type { EffectCounts } from "../probe.ts";

const SHAKE_MS = 140; // ms
/** Fraction of the view the camera moves at most while shaking. */
const SHAKE_INTENSITY = 0.005;
/** Drawn above the players and their labels. */
const EFFECTS_DEPTH = 10;

/**
 * The game's visual feedback, in world space: muzzle flashes, hit flashes,
 * hit markers, death bursts and respawn rings, all Phaser particle emitters
 * made once per scene and fired with `explode`, so each effect reuses the
 * emitter's particle pool (no objects made per shot). Textures are drawn once
 * per page with Graphics, nothing is loaded. Colours are baked into textures
 * rather than tinted: the canvas renderer ignores tints.
 */
export class ArenaEffects {
  readonly counts: EffectCounts = { muzzleFlash: 0, hitFlash: 0, hitMarker: 0, deathBurst: 0, respawn: 0, shake: 0 };
  private readonly scene: Phaser.Scene;
  private readonly muzzleGlow: Phaser.GameObjects.Particles.ParticleEmitter;
  private readonly muzzleSparks: Phaser.GameObjects.Particles.ParticleEmitter;
  private readonly hitGlow: Phaser.GameObjects.Particles.ParticleEmitter;
  private readonly marker: Phaser.GameObjects.Particles.ParticleEmitter;
  private readonly ring: Phaser.GameObjects.Particles.ParticleEmitter;
  private readonly sparkles: Phaser.GameObjects.Particles.ParticleEmitter;
  /** Death bursts in the player's colour, one emitter per colour, made on first use. */
  private readonly bursts = new Map<number, Phaser.GameObjects.Particles.ParticleEmitter>();
  /** The muzzle sparks' spread, moved to each shot's direction before it fires (degrees). */
  private readonly sparkAngle = { min: 0, max: 0 };

  constructor(scene: Phaser.Scene) {
    this.scene = scene;
    drawTextures(scene);
    this.muzzleGlow = this.emitter("fx.flash", {
      lifespan: 100, speed: 0, scale: { start: 1, end: 0.3 }, alpha: { start: 1, end: 0 },
    });
    this.muzzleSparks = this.emitter("fx.spark", {
      lifespan: { min: 80, max: 150 }, speed: { min: 160, max: 320 }, scale: { start: 1, end: 0.2 }, alpha: { start: 1, end: 0 },
    });
    this.hitGlow = this.emitter("fx.hit", {
      lifespan: 160, speed: 0, scale: { start: 1, end: 1.4 }, alpha: { start: 0.85, end: 0 },
    });
    this.marker = this.emitter("fx.marker", {
      lifespan: 300, speed: 0, scale: { start: 1.5, end: 1 }, alpha: { start: 1, end: 0 },
    });
    this.ring = this.emitter("fx.ring", {
      lifespan: 450, speed: 0, scale: { start: 0.3, end: 1.6 }, alpha: { start: 0.9, end: 0 },
    });
    this.sparkles = this.emitter("fx.sparkle", {
      lifespan: { min: 300, max: 520 }, speed: { min: 40, max: 120 }, scale: { start: 1, end: 0 }, alpha: { start: 1, end: 0 },
    });
  }

  /** A flash and a spray of sparks at a barrel's tip (world units), along `angle` (radians). */
  muzzleFlash(x: number, y: number, angle: number): void {
    const degrees = Phaser.Math.RadToDeg(angle);
    this.sparkAngle.min = degrees - 18;
    this.sparkAngle.max = degrees + 18;
    this.muzzleSparks.setEmitterAngle(this.sparkAngle);
    this.muzzleGlow.explode(1, x, y);
    this.muzzleSparks.explode(3, x, y);
    this.counts.muzzleFlash++;
  }

  /** A white flash over a player who was just hit. */
  hitFlash(x: number, y: number): void {
    this.hitGlow.explode(1, x, y);
    this.counts.hitFlash++;
  }

  /** The shooter's hit marker, a cross over the victim. */
  hitMarker(x: number, y: number): void {
    this.marker.explode(1, x, y);
    this.counts.hitMarker++;
  }

  /** A burst of fragments in the dead player's colour (palette index). */
  deathBurst(x: number, y: number, colorIndex: number): void {
    const index = ((colorIndex % PLAYER_COLORS.length) + PLAYER_COLORS.length) % PLAYER_COLORS.length;
    let burst = this.bursts.get(index);
    if (!burst) {
      burst = this.emitter(`fx.burst.${index}`, {
        lifespan: { min: 400, max: 800 }, speed: { min: 90, max: 360 }, scale: { start: 1.4, end: 0.1 },
        alpha: { start: 1, end: 0 }, rotate: { min: 0, max: 360 },
      });
      this.bursts.set(index, burst);
    }
    burst.explode(32, x, y);
    this.hitGlow.explode(1, x, y);
    this.counts.deathBurst++;
  }

  /** An expanding ring and rising sparkles where a player came back. */
  respawn(x: number, y: number): void {
    this.ring.explode(1, x, y);
    this.sparkles.explode(10, x, y);
    this.counts.respawn++;
  }

  /** A short camera shake (the own player was hit), unless the player turned it off. */
  shake(): void {
    if (!settings.values.screenShake) return;
    this.scene.cameras.main.shake(SHAKE_MS, SHAKE_INTENSITY);
    this.counts.shake++;
  }

  private emitter(texture: string, config: Phaser.Types.GameObjects.Particles.ParticleEmitterConfig) {
    return this.scene.add.particles(0, 0, texture, { ...config, emitting: false }).setDepth(EFFECTS_DEPTH);
  }
}

/** Draws the effects' textures into the page's texture manager, once. */
function drawTextures(scene: Phaser.Scene): void {
  if (scene.textures.exists("fx.flash")) return;
  const g = scene.make.graphics({}, false);
  const texture = (key: string, size: number, paint: (g: Phaser.GameObjects.Graphics, c: number) => void) => {
    g.clear();
    paint(g, size / 2);
    g.generateTexture(key, size, size);
  };
  // Soft discs: concentric circles, faint outside and bright at the core.
  const glow = (g: Phaser.GameObjects.Graphics, c: number, outer: number, inner: number) => {
    for (let r = c; r > 0; r -= 2) g.fillStyle(r > c * 0.45 ? outer : inner, 0.18).fillCircle(c, c, r);
  };
  texture("fx.flash", 40, (g, c) => glow(g, c, 0xffc64d, 0xfff8d0));
  texture("fx.hit", 52, (g, c) => glow(g, c, 0xffffff, 0xffffff));
  texture("fx.spark", 6, (g, c) => g.fillStyle(0xffe082, 1).fillCircle(c, c, c));
  texture("fx.sparkle", 6, (g, c) => g.fillStyle(0x9be7ff, 1).fillCircle(c, c, c));
  texture("fx.ring", 72, (g, c) => g.lineStyle(4, 0x9be7ff, 1).strokeCircle(c, c, c - 3));
  texture("fx.marker", 36, (g) => {
    g.lineStyle(5, 0xffffff, 1);
    g.lineBetween(3, 3, 13, 13).lineBetween(33, 3, 23, 13).lineBetween(3, 33, 13, 23).lineBetween(33, 33, 23, 23);
  });
  PLAYER_COLORS.forEach((color, index) => {
    texture(`fx.burst.${index}`, 10, (g) => g.fillStyle(color, 1).fillRect(0, 0, 10, 10));
  });
  g.destroy();
}

import { describe, expect, it } from "vitest";
import { HUD_BAND, MIN_ZOOM, TOUCH_HUD_BAND, computeView, letterbox, worldToScreen } from "../../client/view/camera.ts";

const WORLD = [1600, 1200] as const;

describe("camera view", () => {
  describe("a desktop screen", () => {
    it("shows the whole arena, centred below the HUD band, letterboxed at the sides", () => {
      const view = computeView(1280, 800, ...WORLD, { x: 100, y: 100 });
      expect(view.wholeWorld).toBe(true);
      expect(view.zoom).toBeCloseTo((800 - HUD_BAND) / 1200);
      expect(view.arena.y).toBeCloseTo(HUD_BAND);
      expect(view.arena.y + view.arena.height).toBeCloseTo(800);
      const margins = letterbox(view, 1280, 800);
      expect(margins.left).toBeCloseTo(margins.right);
      expect(margins.left).toBeGreaterThan(100);
      // The own player does not move the camera when everything is shown.
      expect(computeView(1280, 800, ...WORLD, { x: 1500, y: 1100 })).toEqual(view);
    });

    it("maps the world's corners onto the arena rectangle, and the centre point onto the screen's middle", () => {
      const view = computeView(1920, 1080, ...WORLD);
      expect(worldToScreen(view, 0, 0)).toEqual({ x: view.arena.x, y: view.arena.y });
      const far = worldToScreen(view, 1600, 1200);
      expect(far.x).toBeCloseTo(view.arena.x + view.arena.width);
      expect(far.y).toBeCloseTo(view.arena.y + view.arena.height);
      const middle = worldToScreen(view, view.centerX, view.centerY);
      expect(middle.x).toBeCloseTo(960);
      expect(middle.y).toBeCloseTo(540);
    });

    it("does not magnify past the largest zoom on a huge screen", () => {
      const view = computeView(7680, 4320, ...WORLD);
      expect(view.wholeWorld).toBe(true);
      expect(view.zoom).toBe(1.5);
    });
  });

  describe("a phone", () => {
    it("in portrait, follows the own player at a readable zoom, the world at the bottom and the spare height above it", () => {
      const view = computeView(390, 844, ...WORLD, { x: 800, y: 600 });
      expect(view.wholeWorld).toBe(false);
      expect(view.zoom).toBe(MIN_ZOOM);
      const player = worldToScreen(view, 800, 600);
      expect(player.x).toBeCloseTo(195);
      // 1200 u at 0.6 is 720 px: it fits under the band, so it stays put whatever the player does.
      expect(view.arena.y).toBeCloseTo(844 - 720);
      expect(letterbox(view, 390, 844).top).toBeGreaterThan(HUD_BAND);
      expect(computeView(390, 844, ...WORLD, { x: 800, y: 50 }).arena.y).toBeCloseTo(view.arena.y);
    });

    it("in landscape, follows on both axes and stops at the world's edges (the top one below the HUD band)", () => {
      const middle = computeView(844, 390, ...WORLD, { x: 800, y: 600 });
      const centred = worldToScreen(middle, 800, 600);
      expect(centred.x).toBeCloseTo(422);
      expect(centred.y).toBeCloseTo(195);
      const corner = computeView(844, 390, ...WORLD, { x: 10, y: 1190 });
      // Held at the world's top-left and bottom edges: no void shown past them.
      expect(corner.arena.x).toBeCloseTo(0);
      expect(corner.arena.y + corner.arena.height).toBeCloseTo(390);
      const other = computeView(844, 390, ...WORLD, { x: 1590, y: 10 }, TOUCH_HUD_BAND);
      expect(other.arena.x + other.arena.width).toBeCloseTo(844);
      // A player at the very top stands below the touch buttons, not under them.
      expect(other.arena.y).toBeCloseTo(TOUCH_HUD_BAND);
      expect(letterbox(other, 844, 390)).toEqual({ left: 0, right: 0, top: TOUCH_HUD_BAND, bottom: 0 });
    });

    it("centres on the world's middle when there is no own player (watching, dead)", () => {
      const view = computeView(844, 390, ...WORLD);
      expect(view.centerX).toBeCloseTo(800);
      expect(view.centerY).toBeCloseTo(600);
    });
  });

  it("gives finite numbers for a zero-sized screen (a page hidden during a resize)", () => {
    const view = computeView(0, 0, ...WORLD, { x: 5, y: 5 });
    for (const value of [view.zoom, view.centerX, view.centerY, view.arena.x, view.arena.y]) expect(Number.isFinite(value)).toBe(true);
  });
});

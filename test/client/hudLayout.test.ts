import { describe, expect, it } from "vitest";
import { computeView, TOUCH_HUD_BAND, type ScreenRect } from "../../client/view/camera.ts";
import { followView } from "../../client/view/largeCamera.ts";
import { EDGE, TOUCH_BUTTON, hudLayout, overlapsAny } from "../../client/view/hudLayout.ts";

describe("HUD layout", () => {
  it("on a wide desktop, puts the kill feed and the chat in the letterbox beside the arena", () => {
    const view = computeView(1920, 1080, 1600, 1200);
    const layout = hudLayout(1920, 1080, view.arena, 0);
    const arenaRight = view.arena.x + view.arena.width;
    // Right-aligned at the screen edge, and no wider than the margin right of the arena.
    expect(layout.killFeed.x - layout.killFeed.width).toBeGreaterThanOrEqual(arenaRight);
    expect(layout.chat.x + layout.chat.width).toBeLessThanOrEqual(view.arena.x);
    // The top line sits above the arena.
    expect(layout.clock.y + layout.fonts.clock).toBeLessThanOrEqual(view.arena.y);
  });

  it("on a phone, keeps the top-right corner for the touch buttons and splits the width between chat and kills", () => {
    for (const [width, height] of [[390, 844], [844, 390]]) {
      const view = computeView(width, height, 1600, 1200, { x: 800, y: 600 }, TOUCH_HUD_BAND);
      const layout = hudLayout(width, height, view.arena, 4);
      expect(layout.stats.y).toBeGreaterThanOrEqual(EDGE + TOUCH_BUTTON);
      expect(layout.killFeed.y).toBeGreaterThan(layout.stats.y);
      expect(layout.chat.x + layout.chat.width).toBeLessThanOrEqual(layout.killFeed.x - layout.killFeed.width);
      expect(layout.chatInput.width).toBeLessThanOrEqual(width - 2 * EDGE);
      expect(layout.fonts.status).toBeGreaterThanOrEqual(14);
    }
  });
});

describe("the large mode's minimap", () => {
  const aspect = 4000 / 3000;
  const overlap = (a: ScreenRect, b: ScreenRect) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  it("is only there when asked for, and leaves the arena's layout as it was", () => {
    const view = computeView(1280, 800, 1600, 1200);
    const arena = hudLayout(1280, 800, view.arena, 0);
    expect(arena.minimap).toBeUndefined();
    const { minimap, ...rest } = hudLayout(1280, 800, view.arena, 0, aspect);
    expect(rest).toEqual(arena);
    expect(minimap!.width / minimap!.height).toBeCloseTo(aspect, 1);
  });

  it("on a desktop, sits in the bottom-right corner on screen, clear of the chat column", () => {
    const view = followView(1024, 768, 4000, 3000, { x: 2000, y: 1500 });
    const layout = hudLayout(1024, 768, view.arena, 0, aspect);
    const box = layout.minimap!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    expect(box.y + box.height).toBeLessThanOrEqual(768);
    expect(box.x).toBeGreaterThan(layout.chat.x + layout.chat.width);
  });

  it("on a phone either way up, stays clear of the touch buttons and the sticks' lower half, with the chat below it", () => {
    for (const [width, height] of [[390, 844], [844, 390]]) {
      const view = followView(width, height, 4000, 3000, { x: 2000, y: 1500 }, TOUCH_HUD_BAND);
      const layout = hudLayout(width, height, view.arena, 4, aspect);
      const box = layout.minimap!;
      const buttons = { x: width - EDGE - 4 * TOUCH_BUTTON - 3 * EDGE, y: 0, width: 4 * TOUCH_BUTTON + 4 * EDGE, height: EDGE + TOUCH_BUTTON };
      expect(overlap(box, buttons)).toBe(false);
      expect(box.y).toBeGreaterThanOrEqual(layout.status.y + layout.fonts.status);
      expect(box.y + box.height).toBeLessThanOrEqual(height / 2);
      expect(box.x + box.width).toBeLessThanOrEqual(layout.killFeed.x - layout.killFeed.width);
      expect(layout.chat.y).toBeGreaterThanOrEqual(box.y + box.height);
    }
  });
});

describe("a player under a HUD text", () => {
  const box = { x: 100, y: 100, width: 200, height: 40 };

  it("counts a player whose circle reaches the box", () => {
    expect(overlapsAny(box, [{ x: 150, y: 120 }], 10)).toBe(true);
    expect(overlapsAny(box, [{ x: 90, y: 120 }], 15)).toBe(true);
    expect(overlapsAny(box, [{ x: 310, y: 150 }], 15)).toBe(true);
  });

  it("ignores players clear of it, corners included", () => {
    expect(overlapsAny(box, [{ x: 50, y: 50 }, { x: 400, y: 120 }], 20)).toBe(false);
    // Near the corner on both axes, but beyond the radius diagonally.
    expect(overlapsAny(box, [{ x: 88, y: 88 }], 15)).toBe(false);
    expect(overlapsAny(box, [], 100)).toBe(false);
  });
});

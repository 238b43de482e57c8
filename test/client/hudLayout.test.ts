import { describe, expect, it } from "vitest";
import { computeView, TOUCH_HUD_BAND } from "../../client/view/camera.ts";
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

import { describe, expect, it } from "vitest";
import { roomMap, roomMode, type RoomView } from "../../client/net/roomMode.ts";
import { nextFollowed } from "../../client/net/spectatorFollow.ts";
import { MAX_ZOOM, MIN_ZOOM } from "../../client/view/camera.ts";
import { followView, largeViewSize, largeZoom } from "../../client/view/largeCamera.ts";
import { largeMap } from "../../shared/largeMap.ts";
import { MAX_VIEW, MIN_VIEW } from "../../shared/largeMode.ts";
import { ARENA_MAP } from "../../shared/map.ts";

describe("the large mode on the client", () => {
  describe("the view a client joins with", () => {
    it("is the whole of MAX_VIEW on a desktop, as the arena's whole world is shown there", () => {
      expect(largeViewSize(1024, 768)).toEqual(MAX_VIEW);
      expect(largeViewSize(1920, 1080)).toEqual({ width: 1600, height: 900 });
    });

    it("is smaller on a phone, either way up, and never below MIN_VIEW", () => {
      for (const [width, height] of [[390, 844], [844, 390], [320, 568]]) {
        const view = largeViewSize(width, height);
        expect(view.width * view.height).toBeLessThan(MAX_VIEW.width * MAX_VIEW.height);
        expect(view.width).toBeGreaterThanOrEqual(MIN_VIEW.width);
        expect(view.height).toBeGreaterThanOrEqual(MIN_VIEW.height);
      }
      // A phone on its side shows what its screen holds at the smallest readable zoom.
      expect(largeViewSize(844, 390)).toEqual({ width: Math.round(844 / MIN_ZOOM), height: Math.round(390 / MIN_ZOOM) });
    });

    it("is what the camera shows at its zoom", () => {
      for (const [width, height] of [[1024, 768], [844, 390], [1280, 800]]) {
        const zoom = largeZoom(width, height);
        expect(zoom).toBeGreaterThanOrEqual(MIN_ZOOM);
        expect(zoom).toBeLessThanOrEqual(MAX_ZOOM);
        const view = largeViewSize(width, height);
        // At most a rounding off what the screen shows, or clamped below it.
        expect(view.width).toBeLessThanOrEqual(Math.round(width / zoom));
        expect(view.height).toBeLessThanOrEqual(Math.round(height / zoom));
      }
    });
  });

  describe("the camera", () => {
    const map = largeMap(7);

    it("puts the followed player in the middle of the screen away from the edges", () => {
      const view = followView(1024, 768, map.width, map.height, { x: 2000, y: 1500 });
      expect(view.wholeWorld).toBe(false);
      expect(view.centerX).toBeCloseTo(2000, 6);
      expect(view.centerY).toBeCloseTo(1500, 6);
    });

    it("never shows past the map's edges", () => {
      for (const focus of [{ x: 0, y: 0 }, { x: 4000, y: 3000 }, { x: 30, y: 2990 }]) {
        const view = followView(1024, 768, map.width, map.height, focus);
        expect(view.arena.x).toBeLessThanOrEqual(0);
        expect(view.arena.x + view.arena.width).toBeGreaterThanOrEqual(1024);
        expect(view.arena.y + view.arena.height).toBeGreaterThanOrEqual(768);
      }
    });
  });

  describe("the room's mode and map, from the state", () => {
    const arenaState = { players: new Map() } as unknown as RoomView;

    it("is the arena until a map seed is in the state", () => {
      expect(roomMode(arenaState)).toBe("arena");
      expect(roomMap(arenaState)).toBe(ARENA_MAP);
    });

    it("is the large map of the state's seed (seed 0 included)", () => {
      for (const seed of [0, 12345, 0xffffffff]) {
        const state = { ...arenaState, mapSeed: seed } as RoomView;
        expect(roomMode(state)).toBe("large");
        expect(roomMap(state)).toBe(largeMap(seed));
      }
    });
  });

  describe("whom a spectator watches next", () => {
    it("cycles through everyone in one order, from the first, whatever order they come in", () => {
      expect(nextFollowed(["c", "a", "b"])).toBe("a");
      expect(nextFollowed(["c", "a", "b"], "a")).toBe("b");
      expect(nextFollowed(["c", "a", "b"], "c")).toBe("a");
    });

    it("starts again from the first when the one watched left, and names nobody in an empty room", () => {
      expect(nextFollowed(["b", "c"], "a")).toBe("b");
      expect(nextFollowed([], "a")).toBeUndefined();
    });
  });
});

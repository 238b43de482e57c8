import { describe, expect, it } from "vitest";
import { PLAYER_RADIUS } from "../../shared/constants.ts";
import { circleOverlapsWall } from "../../shared/geometry.ts";
import { BLOCK, BLOCK_MARGIN, LARGE_WORLD_HEIGHT, LARGE_WORLD_WIDTH, largeMap } from "../../shared/largeMap.ts";
import { clampView, inArea, inView, MAX_VIEW, MIN_VIEW, VIEW_LEAVE_SLACK, VIEW_MARGIN, viewArea } from "../../shared/largeMode.ts";
import { positionGrid, wallsNear, type ArenaMap } from "../../shared/map.ts";
import { LARGE_POSITION, snap } from "../../shared/precision.ts";

const SEEDS = [0, 1, 7, 42, 0xdeadbeef, 123_456_789, 2 ** 32 - 1, 99, 31_337, 2026];

/** A clear point for a player's centre: inside the world by its radius, touching no wall. */
function clear(map: ArenaMap, x: number, y: number): boolean {
  if (x < PLAYER_RADIUS || y < PLAYER_RADIUS || x > map.width - PLAYER_RADIUS || y > map.height - PLAYER_RADIUS) return false;
  return wallsNear(map, x, y).every((wall) => !circleOverlapsWall(x, y, PLAYER_RADIUS, wall));
}

/** The cells (of `step` units) a player's centre can reach from `start` moving between clear cell centres, four ways. */
function reachable(map: ArenaMap, start: { x: number; y: number }, step: number): Set<number> {
  const columns = Math.floor(map.width / step);
  const rows = Math.floor(map.height / step);
  const cellOf = (x: number, y: number) => Math.floor(y / step) * columns + Math.floor(x / step);
  const clearCell = new Uint8Array(columns * rows);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      clearCell[row * columns + column] = clear(map, (column + 0.5) * step, (row + 0.5) * step) ? 1 : 0;
    }
  }
  const seen = new Set<number>([cellOf(start.x, start.y)]);
  const queue = [...seen];
  while (queue.length > 0) {
    const cell = queue.pop()!;
    const column = cell % columns;
    const row = Math.floor(cell / columns);
    for (const [dc, dr] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const c = column + dc;
      const r = row + dr;
      const next = r * columns + c;
      if (c < 0 || r < 0 || c >= columns || r >= rows || !clearCell[next] || seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

describe("the large mode's map (shared/largeMap.ts)", () => {
  it("is the same for the same seed, every time, and differs between seeds", () => {
    const first = largeMap(42);
    // Generated again from nothing (as another process would): the cache is per process.
    expect(JSON.parse(JSON.stringify(largeMap(42)))).toEqual(JSON.parse(JSON.stringify(first)));
    const layouts = new Set(SEEDS.map((seed) => JSON.stringify(largeMap(seed).walls)));
    expect(layouts.size).toBe(SEEDS.length);
  });

  it.each(SEEDS)("seed %i: 4000 × 3000, its walls inside their blocks' margins and point-symmetric, positions on its own grid", (seed) => {
    const map = largeMap(seed);
    expect([map.width, map.height]).toEqual([LARGE_WORLD_WIDTH, LARGE_WORLD_HEIGHT]);
    expect(map.seed).toBe(seed >>> 0);
    expect(map.walls.length).toBeGreaterThan(60);
    for (const wall of map.walls) {
      expect(wall.w).toBeGreaterThan(0);
      expect(wall.h).toBeGreaterThan(0);
      const block = { x: Math.floor(wall.x / BLOCK) * BLOCK, y: Math.floor(wall.y / BLOCK) * BLOCK };
      expect(wall.x - block.x).toBeGreaterThanOrEqual(BLOCK_MARGIN);
      expect(wall.y - block.y).toBeGreaterThanOrEqual(BLOCK_MARGIN);
      expect(block.x + BLOCK - (wall.x + wall.w)).toBeGreaterThanOrEqual(BLOCK_MARGIN);
      expect(block.y + BLOCK - (wall.y + wall.h)).toBeGreaterThanOrEqual(BLOCK_MARGIN);
      const image = { x: map.width - wall.x - wall.w, y: map.height - wall.y - wall.h, w: wall.w, h: wall.h };
      expect(map.walls).toContainEqual(image);
    }
    // The wire's grid reaches the far edge, and whole units lie on it.
    expect(positionGrid(map)).toBe(LARGE_POSITION);
    expect(LARGE_POSITION.max).toBeGreaterThan(map.width);
    expect(snap(positionGrid(map), 3999)).toBe(3999);
    expect(snap(positionGrid(map), 1234.0625)).toBe(1234.0625);
  });

  it.each(SEEDS)("seed %i: its spawn points are spread over the field, clear, and every one reachable from every other", (seed) => {
    const map = largeMap(seed);
    expect(map.spawnPoints.length).toBeGreaterThanOrEqual(40);
    for (const point of map.spawnPoints) expect(clear(map, point.x, point.y), `spawn ${point.x},${point.y}`).toBe(true);
    const xs = map.spawnPoints.map((point) => point.x);
    const ys = map.spawnPoints.map((point) => point.y);
    expect(Math.min(...xs)).toBeLessThan(map.width / 8);
    expect(Math.max(...xs)).toBeGreaterThan((map.width * 7) / 8);
    expect(Math.min(...ys)).toBeLessThan(map.height / 8);
    expect(Math.max(...ys)).toBeGreaterThan((map.height * 7) / 8);
    const step = 10;
    const region = reachable(map, map.spawnPoints[0], step);
    const columns = Math.floor(map.width / step);
    for (const point of map.spawnPoints) {
      expect(region.has(Math.floor(point.y / step) * columns + Math.floor(point.x / step)), `spawn ${point.x},${point.y} reachable`).toBe(true);
    }
    // And nearly all the open field with it: no pocket walled off anywhere.
    let open = 0;
    for (let y = step / 2; y < map.height; y += step) for (let x = step / 2; x < map.width; x += step) if (clear(map, x, y)) open++;
    expect(region.size).toBe(open);
  });
});

describe("the large mode's views (shared/largeMode.ts)", () => {
  it("hold what lies within the view and its margin, and let go only beyond the slack", () => {
    const phone = { width: 640, height: 480 };
    const area = viewArea(phone, 1000, 1000);
    // 320 + 160 across, 240 + 160 down.
    expect([area.halfWidth, area.halfHeight]).toEqual([320 + VIEW_MARGIN, 240 + VIEW_MARGIN]);
    expect(inArea(area, 1480, 1400)).toBe(true);
    expect(inArea(area, 1481, 1000)).toBe(false);
    expect(inArea(area, 1000, 599)).toBe(false);
    expect(inArea(area, 1481, 1000, VIEW_LEAVE_SLACK)).toBe(true);
    expect(inArea(area, 1481 + VIEW_LEAVE_SLACK, 1000, VIEW_LEAVE_SLACK)).toBe(false);
    expect(inView(phone, 1000, 1000, 1480, 1400)).toBe(true);
    expect(inView(phone, 1000, 1000, 1400, 1000, 0)).toBe(false);
  });

  it("clamps the view a client asks for, and takes a desktop's for anything else", () => {
    expect(clampView({ width: 100, height: 50_000 })).toEqual({ width: MIN_VIEW.width, height: MAX_VIEW.height });
    expect(clampView({ width: "wide" })).toEqual(MAX_VIEW);
    expect(clampView(undefined)).toEqual(MAX_VIEW);
  });
});

import { WORLD_HEIGHT, WORLD_WIDTH } from "./constants.ts";

/** An axis-aligned wall: top-left corner and size, in world units. */
export interface Wall {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The arena's layout: walls inside the 1600×1200 world and where players may spawn. */
export interface ArenaMap {
  readonly width: number;
  readonly height: number;
  readonly walls: readonly Wall[];
  readonly spawnPoints: readonly Point[];
}

/**
 * The one map. Point-symmetric about the centre so no spawn side is favoured;
 * the world's edges are walls too, handled by clamping rather than listed here.
 */
export const ARENA_MAP: ArenaMap = {
  width: WORLD_WIDTH,
  height: WORLD_HEIGHT,
  walls: [
    // centre cross
    { x: 760, y: 480, w: 80, h: 240 },
    { x: 640, y: 560, w: 120, h: 80 },
    { x: 840, y: 560, w: 120, h: 80 },
    // corner L-shapes
    { x: 240, y: 200, w: 200, h: 40 },
    { x: 240, y: 240, w: 40, h: 140 },
    { x: 1160, y: 960, w: 200, h: 40 },
    { x: 1320, y: 820, w: 40, h: 140 },
    { x: 1160, y: 200, w: 200, h: 40 },
    { x: 1320, y: 240, w: 40, h: 140 },
    { x: 240, y: 960, w: 200, h: 40 },
    { x: 240, y: 820, w: 40, h: 140 },
    // side pillars
    { x: 120, y: 560, w: 120, h: 80 },
    { x: 1360, y: 560, w: 120, h: 80 },
    { x: 760, y: 120, w: 80, h: 120 },
    { x: 760, y: 960, w: 80, h: 120 },
    // mid-field cover
    { x: 480, y: 400, w: 60, h: 60 },
    { x: 1060, y: 740, w: 60, h: 60 },
    { x: 1060, y: 400, w: 60, h: 60 },
    { x: 480, y: 740, w: 60, h: 60 },
  ],
  spawnPoints: [
    { x: 100, y: 100 },
    { x: 1500, y: 1100 },
    { x: 1500, y: 100 },
    { x: 100, y: 1100 },
    { x: 600, y: 100 },
    { x: 1000, y: 1100 },
    { x: 1000, y: 100 },
    { x: 600, y: 1100 },
    { x: 380, y: 600 },
    { x: 1220, y: 600 },
    { x: 800, y: 360 },
    { x: 800, y: 840 },
  ],
};

import { WORLD_HEIGHT, WORLD_WIDTH } from "./constants.ts";
import { POSITION_X, type Precision } from "./precision.ts";

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
  /** The seed a generated map was made from (the large mode's, `shared/largeMap.ts`); absent for a map written out. */
  readonly seed?: number;
  /** The grid positions travel on (both axes); the arena's `POSITION_X` when absent. */
  readonly grid?: Precision;
  /**
   * A map for many players (the large mode's): the step looks up the players
   * near each shot in a spatial index (`shared/playerGrid.ts`) instead of
   * trying every one. The arena's step stays as it is, so every match recorded
   * on it replays to the bit.
   */
  readonly crowded?: boolean;
}

/** The grid positions on `map` travel on, and the step snaps them to. */
export function positionGrid(map: ArenaMap): Precision {
  return map.grid ?? POSITION_X;
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

/** Side of a cell of the grid `wallsNear` looks walls up in. */
const GRID_CELL = 40; // u
/**
 * How far from a point `wallsNear` promises every wall: any wall that comes
 * within this distance of the point (along either axis) is in its list. The
 * queries that use it look at most this far: a bot's probe ahead (56 u, 21 u
 * wide), a projectile's step (30 u at 30 Hz) and muzzle, a player's circle.
 */
export const NEAR_REACH = 80; // u

interface WallGrid {
  readonly columns: number;
  readonly rows: number;
  readonly cells: ReadonlyArray<readonly Wall[]>;
}

/** Maps too large for a grid of this many cells are searched whole (a test's boundless open field, say). */
const MAX_GRID_CELLS = 1 << 16;

const grids = new WeakMap<ArenaMap, WallGrid | null>();

/**
 * The walls of `map` that may lie within `NEAR_REACH` of (x, y), in the map's
 * own order (so a loop over them breaks ties as a loop over all walls does);
 * every wall for a point outside the map. Built once per map, on first use.
 */
export function wallsNear(map: ArenaMap, x: number, y: number): readonly Wall[] {
  const grid = wallGridOf(map);
  if (grid === null) return map.walls;
  const column = Math.floor(x / GRID_CELL);
  const row = Math.floor(y / GRID_CELL);
  if (!(column >= 0 && row >= 0 && column < grid.columns && row < grid.rows)) return map.walls;
  return grid.cells[row * grid.columns + column];
}

/** The map last asked about and its grid: a process's rooms nearly always share one map, and a tick asks dozens of times. */
let lastMap: ArenaMap | undefined;
let lastGrid: WallGrid | null = null;

function wallGridOf(map: ArenaMap): WallGrid | null {
  if (map === lastMap) return lastGrid;
  let grid = grids.get(map);
  if (grid === undefined) {
    grid = buildWallGrid(map);
    grids.set(map, grid);
  }
  lastMap = map;
  lastGrid = grid;
  return grid;
}

function buildWallGrid(map: ArenaMap): WallGrid | null {
  const columns = Math.ceil(map.width / GRID_CELL);
  const rows = Math.ceil(map.height / GRID_CELL);
  if (map.walls.length === 0 || !(columns * rows <= MAX_GRID_CELLS)) return null;
  const cells: Wall[][] = [];
  // A unit beyond the reach, for the rounding of the points looked up.
  const reach = NEAR_REACH + 1;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const left = column * GRID_CELL;
      const top = row * GRID_CELL;
      cells.push(map.walls.filter((wall) => wall.x - (left + GRID_CELL) <= reach && left - (wall.x + wall.w) <= reach
        && wall.y - (top + GRID_CELL) <= reach && top - (wall.y + wall.h) <= reach));
    }
  }
  return { columns, rows, cells };
}

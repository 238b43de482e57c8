/**
 * Line of sight for the bot brain: whether a shot could fly between two
 * points. Bots ask it about a player or so each, every tick, and most walls
 * are nowhere near the line. So the walls are filed once per map in regions,
 * each with the box that holds its walls' boxes (grown by a shot's radius):
 * one comparison settles a whole region far off the line.
 */
import { PROJECTILE_RADIUS } from "./constants.ts";
import { CLEAR_MARGIN, segmentHitsWall } from "./geometry.ts";
import type { Point, Wall } from "./map.ts";

/**
 * True when a projectile could fly from `from` to `to` without touching any of `walls`.
 * (Points, not four numbers: a call that is not inlined boxes every number it passes.)
 */
export function clearLine(walls: readonly Wall[], from: Point, to: Point): boolean {
  const x0 = from.x;
  const y0 = from.y;
  const dx = to.x - x0;
  const dy = to.y - y0;
  // The slab test's own first check (geometry.ts), made here before the call for the many walls
  // far off a long line: the same expressions, so the same walls pass it. A line whose box is
  // clear of a region's box is clear of each of its walls' boxes too.
  const endX = x0 + dx;
  const endY = y0 + dy;
  const left = x0 < endX ? x0 : endX;
  const right = x0 < endX ? endX : x0;
  const top = y0 < endY ? y0 : endY;
  const bottom = y0 < endY ? endY : y0;
  const regions = sightRegions(walls);
  for (let r = 0; r < regions.length; r++) {
    const { box, wallBoxes, regionWalls } = regions[r]!;
    if (right < box[0]! || left > box[1]! || bottom < box[2]! || top > box[3]!) continue;
    for (let i = 0, at = 0; i < regionWalls.length; i++, at += 4) {
      if (right < wallBoxes[at]! || left > wallBoxes[at + 1]! || bottom < wallBoxes[at + 2]! || top > wallBoxes[at + 3]!) continue;
      if (segmentHitsWall(x0, y0, dx, dy, PROJECTILE_RADIUS, regionWalls[i]!)) return false;
    }
  }
  return true;
}

/** Some of a map's walls, near one another. Boxes are left, right, top, bottom, grown by a shot's radius and the margin. */
interface SightRegion {
  readonly box: Float64Array;
  readonly regionWalls: readonly Wall[];
  /** Four numbers a wall, in the order of `regionWalls`. */
  readonly wallBoxes: Float64Array;
}

/** Side of a region: walls are filed by their centre. */
const REGION = 400; // u

const regionsOf = new WeakMap<readonly Wall[], readonly SightRegion[]>();
/** The walls last asked about and their regions: a process's bots nearly always share one map. */
let lastWalls: readonly Wall[] = [];
let lastRegions: readonly SightRegion[] = [];

function sightRegions(walls: readonly Wall[]): readonly SightRegion[] {
  if (walls === lastWalls) return lastRegions;
  let regions = regionsOf.get(walls);
  if (!regions) {
    regions = fileInRegions(walls);
    regionsOf.set(walls, regions);
  }
  lastWalls = walls;
  lastRegions = regions;
  return regions;
}

function fileInRegions(walls: readonly Wall[]): SightRegion[] {
  const byRegion = new Map<string, Wall[]>();
  for (const wall of walls) {
    const key = `${Math.floor((wall.x + wall.w / 2) / REGION)},${Math.floor((wall.y + wall.h / 2) / REGION)}`;
    byRegion.set(key, [...(byRegion.get(key) ?? []), wall]);
  }
  return [...byRegion.values()].map((regionWalls) => {
    const wallBoxes = new Float64Array(regionWalls.flatMap(grownBox));
    const box = new Float64Array([Infinity, -Infinity, Infinity, -Infinity]);
    for (let at = 0; at < wallBoxes.length; at += 4) {
      box[0] = Math.min(box[0]!, wallBoxes[at]!);
      box[1] = Math.max(box[1]!, wallBoxes[at + 1]!);
      box[2] = Math.min(box[2]!, wallBoxes[at + 2]!);
      box[3] = Math.max(box[3]!, wallBoxes[at + 3]!);
    }
    return { box, regionWalls, wallBoxes };
  });
}

/** A wall's box grown as the slab test grows it, grouped as it groups the sums, so the very same numbers come out. */
function grownBox(wall: Wall): number[] {
  const r = PROJECTILE_RADIUS;
  return [wall.x - r - CLEAR_MARGIN, wall.x + wall.w + r + CLEAR_MARGIN, wall.y - r - CLEAR_MARGIN, wall.y + wall.h + r + CLEAR_MARGIN];
}

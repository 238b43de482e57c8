/**
 * The large mode's maps (the `"large"` room): a 4000 × 3000 field, six and a
 * quarter times the arena's area for six and a quarter times its players,
 * generated from a seed. Server, client and replays each generate it from the
 * same seed and get the same walls, to the unit.
 *
 * The field is a grid of 250-unit blocks. A wall piece stays at least
 * `BLOCK_MARGIN` inside its block, so a lane 2 × 60 units wide runs along
 * every block edge, and the lanes together reach everywhere: every block
 * corner is clear, and from any clear point of a block a player reaches its
 * lanes (a block holds one bar, one L or one square, none of which encloses
 * anything). The spawn points are block corners spread over the field. The
 * layout is point-symmetric about the centre, as the arena's is, so no side
 * of the field is favoured.
 */
import type { ArenaMap, Point, Wall } from "./map.ts";
import { LARGE_POSITION } from "./precision.ts";
import { mulberry32, type Random } from "./rng.ts";

export const LARGE_WORLD_WIDTH = 4000; // u
export const LARGE_WORLD_HEIGHT = 3000; // u
/** Side of a block of the generator's grid. */
export const BLOCK = 250; // u
/** How far inside its block a wall piece stays: the lanes along the block edges are twice this wide. */
export const BLOCK_MARGIN = 60; // u
/** The chance a block holds a piece of wall. */
const FILL = 0.62;

const COLUMNS = LARGE_WORLD_WIDTH / BLOCK;
const ROWS = LARGE_WORLD_HEIGHT / BLOCK;
/** The room a piece has inside its block's margins. */
const ROOM = BLOCK - 2 * BLOCK_MARGIN;
const THICKNESS = 40; // u, of bars and L arms, as the arena's

const cache = new Map<number, ArenaMap>();

/**
 * The large map of `seed` (any 32-bit value). Pure: the same seed gives the
 * same map everywhere. Generated once per seed and process, then shared; a
 * map is never changed after it is made.
 */
export function largeMap(seed: number): ArenaMap {
  const key = seed >>> 0;
  let map = cache.get(key);
  if (!map) {
    map = generate(key);
    if (cache.size >= 64) cache.delete(cache.keys().next().value!);
    cache.set(key, map);
  }
  return map;
}

function generate(seed: number): ArenaMap {
  const random = mulberry32(seed ^ 0x1a2e5eed);
  const walls: Wall[] = [];
  const mirrored: Wall[] = [];
  // The first half of the blocks, in reading order; the other half is their image through the centre.
  const half = (COLUMNS * ROWS) / 2;
  for (let index = 0; index < half; index++) {
    const column = index % COLUMNS;
    const row = Math.floor(index / COLUMNS);
    if (random() >= FILL) continue;
    const left = column * BLOCK + BLOCK_MARGIN;
    const top = row * BLOCK + BLOCK_MARGIN;
    for (const piece of pieceIn(random)) {
      const wall = { x: left + piece.x, y: top + piece.y, w: piece.w, h: piece.h };
      walls.push(wall);
      mirrored.push({ x: LARGE_WORLD_WIDTH - wall.x - wall.w, y: LARGE_WORLD_HEIGHT - wall.y - wall.h, w: wall.w, h: wall.h });
    }
  }
  return {
    width: LARGE_WORLD_WIDTH,
    height: LARGE_WORLD_HEIGHT,
    walls: [...walls, ...mirrored.reverse()],
    spawnPoints: spawnPoints(),
    seed,
    grid: LARGE_POSITION,
    crowded: true,
  };
}

/** One piece of wall inside a block's room (`ROOM` square, origin at the room's corner): a bar, an L or a square of cover. */
function pieceIn(random: Random): Wall[] {
  const length = snapTo(20, 80 + random() * (ROOM - 80));
  const along = snapTo(10, random() * (ROOM - length));
  const across = snapTo(10, random() * (ROOM - THICKNESS));
  const kind = random();
  if (kind < 0.35) return [{ x: along, y: across, w: length, h: THICKNESS }];
  if (kind < 0.7) return [{ x: across, y: along, w: THICKNESS, h: length }];
  if (kind < 0.85) {
    const side = snapTo(10, 40 + random() * 40);
    return [{ x: snapTo(10, random() * (ROOM - side)), y: snapTo(10, random() * (ROOM - side)), w: side, h: side }];
  }
  // An L: a bar along the top or bottom of the room, an arm down or up from one of its ends.
  const arm = snapTo(20, 60 + random() * (ROOM - THICKNESS - 60));
  const atBottom = random() < 0.5;
  const atRight = random() < 0.5;
  const barY = atBottom ? ROOM - THICKNESS : 0;
  const armX = atRight ? along + length - THICKNESS : along;
  const armY = atBottom ? barY - arm : THICKNESS;
  return [{ x: along, y: barY, w: length, h: THICKNESS }, { x: armX, y: armY, w: THICKNESS, h: arm }];
}

/** Every other inner block corner: 8 × 6 points, a block's width or more from the edges, spread evenly. */
function spawnPoints(): Point[] {
  const points: Point[] = [];
  for (let row = 1; row < ROWS; row += 2) {
    for (let column = 1; column < COLUMNS; column += 2) points.push({ x: column * BLOCK, y: row * BLOCK });
  }
  return points;
}

function snapTo(step: number, value: number): number {
  return Math.floor(value / step) * step;
}

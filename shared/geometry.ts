import type { Wall } from "./map.ts";

/** Anything with a position and a velocity (a world player, a predicted copy, a projectile's flight). */
export interface Body {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

/**
 * Pushes a circle out of a wall it overlaps and removes the velocity component
 * that points into the wall, so a player slides along walls instead of sticking.
 * Only `+ - * /` and `Math.sqrt` (IEEE-exact) are used: the result is the same
 * bit for bit in every JavaScript engine, which client prediction relies on.
 */
export function pushOutOfWall(body: Body, radius: number, wall: Wall): void {
  const nearestX = Math.max(wall.x, Math.min(body.x, wall.x + wall.w));
  const nearestY = Math.max(wall.y, Math.min(body.y, wall.y + wall.h));
  let nx = body.x - nearestX;
  let ny = body.y - nearestY;
  const distSq = nx * nx + ny * ny;
  if (distSq >= radius * radius) return;

  let depth: number;
  if (distSq > 0) {
    const dist = Math.sqrt(distSq);
    nx /= dist;
    ny /= dist;
    depth = radius - dist;
  } else {
    // Centre inside the wall: leave by the nearest side.
    const left = body.x - wall.x;
    const right = wall.x + wall.w - body.x;
    const top = body.y - wall.y;
    const bottom = wall.y + wall.h - body.y;
    const least = Math.min(left, right, top, bottom);
    if (least === left) { nx = -1; ny = 0; depth = left + radius; }
    else if (least === right) { nx = 1; ny = 0; depth = right + radius; }
    else if (least === top) { nx = 0; ny = -1; depth = top + radius; }
    else { nx = 0; ny = 1; depth = bottom + radius; }
  }
  body.x += nx * depth;
  body.y += ny * depth;
  const into = body.vx * nx + body.vy * ny;
  if (into < 0) {
    body.vx -= into * nx;
    body.vy -= into * ny;
  }
}

/** Keeps a circle inside the world rectangle, stopping motion into the edge. */
export function keepInsideWorld(body: Body, radius: number, width: number, height: number): void {
  if (body.x < radius) { body.x = radius; if (body.vx < 0) body.vx = 0; }
  else if (body.x > width - radius) { body.x = width - radius; if (body.vx > 0) body.vx = 0; }
  if (body.y < radius) { body.y = radius; if (body.vy < 0) body.vy = 0; }
  else if (body.y > height - radius) { body.y = height - radius; if (body.vy > 0) body.vy = 0; }
}

/** How deep a circle reaches into a wall (0 when it does not overlap it). */
export function wallPenetration(x: number, y: number, radius: number, wall: Wall): number {
  const nearestX = Math.max(wall.x, Math.min(x, wall.x + wall.w));
  const nearestY = Math.max(wall.y, Math.min(y, wall.y + wall.h));
  const dx = x - nearestX;
  const dy = y - nearestY;
  const distSq = dx * dx + dy * dy;
  if (distSq >= radius * radius) return 0;
  if (distSq > 0) return radius - Math.sqrt(distSq);
  // Centre inside: the distance to the nearest side, plus the radius.
  return radius + Math.min(x - wall.x, wall.x + wall.w - x, y - wall.y, wall.y + wall.h - y);
}

/** True when a circle overlaps a wall (touching does not count). */
export function circleOverlapsWall(x: number, y: number, radius: number, wall: Wall): boolean {
  const nearestX = Math.max(wall.x, Math.min(x, wall.x + wall.w));
  const nearestY = Math.max(wall.y, Math.min(y, wall.y + wall.h));
  const dx = x - nearestX;
  const dy = y - nearestY;
  return dx * dx + dy * dy < radius * radius;
}

/**
 * Where along the segment `(x, y) + t·(dx, dy)`, t ∈ [0, 1], a point first
 * enters a circle of radius `r` around `(cx, cy)`; `Infinity` when it never does.
 * A segment that starts inside the circle hits at t = 0.
 */
export function segmentCircleTime(
  x: number, y: number, dx: number, dy: number,
  cx: number, cy: number, r: number,
): number {
  const fx = x - cx;
  const fy = y - cy;
  const c = fx * fx + fy * fy - r * r;
  if (c <= 0) return 0;
  const a = dx * dx + dy * dy;
  if (a === 0) return Infinity;
  const b = fx * dx + fy * dy;
  if (b >= 0) return Infinity; // moving away
  const disc = b * b - a * c;
  if (disc < 0) return Infinity;
  const t = (-b - Math.sqrt(disc)) / a;
  return t <= 1 ? t : Infinity;
}

/**
 * Far beyond the rounding of world coordinates (≤ 2048 u, so errors of ~1e-12 u): a segment whose
 * bounding box is this far clear of a wall grown by the radius does not touch it.
 */
export const CLEAR_MARGIN = 1e-6; // u

/**
 * Where along the segment a circle of radius `r` moving with it first touches
 * the wall (the wall grown by `r`, slab test); `Infinity` when it never does.
 */
export function segmentWallTime(
  x: number, y: number, dx: number, dy: number, r: number, wall: Wall,
): number {
  return slabEntry(x, y, dx, dy, r, wall) ? entry[0] : Infinity;
}

/**
 * Whether a circle of radius `r` moving along the segment touches the wall:
 * exactly `segmentWallTime(…) <= 1`, without a number to return (a function
 * too big to inline boxes each number it returns, and line-of-sight and
 * probe tests ask this thousands of times a tick).
 */
export function segmentHitsWall(
  x: number, y: number, dx: number, dy: number, r: number, wall: Wall,
): boolean {
  return slabEntry(x, y, dx, dy, r, wall);
}

/** Where `slabEntry` leaves the entry time: a typed array holds a number without boxing it. */
const entry = new Float64Array(1);

/** The slab test both ask: whether the segment touches the grown wall, and if so its entry time in [0, 1] in `entry[0]`. */
function slabEntry(x: number, y: number, dx: number, dy: number, r: number, wall: Wall): boolean {
  let tEnter = 0;
  let tExit = 1;
  const minX = wall.x - r, maxX = wall.x + wall.w + r;
  const minY = wall.y - r, maxY = wall.y + wall.h + r;
  // Most walls are nowhere near the segment: comparisons settle those without
  // the slab test's divisions. The margin keeps it exact: a segment this far
  // clear of the grown wall gets Infinity from the slab test too.
  const endX = x + dx;
  const endY = y + dy;
  if ((x < endX ? endX : x) < minX - CLEAR_MARGIN || (x < endX ? x : endX) > maxX + CLEAR_MARGIN
    || (y < endY ? endY : y) < minY - CLEAR_MARGIN || (y < endY ? y : endY) > maxY + CLEAR_MARGIN) return false;
  if (dx === 0) {
    if (x <= minX || x >= maxX) return false;
  } else {
    let t1 = (minX - x) / dx;
    let t2 = (maxX - x) / dx;
    if (t1 > t2) { const s = t1; t1 = t2; t2 = s; }
    if (t1 > tEnter) tEnter = t1;
    if (t2 < tExit) tExit = t2;
  }
  if (dy === 0) {
    if (y <= minY || y >= maxY) return false;
  } else {
    let t1 = (minY - y) / dy;
    let t2 = (maxY - y) / dy;
    if (t1 > t2) { const s = t1; t1 = t2; t2 = s; }
    if (t1 > tEnter) tEnter = t1;
    if (t2 < tExit) tExit = t2;
  }
  if (tEnter > tExit) return false;
  entry[0] = tEnter;
  return true;
}

/** Wraps an angle in radians into [-π, π). */
export function wrapAngle(angle: number): number {
  if (!Number.isFinite(angle)) return 0;
  const turn = Math.PI * 2;
  let a = angle + Math.PI;
  // The remainder of a number already in [0, 2π) is that number: most angles skip the division (a call to the C library).
  if (!(a >= 0 && a < turn)) a %= turn;
  if (a < 0) a += turn;
  // A tiny negative remainder plus 2π rounds to exactly 2π, which would give +π.
  if (a >= turn) a -= turn;
  return a - Math.PI;
}

/** The float32 closest to π from below (float32 rounds π itself up, past π). */
const FLOAT32_BELOW_PI = 3.1415925025939941;

/**
 * An angle wrapped into [-π, π) and rounded to float32, the precision inputs
 * carry (a shot's direction). Float32 rounding can push a value next to ±π
 * just outside the range; such values are pulled back to the nearest float32
 * inside it.
 */
export function float32Angle(angle: number): number {
  const rounded = Math.fround(wrapAngle(angle));
  if (rounded > FLOAT32_BELOW_PI) return FLOAT32_BELOW_PI;
  if (rounded < -FLOAT32_BELOW_PI) return -FLOAT32_BELOW_PI;
  return rounded;
}

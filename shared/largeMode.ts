/**
 * The large mode's contract (docs/contract.md, "Room large"): up to 100
 * players on a generated 4000 × 3000 map (`shared/largeMap.ts`), each client
 * sent only what lies within its view. What a client may ask for (its view's
 * size), what "within its view" means, and the coarse map of where the fight
 * is that everyone gets: pure, so the server filters and the client draws by
 * the same rules.
 */
import { LARGE_WORLD_HEIGHT, LARGE_WORLD_WIDTH } from "./largeMap.ts";
import { ROOM_NAME } from "./protocol.ts";

/** The room name of the large mode (`"arena"` is the 16-player one). */
export const LARGE_ROOM_NAME = "large";
/** Every room type a game is played in. */
export const GAME_ROOM_NAMES: readonly string[] = [ROOM_NAME, LARGE_ROOM_NAME];
/** The most players a large room seats. */
export const LARGE_MAX_PLAYERS = 100;

/** A client's view: the world units it shows across and down, centred on the player it follows. */
export interface ViewSize {
  width: number;
  height: number;
}

/** A desktop's view: the arena's whole world, at the arena's scale. */
export const MAX_VIEW: ViewSize = { width: 1600, height: 1200 };
/** The smallest view a client may ask for (a phone held upright shows less, and is sent less). */
export const MIN_VIEW: ViewSize = { width: 640, height: 480 };
/**
 * What lies this far beyond the view's edges is sent too: a player walking
 * in is on the client before it reaches the screen's edge (at top speed,
 * 320 u/s, this is half a second; the server looks every tenth of one), so
 * nothing pops in or out where the player can see it, and a client's fade-in
 * (300 ms) is over before it can.
 */
export const VIEW_MARGIN = 160; // u

/** The view a client asked for (`view` join option), clamped into [MIN_VIEW, MAX_VIEW]; MAX_VIEW when absent or not numbers. */
export function clampView(asked: unknown): ViewSize {
  const view = (typeof asked === "object" && asked !== null ? asked : {}) as Partial<Record<keyof ViewSize, unknown>>;
  const clamp = (value: unknown, min: number, max: number) =>
    typeof value === "number" && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : max;
  return { width: clamp(view.width, MIN_VIEW.width, MAX_VIEW.width), height: clamp(view.height, MIN_VIEW.height, MAX_VIEW.height) };
}

/**
 * A player that has left a view is taken out of it only this far beyond the
 * margin it came in at: one walking along the edge is not added and removed
 * tick after tick.
 */
export const VIEW_LEAVE_SLACK = 60; // u

/**
 * A player within a view grown by this much is sent to its client every
 * patch; beyond it, in the margin, where the client cannot show it, its
 * position and aim go every other patch (its other fields, its coming and
 * going, every patch as before). The band is a body's radius and a tick's
 * run at top speed with room to spare: a player is at full rate again before
 * any of it can show at the screen's edge.
 */
export const FULL_RATE_MARGIN = 40; // u

/** A view's area grown by its margin: its centre and half-sizes. */
export interface ViewArea {
  x: number;
  y: number;
  halfWidth: number;
  halfHeight: number;
}

/** The area of `view` centred on (cx, cy), grown by `margin` on every side; written into `into` when given (a server reuses one per client). */
export function viewArea(view: ViewSize, cx: number, cy: number, margin = VIEW_MARGIN, into: ViewArea = { x: 0, y: 0, halfWidth: 0, halfHeight: 0 }): ViewArea {
  into.x = cx;
  into.y = cy;
  into.halfWidth = view.width / 2 + margin;
  into.halfHeight = view.height / 2 + margin;
  return into;
}

/** True when (x, y) lies within `area` grown by `slack` more on every side. */
export function inArea(area: ViewArea, x: number, y: number, slack = 0): boolean {
  return Math.abs(x - area.x) <= area.halfWidth + slack && Math.abs(y - area.y) <= area.halfHeight + slack;
}

/** True when (x, y) lies within `view` centred on (cx, cy), grown by `margin` on every side. */
export function inView(view: ViewSize, cx: number, cy: number, x: number, y: number, margin = VIEW_MARGIN): boolean {
  return inArea(viewArea(view, cx, cy, margin), x, y);
}

/** Side of a cell of the heat map (`heat` in the state). */
export const HEAT_CELL = 500; // u
export const HEAT_COLUMNS = LARGE_WORLD_WIDTH / HEAT_CELL;
export const HEAT_ROWS = LARGE_WORLD_HEIGHT / HEAT_CELL;
/** The heat map counts the shots fired over this long, and is sent again this often. */
export const HEAT_WINDOW_SECONDS = 2; // s
export const HEAT_EVERY_SECONDS = 1; // s

/** The heat map's cell (row by row) of a point of the map; points outside it fall in the nearest cell. */
export function heatCell(x: number, y: number): number {
  const column = Math.min(HEAT_COLUMNS - 1, Math.max(0, Math.floor(x / HEAT_CELL)));
  const row = Math.min(HEAT_ROWS - 1, Math.max(0, Math.floor(y / HEAT_CELL)));
  return row * HEAT_COLUMNS + column;
}

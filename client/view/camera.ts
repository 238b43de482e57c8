/**
 * Where the game camera looks, as a pure function of the screen, the world and
 * the own player: no Phaser, so it is unit-tested and shared by the live game
 * and the replay. Screen sizes are CSS pixels; world sizes are world units.
 */

/** A rectangle on screen, in CSS pixels. */
export interface ScreenRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the camera does this frame. */
export interface CameraView {
  /** Screen pixels per world unit. */
  zoom: number;
  /** The world point at the middle of the screen (what Phaser's `camera.centerOn` takes). */
  centerX: number;
  centerY: number;
  /** True when the whole world is on screen (no following). */
  wholeWorld: boolean;
  /** Where the world's rectangle lies on screen (it may reach past the screen edges while following). */
  arena: ScreenRect;
}

/** Below this zoom a player is too small to read: the camera follows instead of showing everything. */
export const MIN_ZOOM = 0.6; // px per u (a player 21.6 px across, its name about 11 px tall)
/** The most the camera magnifies, so a huge screen does not blow the arena up past crispness. */
export const MAX_ZOOM = 1.5; // px per u
/** Screen height kept above the arena for the HUD's top line, when the screen allows it. */
export const HUD_BAND = 44; // px
/** The same on a touch device, where a row of thumb-sized buttons stands at the top edge. */
export const TOUCH_HUD_BAND = 60; // px

/**
 * The view for a `screenWidth`×`screenHeight` screen over a `worldWidth`×`worldHeight`
 * world, keeping `hudBand` px at the top for the HUD. When the whole world fits under
 * the band at `MIN_ZOOM` or more, it is shown whole, centred below the band
 * (letterboxed). Otherwise the camera zooms to `MIN_ZOOM` and centres on `focus` (the
 * own player; the world's middle when absent), held so it never shows past the world's
 * edges (except the band at the top, so a player at the top edge is not under the HUD).
 * Along an axis the world does not fill it is centred, except the height while
 * following: the world then sits at the bottom and the spare height above it goes to
 * the HUD (a phone held upright).
 */
export function computeView(
  screenWidth: number, screenHeight: number, worldWidth: number, worldHeight: number,
  focus?: { x: number; y: number }, hudBand = HUD_BAND,
): CameraView {
  const { width, height, band } = screenBelowBand(screenWidth, screenHeight, hudBand);
  const fit = Math.min(width / worldWidth, (height - band) / worldHeight, MAX_ZOOM);
  const wholeWorld = fit >= MIN_ZOOM;
  return placeView(width, height, worldWidth, worldHeight, wholeWorld ? fit : MIN_ZOOM, focus, band, wholeWorld);
}

/** The screen's size, at least 1 px each way, and the band kept at its top for the HUD (none on a very short screen). */
export function screenBelowBand(screenWidth: number, screenHeight: number, hudBand: number): { width: number; height: number; band: number } {
  // A zero-sized screen (a hidden page during a resize) still yields finite numbers.
  const width = Math.max(1, screenWidth);
  const height = Math.max(1, screenHeight);
  return { width, height, band: height > 3 * hudBand ? hudBand : 0 };
}

/**
 * The view at `zoom` for a `width`×`height` screen (both at least 1) over the
 * world, keeping `band` px at the top, as `computeView` places it: centred
 * when `wholeWorld` (the world fits the screen below the band at `zoom`),
 * else following `focus`.
 */
export function placeView(
  width: number, height: number, worldWidth: number, worldHeight: number, zoom: number,
  focus: { x: number; y: number } | undefined, band: number, wholeWorld: boolean,
): CameraView {
  const target = focus ?? { x: worldWidth / 2, y: worldHeight / 2 };
  const left = axisOffset(width, 0, worldWidth * zoom, target.x * zoom, 0.5);
  const top = axisOffset(height, band, worldHeight * zoom, target.y * zoom, wholeWorld ? 0.5 : 1);
  return {
    zoom,
    centerX: (width / 2 - left) / zoom,
    centerY: (height / 2 - top) / zoom,
    wholeWorld,
    arena: { x: left, y: top, width: worldWidth * zoom, height: worldHeight * zoom },
  };
}

/**
 * The screen coordinate of the world's near edge along one axis. A world span that
 * fits lies in the screen below `band`, `align` of the spare room before it (0.5
 * centred, 1 at the far end); a longer one puts `focus` in the middle of the screen,
 * held between the far edge and the band.
 */
function axisOffset(screen: number, band: number, span: number, focus: number, align: number): number {
  if (span <= screen - band) return band + (screen - band - span) * align;
  return Math.min(band, Math.max(screen - span, screen / 2 - focus));
}

/** Where the world point (`x`, `y`) appears on screen under `view`. */
export function worldToScreen(view: CameraView, x: number, y: number): { x: number; y: number } {
  return { x: view.arena.x + x * view.zoom, y: view.arena.y + y * view.zoom };
}

/** The screen margins around the arena (0 where the arena reaches or passes the edge). */
export function letterbox(view: CameraView, screenWidth: number, screenHeight: number): { left: number; right: number; top: number; bottom: number } {
  const { x, y, width, height } = view.arena;
  return {
    left: Math.max(0, x),
    right: Math.max(0, screenWidth - (x + width)),
    top: Math.max(0, y),
    bottom: Math.max(0, screenHeight - (y + height)),
  };
}

/**
 * What the game camera shows this frame, for overlays laid out around it (the
 * HUD fades where a player is under it). The game scene fills it every frame.
 */
export interface ArenaOnScreen {
  view: CameraView | undefined;
  /** The players drawn this frame (world units). */
  players: Array<{ x: number; y: number }>;
  /** The player the camera follows (world units): the own one, or the one a spectator watches. */
  focus?: { x: number; y: number };
}

/**
 * The camera of the large mode, as pure functions of the screen (CSS pixels)
 * and the map (world units): it always follows a player, at a zoom that shows
 * about what the server sends this client. The same zoom decides the view the
 * client asks for when it joins (`view` join option), so what is on screen is
 * what the state holds, and the server's margin (`VIEW_MARGIN`) covers what a
 * rounding or a later resize adds.
 */
import { MAX_VIEW, clampView, type ViewSize } from "../../shared/largeMode.ts";
import { HUD_BAND, MAX_ZOOM, MIN_ZOOM, placeView, screenBelowBand, type CameraView } from "./camera.ts";

/**
 * Screen pixels per world unit on a `screenWidth`×`screenHeight` screen: as
 * much as shows MAX_VIEW (a desktop sees the arena's whole size), never less
 * than the arena's smallest readable zoom, nor more than its largest.
 */
export function largeZoom(screenWidth: number, screenHeight: number): number {
  const fill = Math.max(screenWidth / MAX_VIEW.width, screenHeight / MAX_VIEW.height);
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, fill));
}

/** The view to join with from a `screenWidth`×`screenHeight` screen: what it shows at `largeZoom`, clamped to what a client may ask. */
export function largeViewSize(screenWidth: number, screenHeight: number): ViewSize {
  const zoom = largeZoom(screenWidth, screenHeight);
  return clampView({ width: screenWidth / zoom, height: screenHeight / zoom });
}

/**
 * The view at `largeZoom` following `focus` (the map's middle when absent)
 * over a `worldWidth`×`worldHeight` map, held so it never shows past the map's
 * edges (but the HUD's band at the top), as `computeView` follows.
 */
export function followView(
  screenWidth: number, screenHeight: number, worldWidth: number, worldHeight: number,
  focus?: { x: number; y: number }, hudBand = HUD_BAND,
): CameraView {
  const { width, height, band } = screenBelowBand(screenWidth, screenHeight, hudBand);
  return placeView(width, height, worldWidth, worldHeight, largeZoom(width, height), focus, band, false);
}

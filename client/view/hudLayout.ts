/**
 * Where the HUD's pieces go on a screen, as a pure function of its size, the
 * arena's place on it and whether touch buttons take the top-right corner. All
 * values are CSS pixels. Pieces go in the letterbox around the arena when it is
 * wide enough; elsewhere they lie over the arena and fade where a player is
 * under them (`overlapsAny`).
 */
import type { ScreenRect } from "./camera.ts";

/** A text's anchor: `x`,`y` is the point at (`originX`, `originY`) of its box. */
export interface Anchor {
  x: number;
  y: number;
  originX: number;
  originY: number;
}

/** A column of lines: `width` is where they wrap. */
export interface Column extends Anchor {
  width: number;
}

export interface HudLayout {
  /** Font sizes, px. */
  fonts: { clock: number; status: number; small: number; feed: number };
  clock: Anchor;
  status: Anchor;
  /** Room code, spectators, fps and ping, right-aligned, wrapping at `width`. */
  stats: Column;
  /** Kills, newest at the bottom, right-aligned. */
  killFeed: Column;
  /** Chat and server lines, apart from the kills. */
  chat: Column;
  /** The chat box (a text field) when open. */
  chatInput: Column;
  /** The large mode's minimap (a box the map's shape), when asked for. */
  minimap?: ScreenRect;
}

/** The touch buttons' size and gap: thumb-sized (Apple and Google both ask for 44–48 px). */
export const TOUCH_BUTTON = 44; // px
export const EDGE = 8; // px
/** A letterbox at least this wide holds a column of the HUD. */
const COLUMN_MIN = 200; // px
/** The minimap's width on a wide screen and on a narrow one (its height follows the map's shape). */
const MINIMAP_WIDTH = { wide: 180, narrow: 120 }; // px

/**
 * The HUD for a `width`×`height` screen with the arena at `arena` on it;
 * `touchButtons` is how many touch buttons stand in the top-right corner (0 on
 * a desktop without touch). `minimapAspect` (the map's width over its height)
 * asks for a minimap: in the bottom-right corner on a desktop; on a touch
 * screen under the status line on the left, the chat below it, clear of the
 * buttons at the top and of the sticks, which the thumbs hold low.
 */
export function hudLayout(width: number, height: number, arena: ScreenRect, touchButtons: number, minimapAspect?: number): HudLayout {
  const narrow = width < 600 || height < 480;
  const fonts = narrow ? { clock: 20, status: 16, small: 13, feed: 15 } : { clock: 26, status: 20, small: 15, feed: 17 };
  const minimapWidth = touchButtons > 0 || narrow ? MINIMAP_WIDTH.narrow : MINIMAP_WIDTH.wide;
  const minimapSize = minimapAspect ? { width: minimapWidth, height: Math.round(minimapWidth / minimapAspect) } : undefined;
  const left = Math.max(0, arena.x);
  const right = Math.max(0, width - (arena.x + arena.width));
  const bottom = Math.max(0, height - (arena.y + arena.height));
  if (touchButtons > 0) {
    // The clock beside the buttons at the top edge; under them, the status and chat on
    // the left, the stats and kills on the right: the status has room to grow there.
    const buttonsBottom = EDGE + TOUCH_BUTTON;
    const half = width / 2 - 2 * EDGE;
    const underStatus = buttonsBottom + fonts.status + 16;
    const minimap = minimapSize && { x: 12, y: underStatus, ...minimapSize };
    return {
      fonts,
      clock: { x: 12, y: EDGE + (TOUCH_BUTTON - fonts.clock * 1.25) / 2, originX: 0, originY: 0 },
      status: { x: 12, y: buttonsBottom + 4, originX: 0, originY: 0 },
      stats: { x: width - 12, y: buttonsBottom + 6, originX: 1, originY: 0, width: half },
      killFeed: { x: width - 12, y: buttonsBottom + fonts.small + 14, originX: 1, originY: 0, width: half },
      chat: { x: 12, y: minimap ? minimap.y + minimap.height + 8 : underStatus, originX: 0, originY: 0, width: half },
      // At the top: the on-screen keyboard covers the bottom half.
      chatInput: { x: EDGE, y: buttonsBottom + EDGE, originX: 0, originY: 0, width: width - 2 * EDGE },
      minimap,
    };
  }
  const top = EDGE + 2;
  const feedInLetterbox = right >= COLUMN_MIN;
  const chatInLetterbox = left >= COLUMN_MIN && bottom < 120;
  const chatWidth = chatInLetterbox ? left - 24 : Math.min(560, width * 0.45);
  const inputWidth = Math.min(640, width - 2 * 16);
  return {
    fonts,
    clock: { x: width / 2, y: top - 2, originX: 0.5, originY: 0 },
    status: { x: 16, y: top, originX: 0, originY: 0 },
    stats: { x: width - 16, y: top + 3, originX: 1, originY: 0, width: width / 2 - 120 },
    killFeed: {
      x: width - (feedInLetterbox ? 12 : 16), y: Math.max(arena.y, 0) + 8, originX: 1, originY: 0,
      width: feedInLetterbox ? right - 24 : Math.min(420, width * 0.4),
    },
    // Bottom-left, above the chat box's place.
    chat: { x: chatInLetterbox ? 12 : 16, y: height - 16 - 52, originX: 0, originY: 1, width: chatWidth },
    chatInput: { x: 16, y: height - 16, originX: 0, originY: 1, width: inputWidth },
    minimap: minimapSize && { x: width - 16 - minimapSize.width, y: height - 16 - minimapSize.height, ...minimapSize },
  };
}

/** True when any circle of `radius` around `points` touches `rect` (a player under a HUD text). */
export function overlapsAny(rect: ScreenRect, points: ReadonlyArray<{ x: number; y: number }>, radius: number): boolean {
  return points.some((p) => {
    const nearestX = Math.min(Math.max(p.x, rect.x), rect.x + rect.width);
    const nearestY = Math.min(Math.max(p.y, rect.y), rect.y + rect.height);
    return (p.x - nearestX) ** 2 + (p.y - nearestY) ** 2 <= radius * radius;
  });
}

import type { Browser, CDPSession, Page } from "playwright-core";
import "../../client/probe.ts";

/** One finger on the screen: `id` stays the same while it is down; CSS px from the window's top-left. */
export interface Finger {
  id: number;
  x: number;
  y: number;
}

/** The size of the phone every touch test plays on, in CSS px (portrait). */
export const PHONE = { width: 390, height: 844 };

/**
 * A phone: a touch-only, mobile Chromium page (390×844) in a context of its
 * own, on `url`, recording uncaught page errors in `errors`. `fingers` sends
 * real touch input through the DevTools protocol (the browser then fires the
 * pointer and touch events a phone would). `close` closes the phone's context.
 */
export async function openPhone(browser: Browser, url: string): Promise<{ page: Page; errors: string[]; fingers: Fingers; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors, fingers: new Fingers(await context.newCDPSession(page)), close: () => context.close() };
}

/**
 * The fingers on a phone's screen, put down, moved and lifted by id.
 */
export class Fingers {
  private down: Finger[] = [];
  private readonly cdp: CDPSession;

  constructor(cdp: CDPSession) {
    this.cdp = cdp;
  }

  /** Puts down the fingers that are new and moves the others to where `fingers` say; fingers not named stay put. */
  async place(...fingers: Finger[]): Promise<void> {
    const added = fingers.some((finger) => !this.down.some((d) => d.id === finger.id));
    const after = [...this.down.filter((d) => !fingers.some((f) => f.id === d.id)), ...fingers];
    await this.dispatch(added ? "touchStart" : "touchMove", after);
    this.down = after;
  }

  /** Lifts the fingers with `ids`; the others stay down where they are. */
  async lift(...ids: number[]): Promise<void> {
    // Chromium lifts exactly the points a touchEnd names (an empty touchEnd lifts them all).
    await this.dispatch("touchEnd", this.down.filter((finger) => ids.includes(finger.id)));
    this.down = this.down.filter((finger) => !ids.includes(finger.id));
  }

  /** Lifts every finger. */
  async liftAll(): Promise<void> {
    await this.dispatch("touchEnd", []);
    this.down = [];
  }

  /** The browser cancels every touch (as when the system takes the touches over). */
  async cancel(): Promise<void> {
    await this.dispatch("touchCancel", []);
    this.down = [];
  }

  private async dispatch(type: "touchStart" | "touchMove" | "touchEnd" | "touchCancel", fingers: Finger[]): Promise<void> {
    await this.cdp.send("Input.dispatchTouchEvent", { type, touchPoints: fingers.map(({ id, x, y }) => ({ id, x, y })) });
  }
}

/**
 * Resolves after the game has drawn `frames` more frames (it samples its controls once a frame
 * it draws, which under a frame rate cap is not every frame of the display).
 */
export async function nextFrames(page: Page, frames = 3): Promise<void> {
  await page.evaluate(async (count) => {
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const probe = window.arenaProbe;
    // Before the game has drawn anything (the menu), the display's frames are all there is.
    if (!probe) {
      for (let i = 0; i < count; i++) await nextFrame();
      return;
    }
    const until = probe.frame + count;
    while (window.arenaProbe!.frame < until) await nextFrame();
  }, frames);
}

import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/**
 * Where a Chromium is: `CHROMIUM_PATH`, Debian's `/usr/bin/chromium`, or a
 * browser Playwright installed itself. `undefined` when there is none.
 */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", safePlaywrightPath()];
  return candidates.find((path): path is string => typeof path === "string" && path !== "" && existsSync(path));
}

/**
 * The Chromium the test suite drives: `CHROMIUM_PATH`, else Debian's
 * `chromium-headless-shell` (Chromium's own headless build: the same Blink,
 * V8 and network stack without the desktop browser's shell around them), else
 * whatever `findChromium` finds. A game page costs the same in either, but
 * everything around the pages (the browser process, pages opening and
 * closing, the menu) cost the full browser 311 CPU-seconds over the browser
 * files against 184 for the shell (docs/development.md). The benchmarks keep
 * the full browser, which is what players run.
 */
export function findTestChromium(): string | undefined {
  const shell = "/usr/bin/chromium-headless-shell";
  if (process.env.CHROMIUM_PATH) return findChromium();
  return existsSync(shell) ? shell : findChromium();
}

function safePlaywrightPath(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

export const NO_CHROMIUM_MESSAGE =
  "No Chromium found for the browser tests. Install one (Debian: `sudo apt-get install chromium`), " +
  "or point CHROMIUM_PATH at a Chromium or Chrome binary.";

/**
 * A headless Chromium with the flags a locked-down machine needs. Playwright's
 * `launch()` gives every browser a fresh temporary profile and removes it on close.
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
    ],
  });
}

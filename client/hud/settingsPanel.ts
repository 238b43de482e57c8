import { FRAME_RATE_CAPS, settings, type FrameRateCap, type Settings } from "../settings.ts";

type Toggle = "muted" | "screenShake" | "netGraph" | "showStats";

const TOGGLES: ReadonlyArray<[Toggle, string]> = [
  ["muted", "Mute"],
  ["screenShake", "Screen shake when hit"],
  ["netGraph", "Net graph (F3)"],
  ["showStats", "Show fps and ping"],
];

const FRAME_RATE_NAMES: Readonly<Record<FrameRateCap, string>> = { 0: "As the display", 60: "60 fps", 30: "30 fps (saves battery)" };

/**
 * The settings dialog, from the menu and with Esc in game: master volume,
 * mute, screen shake, net graph, the fps/ping readout and the frame rate cap.
 * A real form (labels, native range, checkboxes and select), so keyboards and screen readers work
 * it; every change goes straight to `settings`, which stores it. Focus moves
 * into the dialog on opening, stays in it while open, and goes back where it
 * was on closing. One per page (`settingsPanel`).
 */
export class SettingsPanel {
  private readonly backdrop: HTMLDivElement;
  private readonly dialog: HTMLFormElement;
  private readonly volume: HTMLInputElement;
  private readonly volumeShown: HTMLOutputElement;
  private readonly toggles = new Map<Toggle, HTMLInputElement>();
  private readonly frameRate: HTMLSelectElement;
  private returnFocus: HTMLElement | null = null;
  private onClose: (() => void) | undefined;

  constructor() {
    this.backdrop = document.createElement("div");
    this.backdrop.className = "settings-backdrop";
    this.backdrop.dataset.ui = "";
    this.backdrop.hidden = true;
    this.dialog = document.createElement("form");
    this.dialog.className = "settings";
    this.dialog.setAttribute("role", "dialog");
    this.dialog.setAttribute("aria-modal", "true");
    this.dialog.setAttribute("aria-labelledby", "settings-title");
    const title = document.createElement("h2");
    title.id = "settings-title";
    title.textContent = "Settings";

    const volumeLabel = document.createElement("label");
    volumeLabel.htmlFor = "settings-volume";
    volumeLabel.className = "volume";
    volumeLabel.textContent = "Volume ";
    this.volumeShown = document.createElement("output");
    this.volumeShown.htmlFor.add("settings-volume");
    volumeLabel.append(this.volumeShown);
    this.volume = document.createElement("input");
    this.volume.type = "range";
    this.volume.id = "settings-volume";
    this.volume.name = "volume";
    this.volume.min = "0";
    this.volume.max = "100";
    this.volume.step = "5";
    this.volume.addEventListener("input", () => settings.update({ volume: Number(this.volume.value) / 100 }));
    this.dialog.append(title, volumeLabel, this.volume);

    for (const [key, text] of TOGGLES) {
      const label = document.createElement("label");
      label.className = "toggle";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = key;
      box.addEventListener("change", () => settings.update({ [key]: box.checked }));
      label.append(box, ` ${text}`);
      this.dialog.append(label);
      this.toggles.set(key, box);
    }
    const frameRateLabel = document.createElement("label");
    frameRateLabel.className = "frame-rate";
    frameRateLabel.textContent = "Frame rate ";
    this.frameRate = document.createElement("select");
    this.frameRate.name = "frameRateCap";
    for (const cap of FRAME_RATE_CAPS) this.frameRate.add(new Option(FRAME_RATE_NAMES[cap], String(cap)));
    this.frameRate.addEventListener("change", () => settings.update({ frameRateCap: Number(this.frameRate.value) as FrameRateCap }));
    frameRateLabel.append(this.frameRate);
    this.dialog.append(frameRateLabel);
    const close = document.createElement("button");
    close.type = "submit";
    close.textContent = "Close";
    this.dialog.append(close);
    this.dialog.addEventListener("submit", (event) => {
      event.preventDefault();
      this.close();
    });
    this.dialog.addEventListener("keydown", (event) => this.onKey(event));
    // Key releases too: the game's key capture would otherwise cancel a checkbox's Space.
    this.dialog.addEventListener("keyup", (event) => event.stopPropagation());
    // A tap on the dim area around the dialog closes it.
    this.backdrop.addEventListener("click", (event) => { if (event.target === this.backdrop) this.close(); });
    this.backdrop.append(this.dialog);
    document.body.append(this.backdrop);
    this.show(settings.values);
    settings.onChange((values) => this.show(values));
  }

  get isOpen(): boolean {
    return !this.backdrop.hidden;
  }

  /** Opens the dialog; `onClose` runs once when it closes. */
  open(onClose?: () => void): void {
    if (this.isOpen) return;
    this.onClose = onClose;
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.backdrop.hidden = false;
    this.volume.focus();
  }

  close(): void {
    if (!this.isOpen) return;
    this.backdrop.hidden = true;
    // The browser moves focus off a hidden element only at its next frame; until then the
    // dialog would still take (and stop) the keys meant for the game.
    const focused = document.activeElement;
    if (focused instanceof HTMLElement && this.dialog.contains(focused)) focused.blur();
    this.returnFocus?.focus();
    this.returnFocus = null;
    const onClose = this.onClose;
    this.onClose = undefined;
    onClose?.();
  }

  private show(values: Readonly<Settings>): void {
    this.volume.value = String(Math.round(values.volume * 100));
    this.volumeShown.value = `${Math.round(values.volume * 100)}%`;
    for (const [key, box] of this.toggles) box.checked = values[key];
    this.frameRate.value = String(values.frameRateCap);
  }

  /** Esc closes; Tab cycles inside the dialog. The game never sees these keys. */
  private onKey(event: KeyboardEvent): void {
    event.stopPropagation();
    if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    } else if (event.key === "Tab") {
      const focusable = [...this.dialog.querySelectorAll<HTMLElement>("input, select, button")];
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }
}

let panel: SettingsPanel | undefined;

/** The page's settings dialog, built on first use. */
export function settingsPanel(): SettingsPanel {
  panel ??= new SettingsPanel();
  return panel;
}

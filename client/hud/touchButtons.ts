/** What the touch buttons do; the HUD provides it. */
export interface TouchActions {
  chat(): void;
  scoreboard(): void;
  settings(): void;
  /** Absent where the page cannot go fullscreen (iPhone Safari has no Fullscreen API for pages): no button then. */
  fullscreen?: () => void;
}

// Icons drawn here as SVG paths on a 24-unit grid (no icon font or image is fetched).
const ICONS = {
  chat: "M4 5h16v10H9l-5 4z",
  scoreboard: "M5 6h14M5 12h14M5 18h14",
  settings: "M12 8.5a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1",
  fullscreen: "M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5",
} as const;

/**
 * Thumb-sized HUD buttons in a row at the top-right edge, out of the sticks'
 * way: chat, scoreboard, settings and fullscreen. Plain DOM buttons inside a
 * `data-ui` element, so the touch sticks leave touches on them alone and
 * screen readers name them. Shown on touch devices only (the HUD decides).
 */
export class TouchButtons {
  readonly element: HTMLDivElement;
  /** How many buttons are shown (the HUD keeps that corner free). */
  readonly count: number;

  constructor(actions: TouchActions) {
    this.element = document.createElement("div");
    this.element.className = "hud-buttons";
    this.element.dataset.ui = "";
    const buttons = [
      button("chat", "Chat", actions.chat),
      button("scoreboard", "Scoreboard", actions.scoreboard),
      button("settings", "Settings", actions.settings),
      ...(actions.fullscreen ? [button("fullscreen", "Fullscreen", actions.fullscreen)] : []),
    ];
    this.element.append(...buttons);
    this.count = buttons.length;
    document.body.append(this.element);
  }

  /** Marks the scoreboard button pressed or not (for screen readers and the look). */
  setScoreboardShown(shown: boolean): void {
    this.element.querySelector(".hud-scoreboard")?.setAttribute("aria-pressed", String(shown));
  }

  destroy(): void {
    this.element.remove();
  }
}

function button(icon: keyof typeof ICONS, label: string, onPress: () => void): HTMLButtonElement {
  const created = document.createElement("button");
  created.type = "button";
  created.className = `hud-${icon}`;
  created.setAttribute("aria-label", label);
  created.title = label;
  created.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${ICONS[icon]}"/></svg>`;
  // A click, not pointerdown: the browser then counts it as the user gesture that fullscreen and the keyboard need.
  created.addEventListener("click", (event) => {
    event.preventDefault();
    onPress();
  });
  return created;
}

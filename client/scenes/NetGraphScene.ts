import Phaser from "phaser";
import { describeNetworkProfile } from "../net/networkProfile.ts";
import type { NetStatsSnapshot } from "../net/netstats.ts";
import type { ArenaSession } from "../net/session.ts";
import { MUTED_TEXT_COLOR, TEXT_COLOR } from "../palette.ts";
import "../probe.ts";
import { settings } from "../settings.ts";
import { drawnFrameRate } from "../view/frameRate.ts";

/** The panel's widest size; narrower on a narrow screen. */
const PANEL_WIDTH = 420; // px
const PANEL_TOP = 60; // px, under the HUD's top line and touch buttons
const EDGE = 8; // px
const PADDING = 10; // px
const GRAPH_HEIGHT = 56; // px
const GRAPH_GAP = 24; // px, room for a graph's caption
/** Patch gaps above this are drawn at full height. */
const GAP_SCALE_MS = 150; // ms
/** Bars in the arrival graph (five seconds of patches at 30 Hz). */
const ARRIVAL_BARS = 150;
const OK_COLOR = 0x66e08a;
const LATE_COLOR = 0xffd54f;
const STALL_COLOR = 0xff6b6b;
const PING_COLOR = 0x4fc3f7;

/**
 * The net graph, in screen pixels at the top right, shown while
 * `settings.netGraph` is on (F3 toggles it; `?netgraph=1` opens it): ping, jitter, tick
 * and patch rates, traffic, pending inputs, prediction corrections, the
 * interpolation delay, fps, the channel the state arrives on (and the
 * datagrams' loss) and the simulated network, with graphs of patch
 * arrival gaps and ping over the last seconds. Runs beside the HUD; every
 * frame it also publishes its numbers in `window.arenaProbe.net`.
 */
export class NetGraphScene extends Phaser.Scene {
  private session!: ArenaSession;
  private shown = false;
  private backdrop!: Phaser.GameObjects.Rectangle;
  private text!: Phaser.GameObjects.Text;
  private captions!: Phaser.GameObjects.Text[];
  private graph!: Phaser.GameObjects.Graphics;
  private latest: NetStatsSnapshot | undefined;
  private panelWidth = PANEL_WIDTH;

  constructor() {
    super("NetGraphScene");
  }

  create(data: { session: ArenaSession }) {
    this.session = data.session;
    this.backdrop = this.add.rectangle(0, PANEL_TOP, PANEL_WIDTH, 10, 0x0b0d12, 0.88).setOrigin(0, 0);
    this.text = this.add.text(0, PANEL_TOP + PADDING, "", { fontFamily: "monospace", color: TEXT_COLOR, lineSpacing: 3 });
    const caption = { fontFamily: "monospace", fontSize: "12px", color: MUTED_TEXT_COLOR };
    this.captions = [this.add.text(0, 0, "patch arrival gaps (ms)", caption), this.add.text(0, 0, "ping (ms)", caption)];
    this.graph = this.add.graphics();
    this.placePanel();
    this.setShown(settings.values.netGraph || new URLSearchParams(window.location.search).get("netgraph") === "1");
    // Captured, so the browser's own F3 (find next) does not fire as well.
    this.input.keyboard!.addKey(Phaser.Input.Keyboard.KeyCodes.F3, true).on("down", () => {
      const shown = !this.shown;
      this.setShown(shown);
      settings.update({ netGraph: shown });
    });
    const unsubscribe = settings.onChange((values, changed) => { if (changed.includes("netGraph")) this.setShown(values.netGraph); });
    this.scale.on(Phaser.Scale.Events.RESIZE, this.placePanel, this);
    // GameScene puts the probe on `window` in its first update, and scenes update in no order to rely on: publish after them all.
    this.game.events.on(Phaser.Core.Events.POST_STEP, this.publish, this);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      unsubscribe();
      this.scale.off(Phaser.Scale.Events.RESIZE, this.placePanel, this);
      this.game.events.off(Phaser.Core.Events.POST_STEP, this.publish, this);
    });
  }

  /** At the top right, as wide as the screen allows, the text sized to the width. */
  private placePanel(): void {
    this.panelWidth = Math.min(PANEL_WIDTH, this.scale.width - 2 * EDGE);
    const left = this.scale.width - EDGE - this.panelWidth;
    this.backdrop.setX(left);
    this.text.setX(left + PADDING).setFontSize(this.panelWidth >= 380 ? 14 : 12);
  }

  update() {
    const stats = this.session.netStats(drawnFrameRate(this.game));
    this.latest = stats;
    if (!this.shown) return;
    this.text.setText(describe(stats));
    this.layOut(stats);
  }

  private publish(): void {
    if (window.arenaProbe && this.latest) window.arenaProbe.net = { ...this.latest, visible: this.shown };
  }

  private setShown(shown: boolean): void {
    this.shown = shown;
    for (const item of [this.backdrop, this.text, this.graph, ...this.captions]) item.setVisible(shown);
  }

  private layOut(stats: NetStatsSnapshot): void {
    const left = this.backdrop.x + PADDING;
    const arrivalTop = this.text.y + this.text.height + GRAPH_GAP;
    const pingTop = arrivalTop + GRAPH_HEIGHT + GRAPH_GAP;
    const width = this.panelWidth - 2 * PADDING;
    this.captions[0].setPosition(left, arrivalTop - 17);
    this.captions[1].setPosition(left, pingTop - 17);
    this.backdrop.setSize(this.panelWidth, pingTop + GRAPH_HEIGHT + PADDING - this.backdrop.y);
    const g = this.graph.clear();
    const expectedGap = stats.tickRate ? 1000 / stats.tickRate : undefined;
    drawArrivals(g, stats.patchGapsMs, expectedGap, left, arrivalTop, width);
    drawPing(g, stats.pingHistoryMs, left, pingTop, width);
  }
}

/** The panel's lines. */
function describe(stats: NetStatsSnapshot): string {
  const c = stats.corrections;
  const simulation = stats.simulation
    ? `sim   ${describeNetworkProfile(stats.simulation)} (${stats.simulation.stalls} stalls)`
    : "sim   off";
  return [
    "NET                        F3 hides",
    `ping    ${fixed(stats.pingMs, 0, 5)} ms   jitter  ${fixed(stats.jitterMs, 1, 5)} ms`,
    `tick    ${fixed(stats.tickRate ?? 0, 0, 5)} Hz   patches ${fixed(stats.perSecond.patches, 0, 5)} /s`,
    `in    ${fixed(stats.perSecond.bytesIn / 1000, 1, 5)} kB/s   out   ${fixed(stats.perSecond.bytesOut / 1000, 1, 5)} kB/s`,
    `pending ${fixed(stats.pendingInputs ?? 0, 0, 5)}      interp  ${fixed(stats.interpolationDelayMs ?? 0, 0, 5)} ms`,
    `fps     ${fixed(stats.fps ?? 0, 0, 5)}      via     ${describeTransport(stats)}`,
    `corrections ${fixed(c.perMinute, 1, 5)} /min`,
    `  last ${fixed(c.last, 1, 6)} u     max ${fixed(c.max, 1, 6)} u`,
    simulation,
  ].join("\n");
}

/** The channel the state arrives on, and on datagrams their loss: "datagram 1.2 % lost", "websocket". */
function describeTransport(stats: NetStatsSnapshot): string {
  if (stats.transport !== "datagram") return "websocket";
  return stats.datagramLossPercent === undefined ? "datagram" : `datagram ${stats.datagramLossPercent.toFixed(1)} % lost`;
}

function fixed(value: number, digits: number, width: number): string {
  return value.toFixed(digits).padStart(width);
}

/** One bar per patch: its gap since the one before, coloured by how late it was. */
function drawArrivals(
  g: Phaser.GameObjects.Graphics, gaps: readonly number[], expectedGap: number | undefined, left: number, top: number, width: number,
): void {
  g.fillStyle(0x000000, 0.5).fillRect(left, top, width, GRAPH_HEIGHT);
  const barWidth = width / ARRIVAL_BARS;
  const shown = gaps.slice(-ARRIVAL_BARS);
  const start = left + width - shown.length * barWidth;
  shown.forEach((gap, i) => {
    const height = (Math.min(gap, GAP_SCALE_MS) / GAP_SCALE_MS) * GRAPH_HEIGHT;
    const late = expectedGap !== undefined && gap > 2 * expectedGap;
    g.fillStyle(gap > 100 ? STALL_COLOR : late ? LATE_COLOR : OK_COLOR, 1)
      .fillRect(start + i * barWidth, top + GRAPH_HEIGHT - height, Math.max(1, barWidth - 1), height);
  });
  if (expectedGap !== undefined) {
    const y = top + GRAPH_HEIGHT - (expectedGap / GAP_SCALE_MS) * GRAPH_HEIGHT;
    g.lineStyle(1, 0xffffff, 0.5).lineBetween(left, y, left + width, y);
  }
}

/** Ping as a line, scaled to the largest value shown (at least 200 ms). */
function drawPing(g: Phaser.GameObjects.Graphics, pings: readonly number[], left: number, top: number, width: number): void {
  g.fillStyle(0x000000, 0.5).fillRect(left, top, width, GRAPH_HEIGHT);
  if (pings.length < 2) return;
  const scale = Math.max(200, ...pings) * 1.1;
  const step = width / (pings.length - 1);
  const points = pings.map((ping, i) => new Phaser.Math.Vector2(left + i * step, top + GRAPH_HEIGHT - (ping / scale) * GRAPH_HEIGHT));
  g.lineStyle(2, PING_COLOR, 1).strokePoints(points);
}

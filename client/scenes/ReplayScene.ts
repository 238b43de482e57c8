import Phaser from "phaser";
import { ARENA_MAP } from "../../shared/map.ts";
import { openReplay, type ReplayPlayback } from "../../shared/replayRun.ts";
import type { WorldEvent } from "../../shared/worldState.ts";
import { ArenaPainter, type DrawnPose } from "../arenaPainter.ts";
import { TELEPORT_DISTANCE } from "../net/interpolation.ts";
import { formatClock } from "../view/clock.ts";
import "../probe.ts";
import { computeView } from "../view/camera.ts";
import type { ReplayDeck } from "./ReplayControlsScene.ts";

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8] as const;
/** Ticks a frame may apply at most, so a fast speed on a slow machine never freezes the page. */
const MAX_TICKS_PER_FRAME = 64;
/** A longer gap between frames (a hidden tab) counts as this much: playback does not leap ahead. */
const MAX_FRAME_GAP_MS = 500;

/**
 * Plays a replay file back (`?replay=URL`: a simulation's recording, or a
 * server's from `/replays/<file>`) with the game's own drawing and no
 * network: the shared step re-runs the recorded match tick by tick, and
 * players are drawn between the last two ticks. Space pauses, → steps one
 * tick while paused, 1–6 (or the buttons) pick the speed.
 */
export class ReplayScene extends Phaser.Scene {
  private playback: ReplayPlayback | undefined;
  private painter!: ArenaPainter;
  private statusLines: string[] = [];
  /** Frames drawn, for the probe's `frame`. */
  private frames = 0;
  private readonly previous = new Map<string, { x: number; y: number }>();
  private readonly worldEvents: WorldEvent[] = [];
  private speed = 1;
  private lastFrameAt: number | undefined;
  private paused = false;
  private elapsedMs = 0;
  private failure = "";

  constructor() {
    super("ReplayScene");
  }

  create(data: { url: string }) {
    this.lastFrameAt = undefined;
    this.painter = new ArenaPainter(this);
    this.statusLines = ["Loading replay…"];
    this.addControls();
    void this.fetchReplay(data.url);
  }

  update(time: number) {
    // Wall-clock time between frames, not Phaser's smoothed delta: on a slow machine (a few frames a
    // second) the smoothed delta stays near 16 ms and the match would play many times too slowly.
    const deltaMs = this.lastFrameAt === undefined ? 0 : Math.min(MAX_FRAME_GAP_MS, time - this.lastFrameAt);
    this.lastFrameAt = time;
    const playback = this.playback;
    if (!playback) return;
    const tickMs = 1000 / playback.tickHz;
    if (!this.paused && !playback.done && !this.failure) {
      this.elapsedMs += deltaMs * this.speed;
      for (let n = 0; this.elapsedMs >= tickMs && !playback.done && n < MAX_TICKS_PER_FRAME; n++) {
        this.stepOnce();
        this.elapsedMs -= tickMs;
      }
      if (this.elapsedMs >= tickMs) this.elapsedMs = 0; // fell behind: drop the backlog
    }
    this.draw(playback.done ? 1 : Math.min(1, this.elapsedMs / tickMs));
    // Nobody to follow: the whole arena where it is readable, else its middle.
    const view = computeView(this.scale.width, this.scale.height, ARENA_MAP.width, ARENA_MAP.height);
    this.cameras.main.setZoom(view.zoom).centerOn(view.centerX, view.centerY);
  }

  private async fetchReplay(url: string): Promise<void> {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      this.playback = openReplay(new Uint8Array(await response.arrayBuffer()));
      this.rememberPositions();
    } catch (error) {
      this.statusLines = [`Cannot play this replay: ${(error as Error).message}`];
    }
  }

  private stepOnce(): void {
    this.rememberPositions();
    this.worldEvents.length = 0;
    try {
      this.playback!.step(this.worldEvents);
    } catch (error) {
      // A recording that no longer matches the rules: stop where it diverged, and say so.
      this.paused = true;
      this.failure = `the replay stopped at tick ${this.playback!.ticksDone}: ${(error as Error).message}`;
    }
  }

  private rememberPositions(): void {
    this.previous.clear();
    this.playback!.world.players.forEach((player, id) => this.previous.set(id, { x: player.x, y: player.y }));
  }

  /** Draws the world `alpha` of the way from the previous tick to the current one. */
  private draw(alpha: number): void {
    const playback = this.playback!;
    const { world } = playback;
    this.painter.clear();
    world.projectiles.forEach((shot) => this.painter.projectile(shot.x, shot.y));
    const drawnAt: Array<{ id: string; x: number; y: number }> = [];
    const poseOf = (id: string, player: { x: number; y: number; aim: number }): DrawnPose => {
      const from = this.previous.get(id);
      const glide = from && Math.hypot(player.x - from.x, player.y - from.y) < TELEPORT_DISTANCE;
      const pose = glide
        ? { x: from.x + (player.x - from.x) * alpha, y: from.y + (player.y - from.y) * alpha, aim: player.aim }
        : { x: player.x, y: player.y, aim: player.aim };
      drawnAt.push({ id, x: pose.x, y: pose.y });
      return pose;
    };
    const { drawn } = this.painter.players(world.players, poseOf);

    const seconds = Math.floor(playback.ticksDone / playback.tickHz);
    const total = Math.floor(playback.ticks / playback.tickHz);
    const scores = [...world.players.values()].sort((a, b) => b.score - a.score).slice(0, 4).map((p) => `${p.name} ${p.score}`).join(" · ");
    this.statusLines = [
      `Replay: ${playback.description}`,
      `${formatClock(seconds)} / ${formatClock(total)}   ${this.speed}×${this.paused ? "   paused" : ""}${playback.done ? "   the end" : ""}   ${world.phase === "scoreboard" ? "scoreboard" : `${world.timeLeft} s left`}`,
      this.failure || scores,
    ];
    window.arenaProbe = {
      frame: ++this.frames, sessionId: "", playersDrawn: drawn, pingMs: 0, pendingInputs: 0, status: "replay", closedReason: "",
      spectating: true, feed: [],
      replay: {
        tick: playback.ticksDone, ticks: playback.ticks, speed: this.speed, paused: this.paused, finished: playback.done,
        players: drawnAt,
      },
    };
  }

  private addControls(): void {
    const keyboard = this.input.keyboard!;
    keyboard.on("keydown-SPACE", () => this.togglePause());
    keyboard.on("keydown-RIGHT", () => {
      if (this.paused && this.playback && !this.playback.done && !this.failure) this.stepOnce();
    });
    SPEEDS.forEach((speed, i) => keyboard.on(`keydown-${["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX"][i]}`, () => (this.speed = speed)));

    const deck: ReplayDeck = {
      speeds: SPEEDS,
      togglePause: () => this.togglePause(),
      setSpeed: (speed) => { this.speed = speed; },
      status: () => this.statusLines,
    };
    this.scene.launch("ReplayControlsScene", { deck });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.scene.stop("ReplayControlsScene"));
  }

  private togglePause(): void {
    this.paused = !this.paused;
  }
}

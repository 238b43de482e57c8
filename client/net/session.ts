import { Client, CloseCode, type InputHandle, type Room } from "@colyseus/sdk";
import { Predict, type Reconciler } from "@colyseus/sdk/predict";
import { DEFAULT_TICK_HZ } from "../../shared/constants.ts";
import { stepPlayer } from "../../shared/player.ts";
import { makeRules } from "../../shared/rules.ts";
import {
  type ArenaView, type KillNotice, type OwnPlayerView, type PlayerInput,
  type PlayerView,
} from "../../shared/protocol.ts";
import { guestAuthFor } from "./auth.ts";
import { describeJoinError, describeLeave } from "./errors.ts";
import { openRoom, retryWhileRegistryAway, savedSeat, type Entry } from "./joining.ts";
import { AdaptiveInterpolation, TELEPORT_DISTANCE } from "./interpolation.ts";
import { ProjectileDisplay } from "./projectiles.ts";
import { configureReconnection } from "./reconnection.ts";
import { attachNetworkSimulator, type NetworkSimulator } from "./netsim.ts";
import type { NetworkProfile } from "./networkProfile.ts";
import { NetStats, type NetStatsSnapshot } from "./netstats.ts";
import { RoomNotices, type FeedLine, type HitNotice } from "./notices.ts";

export type { FeedLine, HitNotice };

/** Where the connection stands, for the HUD to put in words. */
export type ConnectionStatus = "connected" | "reconnecting" | "closed";

/** The own player's corrections larger than this pop instead of easing in. */
const SNAP_DISTANCE = 100; // u

/**
 * One player's connection to one arena room. It owns the Colyseus `Room`, the
 * input channel, the SDK's `Predict` (interpolation of everyone else) and the
 * reconciler that predicts the own player with the same `stepPlayer` the
 * server runs. Scenes read plain values from it and never touch the room.
 */
export class ArenaSession {
  status: ConnectionStatus = "connected";
  /** Why the connection closed, in words, when `status` is "closed". */
  closedReason = "";
  /** The close code, when `status` is "closed". */
  closedCode: number | undefined;

  private readonly predict: Predict;
  /** Remote players' render delay, following the network. */
  readonly interpolation: AdaptiveInterpolation;
  /** Everyone's projectiles, the own ones predicted. */
  readonly projectiles: ProjectileDisplay;
  private readonly input: InputHandle<PlayerInput>;
  private reconciler: Reconciler<OwnPlayerView, PlayerInput> | undefined;
  private leaving = false;
  /** Where and as whom this session joined: `playElsewhere` joins again the same way. */
  private origin: { endpoint: string; name: string; network?: NetworkProfile } | undefined;
  private readonly room: Room;
  /** What the server tells this player: the feed, hits, the shutdown notice. */
  private readonly notices: RoomNotices;
  // Net graph: counters, and the simulated network when the page asked for one (see attachNetTools).
  private readonly netCounters: NetStats;
  private readonly simulator: NetworkSimulator | undefined;

  private constructor(room: Room, network?: NetworkProfile) {
    this.room = room;
    this.notices = new RoomNotices(room);
    this.input = room.input<PlayerInput>();
    [this.netCounters, this.simulator] = this.attachNetTools(network);
    this.predict = Predict.get(room, { mode: "lerp", snap: TELEPORT_DISTANCE });
    // Default-shaped attachments follow the Predict's defaults, which the adaptive delay sets.
    this.predict.attachAll("players", { x: {}, y: {} });
    this.predict.attachAll("players", { aim: { angle: true } });
    this.interpolation = new AdaptiveInterpolation(this.predict, room.clock, () => this.input.patchRate ?? 1000 / DEFAULT_TICK_HZ);
    this.projectiles = new ProjectileDisplay(
      this.predict, () => this.room.sessionId,
      () => makeRules({ tickHz: this.input.tickRate ?? DEFAULT_TICK_HZ }).fireCooldownTicks,
      () => this.room.clock.serverNow(),
    );
    this.listen();
  }

  /** Quick play: joins the fullest open room, or creates one. */
  static join(endpoint: string, name: string, network?: NetworkProfile): Promise<ArenaSession> {
    return ArenaSession.enter(endpoint, { kind: "quickPlay", name }, network);
  }

  /**
   * Takes a seat (or a spectator's seat) in a room the way `entry` says.
   * Rejects with an `Error` whose message is fit for the player. While the
   * game's registry is away it keeps trying by itself, saying so through `onWait`.
   */
  static async enter(endpoint: string, entry: Entry, network?: NetworkProfile, onWait: (sentence: string) => void = () => {}): Promise<ArenaSession> {
    try {
      const client = await guestAuthFor(endpoint).client();
      const room = await retryWhileRegistryAway(() => openRoom(client, endpoint, entry), onWait);
      const session = new ArenaSession(room, network);
      session.origin = { endpoint, name: entry.name, network };
      // A private room's id is its code: show it so it can be shared.
      if (entry.kind === "createPrivate" || entry.kind === "code") session.privateCode = room.roomId;
      return session;
    } catch (error) {
      throw new Error(describeJoinError(error, endpoint));
    }
  }

  /**
   * Takes back the seat this tab held before a reload, if the server still
   * holds it (the token lives in sessionStorage, so only this tab can). Resolves
   * `undefined` when there is nothing to resume; rejects with a sentence when
   * there was a seat but it is gone.
   */
  static async resume(endpoint: string, network?: NetworkProfile): Promise<ArenaSession | undefined> {
    const token = savedSeat.read();
    if (!token) return undefined;
    try {
      // Answered by the process holding the room; another process needs the registry, and says 503 while it is away.
      const room = await retryWhileRegistryAway(() => new Client(endpoint).reconnect(token));
      return new ArenaSession(room, network);
    } catch (error) {
      savedSeat.clear();
      throw new Error(`Your previous game could not be resumed: ${describeJoinError(error, endpoint)}`);
    }
  }

  /**
   * True once the server this room ran on has shut down under a player (close
   * code 4001, a drain): the game goes on elsewhere, through `playElsewhere`.
   */
  get movedOut(): boolean {
    return this.status === "closed" && this.closedCode === CloseCode.SERVER_SHUTDOWN && !this.spectating && this.origin !== undefined;
  }

  /**
   * A seat in another game by quick play, under the same name, through the
   * same endpoint (behind a load balancer, a process that is not draining).
   * Rejects with a sentence for the player.
   */
  playElsewhere(): Promise<ArenaSession> {
    if (!this.origin) return Promise.reject(new Error("This game cannot be rejoined from here."));
    const { endpoint, name, network } = this.origin;
    return ArenaSession.enter(endpoint, { kind: "quickPlay", name: this.me?.name ?? name }, network);
  }

  get sessionId(): string {
    return this.room.sessionId;
  }

  /** The decoded room state (decoded by reflection: the client bundles no server schema). */
  get state(): ArenaView {
    return this.room.state as ArenaView;
  }

  get me(): OwnPlayerView | undefined {
    return this.state.players?.get(this.room.sessionId) as OwnPlayerView | undefined;
  }

  /** Watching: connected, but without a player (until `takeSeat` is granted). */
  get spectating(): boolean {
    return this.status === "connected" && this.state.players !== undefined && !this.me;
  }

  /** The room's id. */
  get roomId(): string {
    return this.room.roomId;
  }

  /** The code of the private room this session created or joined by code. */
  privateCode: string | undefined;

  /** A spectator asks for a free player seat; a refusal arrives in the feed. */
  takeSeat(): void {
    this.room.send("takeSeat");
  }

  /**
   * Call once per rendered frame, before reading positions: sends one input
   * per fixed tick that is due (the predictor paces them at the server's rate)
   * and predicts each one at once. Returns how many inputs it sent (0 between
   * ticks and while not connected), so a trigger pull shorter than a tick is
   * kept until an input has carried it.
   */
  update(now: number, controls: PlayerInput): number {
    this.ensureReconciler();
    const steps = this.predict.tick(now);
    this.interpolation.onFrame(now);
    if (this.status !== "connected") return 0;
    const data = this.input.data;
    for (let i = 0; i < steps; i++) {
      // Rounded to float32, the wire's precision, so the input predicted here is
      // bit for bit the one the server decodes (0.6 would arrive as 0.6000000238).
      data.moveX = Math.fround(controls.moveX);
      data.moveY = Math.fround(controls.moveY);
      data.aim = Math.fround(controls.aim);
      data.fire = controls.fire;
      this.input.send();
    }
    return steps;
  }

  /** Where to draw a player this frame: predicted for the own player, interpolated for the others. */
  playerPosition(id: string, player: PlayerView): { x: number; y: number; aim: number } {
    if (id === this.room.sessionId && this.reconciler) {
      return { x: this.reconciler.value("x"), y: this.reconciler.value("y"), aim: player.aim };
    }
    return { x: this.predict.value(player, "x"), y: this.predict.value(player, "y"), aim: this.predict.value(player, "aim") };
  }


  /**
   * The server time (ms since the room started) remote players are drawn at
   * now: interpolation delay and half a round trip behind the server. The SDK
   * stamps inputs with the same instant for lag compensation.
   */
  get viewTime(): number {
    const clock = this.room.clock;
    return clock.serverNow() - this.interpolation.delayMs - clock.smoothedRtt() / 2;
  }

  /**
   * Calls `listener` after every state patch is applied, with the server time
   * (ms since the room started) it describes. Returns an unsubscribe.
   */
  onSnapshot(listener: (serverTime: number) => void): () => void {
    const callback = () => listener(this.room.clock.lastServerTime());
    this.room.onStateChange(callback);
    return () => this.room.onStateChange.remove(callback);
  }

  /** The server's clock now, as this client estimates it (ms since the room started). */
  get serverNow(): number {
    return this.room.clock.serverNow();
  }

  /** Server time of the newest state received (ms since the room started). */
  get snapshotTime(): number {
    return this.room.clock.lastServerTime();
  }

  /** Round-trip time to the server, in ms (0 until measured). */
  get pingMs(): number {
    return this.room.clock.smoothedRtt();
  }

  /** Inputs sent and not yet acknowledged by the server. */
  get pendingInputs(): number {
    return this.input.pendingCount;
  }

  sendChat(text: string): void {
    this.room.send("chat", { text });
  }

  async leave(): Promise<void> {
    this.leaving = true;
    this.reconciler?.dispose();
    this.predict.dispose();
    await this.room.leave(true);
  }

  private ensureReconciler(): void {
    if (this.reconciler) return;
    const me = this.me;
    if (!me) return;
    this.reconciler = this.predict.reconciler(me, {
      input: this.input,
      fields: ["x", "y", "vx", "vy", "alive"],
      snap: SNAP_DISTANCE,
      // Also switches on the correction telemetry (lastCorrectionMag) the net graph counts.
      warnOnDivergence: SNAP_DISTANCE,
      // The very function the server steps players with: prediction is exact.
      step: (ctx, predicted, command) => {
        stepPlayer(predicted, command, ctx.dt);
        // Shots are shown once, when the input is first predicted, never again on replays.
        if (!ctx.isReplay) this.projectiles.onOwnStep(predicted, command, this.state.phase === "playing");
      },
    });
  }

  /** Render delay of remote players behind the newest snapshot (ms), for the net graph. */
  get interpolationDelayMs(): number {
    return this.interpolation.delayMs;
  }

  /** The net graph's numbers now, as a plain object; `fps` is the renderer's frame rate. */
  netStats(fps?: number): NetStatsSnapshot {
    return this.netCounters.snapshot(performance.now(), fps);
  }

  /** Counters first, simulator second: the counters then see frames as the game does, after the simulated delay. */
  private attachNetTools(network: NetworkProfile | undefined): [NetStats, NetworkSimulator | undefined] {
    const counters = new NetStats(this.room, {
      pendingInputs: () => this.input.pendingCount,
      tickRate: () => this.input.tickRate,
      interpolationDelayMs: () => this.interpolationDelayMs,
      reconciler: () => this.reconciler,
      simulator: () => this.simulator,
    });
    return [counters, network && attachNetworkSimulator(this.room, network)];
  }

  /** Reconciliations of the own player so far (each one compares the prediction with the server). */
  get reconcileCount(): number {
    return this.reconciler?.reconcileSeq ?? 0;
  }

  /** Size of the latest correction of the own player (world units; 0 when the prediction was exact). */
  get lastCorrection(): number {
    return this.reconciler?.lastCorrectionMag ?? 0;
  }

  /** Calls `listener` for every hit the server grants one of this player's shots. Returns an unsubscribe. */
  onHit(listener: (hit: HitNotice) => void): () => void {
    return this.notices.onHit(listener);
  }

  /** Calls `listener` for every kill in the room, with the killer's and victim's session ids. Returns an unsubscribe. */
  onKill(listener: (kill: KillNotice) => void): () => void {
    return this.notices.onKill(listener);
  }

  /** The last chat, kill and system lines, oldest first. */
  get feed(): readonly FeedLine[] {
    return this.notices.feed;
  }

  /** `performance.now()` at which the server said it will close the room, if it did. */
  get closingAt(): number | undefined {
    return this.notices.closingAt;
  }

  /** Reconnection attempts made since the connection was lost (for "Reconnecting… attempt 3"). */
  get reconnectAttempt(): number {
    return this.room.reconnection.retryCount;
  }

  private listen(): void {
    configureReconnection(this.room);
    savedSeat.write(this.room.reconnectionToken);
    this.room.onDrop(() => { this.status = "reconnecting"; });
    this.room.onReconnect(() => {
      this.status = "connected";
      // The token changes with every connection; keep the newest for a reload.
      savedSeat.write(this.room.reconnectionToken);
      // A new connection restarts input sequence numbers: drop the old prediction backlog.
      this.reconciler?.reset();
      this.projectiles.reset();
    });
    this.room.onLeave((code, reason) => {
      this.status = "closed";
      this.closedCode = code;
      savedSeat.clear();
      this.closedReason = this.leaving ? "You left the game." : describeLeave(code, reason);
    });
    this.room.onError((code, message) => {
      // Failed reconnection attempts report here too; the overlay already counts them.
      if (this.status !== "connected") return;
      this.notices.push("system", `Server error${code === undefined ? "" : ` ${code}`}${message ? `: ${message}` : ""}`);
    });
  }
}

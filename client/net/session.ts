import { Client, type InputHandle, type Room } from "@colyseus/sdk";
import type { ViewSize } from "../../shared/largeMode.ts";
import {
  type KillNotice, type OwnPlayerView, type PlayerInput,
  type PlayerView,
} from "../../shared/protocol.ts";
import { guestAuthFor } from "./auth.ts";
import { RoomConnection, type ConnectionStatus } from "./connection.ts";
import { describeJoinError } from "./errors.ts";
import { openRoom, retryWhileRegistryAway, savedSeat, type Entry } from "./joining.ts";
import { openInputs, Prediction } from "./prediction.ts";
import { DatagramLink, defaultDatagrams, type DatagramChoice, type Transport } from "./datagrams.ts";
import { attachNetTools } from "./netTools.ts";
import type { NetworkProfile } from "./networkProfile.ts";
import type { NetStats, NetStatsSnapshot } from "./netstats.ts";
import { RoomNotices, type FeedLine, type HitNotice } from "./notices.ts";
import { followRoomMoves } from "./roomFollow.ts";
import type { RoomView } from "./roomMode.ts";

export type { FeedLine, HitNotice };

/**
 * One player's connection to one arena room: joining, reconnecting, leaving,
 * and what the room says. It owns the Colyseus `Room` and the input channel;
 * what the player sees ahead of and behind the server is its `prediction`,
 * and the net graph's numbers come from its `NetStats`. Scenes read plain
 * values from it and never touch the room.
 */
export class ArenaSession {
  /** The own player predicted, everyone else interpolated, the projectiles flown. */
  readonly prediction: Prediction;
  private readonly input: InputHandle<PlayerInput>;
  /**
   * A seat in another game, joined the way this session joined this one: quick play through the same
   * endpoint (behind a load balancer, a process that is not draining), under the same name, in the same
   * mode. Rejects with a sentence for the player. Undefined for a seat taken back after a reload.
   */
  playElsewhere: (() => Promise<ArenaSession>) | undefined;
  private readonly room: Room;
  /** What the server tells this player: the feed, hits, the shutdown notice. */
  private readonly notices: RoomNotices;
  // Net graph: counters (above the simulated network, when the page asked for one: see netTools.ts).
  private readonly netCounters: NetStats;
  /** The DataChannel under the room's unreliable frames, unless the session plays over the WebSocket alone. */
  private readonly datagrams: DatagramLink | undefined;
  private readonly connection: RoomConnection;

  private constructor(room: Room, endpoint: string, network?: NetworkProfile, datagrams: DatagramChoice = defaultDatagrams()) {
    this.room = room;
    // A room moved to a process at another address is followed there, through the matchmaker at `endpoint`.
    followRoomMoves(room, endpoint);
    this.notices = new RoomNotices(room);
    this.input = openInputs(room);
    this.prediction = new Prediction(room, this.input);
    // First: the other taps then see datagrams as the room does.
    this.datagrams = datagrams === "websocket" ? undefined : new DatagramLink(room, datagrams.peerConnection);
    this.netCounters = attachNetTools(room, {
      pendingInputs: () => this.input.pendingCount,
      tickRate: () => this.input.tickRate,
      interpolationDelayMs: () => this.prediction.interpolation.delayMs,
      reconciler: () => this.prediction.ownReconciler,
    }, this.datagrams, network).counters;
    this.connection = new RoomConnection(room, this.notices, () => {
      this.notices.movingSince = undefined;
      // A new connection restarts input sequence numbers: drop the old prediction backlog.
      this.prediction.reset();
    });
  }

  /** Where the connection stands (the SDK takes a dropped one back by itself). */
  get status(): ConnectionStatus {
    return this.connection.status;
  }

  /** Why the connection closed, in words, when `status` is "closed". */
  get closedReason(): string {
    return this.connection.closedReason;
  }

  /** The close code, when `status` is "closed". */
  get closedCode(): number | undefined {
    return this.connection.closedCode;
  }

  /** Quick play: joins the fullest open room, or creates one. */
  static join(endpoint: string, name: string, network?: NetworkProfile, datagrams?: DatagramChoice): Promise<ArenaSession> {
    return ArenaSession.enter(endpoint, { kind: "quickPlay", name }, network, undefined, datagrams);
  }

  /**
   * Takes a seat (or a spectator's seat) in a room the way `entry` says.
   * Rejects with an `Error` whose message is fit for the player. While the
   * game's registry is away it keeps trying by itself, saying so through `onWait`.
   * `datagrams` picks the unreliable frames' channel (by default the browser's DataChannel).
   */
  static async enter(
    endpoint: string, entry: Entry, network?: NetworkProfile, onWait: (sentence: string) => void = () => {}, datagrams = defaultDatagrams(),
  ): Promise<ArenaSession> {
    try {
      const client = await guestAuthFor(endpoint).client();
      const room = await retryWhileRegistryAway(() => openRoom(client, endpoint, entry), onWait);
      const session = new ArenaSession(room, endpoint, network, datagrams);
      const large = entry.kind === "quickPlay" || entry.kind === "code" ? entry.large : undefined;
      session.playElsewhere = () => ArenaSession.enter(endpoint, { kind: "quickPlay", name: session.me?.name ?? entry.name, large }, network, undefined, datagrams);
      session.largeView = large;
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
  static async resume(endpoint: string, network?: NetworkProfile, datagrams = defaultDatagrams()): Promise<ArenaSession | undefined> {
    const token = savedSeat.read();
    if (!token) return undefined;
    try {
      // Answered by the process holding the room; another process needs the registry, and says 503 while it is away.
      const room = await retryWhileRegistryAway(() => new Client(endpoint).reconnect(token));
      return new ArenaSession(room, endpoint, network, datagrams);
    } catch (error) {
      savedSeat.clear();
      throw new Error(`Your previous game could not be resumed: ${describeJoinError(error, endpoint)}`);
    }
  }

  get sessionId(): string {
    return this.room.sessionId;
  }

  /** The decoded room state (decoded by reflection: the client bundles no server schema). */
  get state(): RoomView {
    return this.room.state as RoomView;
  }

  /** The view (world units) this session asked a large room for when it joined one; undefined otherwise. */
  largeView: ViewSize | undefined;

  /** A spectator of a large room watches player `sessionId`: the server sends what lies around that player. */
  follow(sessionId: string): void {
    this.room.send("follow", { sessionId });
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
    return this.prediction.update(now, controls, this.status === "connected");
  }

  /** Where to draw a player this frame: predicted for the own player, interpolated for the others. */
  playerPosition(id: string, player: PlayerView): { x: number; y: number; aim: number } {
    return this.prediction.playerPosition(id, player);
  }

  /**
   * The server time (ms since the room started) remote players are drawn at
   * now: interpolation delay and half a round trip behind the server. The SDK
   * stamps inputs with the same instant for lag compensation.
   */
  get viewTime(): number {
    const clock = this.room.clock;
    return clock.serverNow() - this.prediction.interpolation.delayMs - clock.smoothedRtt() / 2;
  }

  /**
   * Calls `listener` after every state patch is applied, with the server time
   * (ms since the room started) of the newest state received: a patch the
   * WebSocket held back can arrive after newer datagrams. Returns an unsubscribe.
   */
  onSnapshot(listener: (serverTime: number) => void): () => void {
    const callback = () => listener(this.prediction.snapshots.serverTime);
    this.room.onStateChange(callback);
    return () => this.room.onStateChange.remove(callback);
  }

  /** The server's clock now, as this client estimates it (ms since the room started). */
  get serverNow(): number {
    return this.room.clock.serverNow();
  }

  /** Server time of the newest state received (ms since the room started). */
  get snapshotTime(): number {
    return this.prediction.snapshots.serverTime;
  }

  /** The channel the room's state arrives on: its DataChannel while that is up, else the WebSocket. */
  get transport(): Transport {
    return this.datagrams?.transport ?? "websocket";
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

  /** Reports player `sessionId` to the moderators; the server's thanks (or refusal) arrives in the feed. */
  sendReport(sessionId: string, reason: string): void {
    this.room.send("report", { sessionId, reason });
  }

  async leave(): Promise<void> {
    this.connection.markLeaving();
    this.prediction.dispose();
    this.datagrams?.close();
    await this.room.leave(true);
  }

  /** The net graph's numbers now, as a plain object; `fps` is the renderer's frame rate. */
  netStats(fps?: number): NetStatsSnapshot {
    return this.netCounters.snapshot(performance.now(), fps);
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

  /**
   * True while the room moves to another server process (a deploy): the
   * connection is down on purpose and the SDK is taking the player back to the
   * same room and seat ("Moving to a new server…" rather than "Connection lost").
   */
  get moving(): boolean {
    return this.status === "reconnecting" && this.notices.movingSince !== undefined;
  }

  /** Reconnection attempts made since the connection was lost (for "Reconnecting… attempt 3"). */
  get reconnectAttempt(): number {
    return this.room.reconnection.retryCount;
  }
}

import { randomInt } from "node:crypto";
import { Room, ServerError, type Client, type InputAPI } from "@colyseus/core";
import { JoinError, ServerMessage, sanitizeInput, type JoinOptions, type RoomListing } from "../../shared/protocol.ts";
import type { ViewSize } from "../../shared/largeMode.ts";
import { positionGrid } from "../../shared/map.ts";
import { stepWorld } from "../../shared/world.ts";
import { NO_LAG_COMPENSATION, type LagCompensation, type TickInput, type WorldEvent, type WorldState } from "../../shared/worldState.ts";
import type { RoomMetrics } from "../metrics.ts";
import { announce } from "./announcements.ts";
import { RoomChat } from "./chat.ts";
import { LobbyListing, unusedRoomCode } from "./listing.ts";
import { isKickCode, type MessageGuard } from "./messageGuard.ts";
import { joinUnreliable, screenFrames, stopPatchTimer, tickWrites } from "../colyseusSeams.ts";
import { RoomRelocation } from "./relocation.ts";
import { defineRoomMessages } from "./roomMessages.ts";
import { RoomModeration, acceptableName, type RoomAction } from "./moderation.ts";
import type { GuestClaims } from "../security/tokens.ts";
import { InputPacer } from "./inputPacing.ts";
import { MatchRecorder } from "./matchRecorder.ts";
import { PatchPacer } from "./patchTiming.ts";
import { roomLagCompensation } from "./lagCompensation.ts";
import { StateView } from "@colyseus/schema";
import { RoomBots } from "./bots.ts";
import { Seats } from "./seats.ts";
import { SpectatorInputs } from "./spectatorInputs.ts";
import { StateMirror } from "./stateMirror.ts";
import { ArenaInput, ArenaState, type Player } from "../schema/ArenaState.ts";
import type { ArenaCreateOptions, ArenaSettings, RoomLimits } from "./settings.ts";

/**
 * The game room: a fixed-step loop over the shared world step. Each tick it
 * takes each player's buffered inputs (paced, see `InputPacer`), steps the
 * world, and announces what happened; the rules live in `shared/`. Players and
 * spectators have separate seats (`Seats`); public rooms are listed in the
 * lobby with their seats and match clock; a private room's id is its code.
 */
export class ArenaRoom extends Room<{ state: ArenaState; input: ArenaInput; metadata: RoomListing }> {
  state = new ArenaState();
  /** Defined in onCreate, where the host's input buffer bound is known. */
  declare inputs: InputAPI<ArenaInput>;

  /** The game as the step sees it; `state` is its image on the wire (see StateMirror). */
  world!: WorldState;
  protected mirror!: StateMirror;
  protected settings!: ArenaSettings;
  protected guard!: MessageGuard;
  private metrics!: RoomMetrics;
  protected seats!: Seats;
  private bots!: RoomBots;
  private chat!: RoomChat;
  private moderation!: RoomModeration;
  /** How many buffered inputs each player may apply per tick: see InputPacer. */
  private readonly pacers = new Map<string, InputPacer>();
  private readonly tickInputs = new Map<string, TickInput[]>();
  private readonly events: WorldEvent[] = [];
  private lagCompensation = NO_LAG_COMPENSATION as LagCompensation;
  private readonly spectatorInputs = new SpectatorInputs({
    spectators: () => this.seats.spectators.keys(),
    inputsOf: (sessionId) => this.inputs.get(sessionId),
    clientOf: (sessionId) => this.clients.getById(sessionId),
    dropped: (count) => this.metrics.spectatorInputsRefused(count),
  });
  private listing!: LobbyListing;
  private recorder: MatchRecorder | undefined;
  /** What happens to the room when its process drains: moving to another process, or arriving from one. */
  relocation!: RoomRelocation;

  async onCreate(options: ArenaCreateOptions) {
    this.settings = options.settings;
    this.metrics = options.settings.metrics;
    this.defineMessages(this.settings.limits);
    this.relocation = new RoomRelocation(this.settings);
    // A room moving here from another process keeps its id (a private room's id is its code).
    const moved = this.settings.moves?.arriving(this.roomId);
    if (moved ? moved.private : options.private === true) {
      if (!moved) this.roomId = await unusedRoomCode();
      await this.setPrivate(true);
    }
    const unpacked = moved && this.relocation.unpack(moved, this.roomId);
    const seed = unpacked?.world.seed ?? this.settings.seed ?? randomInt(2 ** 32);
    this.settings = this.settings.forSeed?.(seed) ?? this.settings;
    this.mirror = new StateMirror(this.state, seed, this.settings.rules, unpacked, this.settings.patchHz, this.settings.wire);
    this.world = this.mirror.world;
    this.seats = new Seats(this.mirror, this.settings.rules, {
      maxPlayers: this.settings.maxPlayers, maxSpectators: this.settings.maxSpectators, acceptable: acceptableName(this.settings.moderation),
      // People leaving and bots sent home alike, to the room's recorder (made below, when it records): a room that closes before its next tick is hashed with them.
      onFreed: (sessionId, player) => this.recorder?.left(sessionId, player),
    });
    this.bots = new RoomBots(this.world, this.seats, this.settings.rules, this.settings.minPlayers);
    this.chat = new RoomChat({
      speakerName: (sessionId) => this.seats.nameOf(sessionId),
      broadcast: (type, message) => this.broadcast(type, message),
    }, () => this.clock.currentTime, this.settings.chatBurst);
    this.moderation = new RoomModeration({ room: this, seats: this.seats, chat: this.chat, log: this.settings.log,
      recorded: () => this.recorder !== undefined, chatted: (sent) => this.metrics.chat(sent) }, this.settings.moderation);
    this.maxClients = this.settings.maxPlayers + this.settings.maxSpectators;
    this.listing = new LobbyListing(this, this.seats, this.bots, this.world, this.settings.mode);
    if (this.settings.maxRewindMs > 0) this.lagCompensation = roomLagCompensation(this, this.state, this.settings.maxRewindMs, positionGrid(this.settings.rules.map));
    if (this.settings.replay) {
      // Match end reaches the player records through the recorder (settings.replay.sink), with each player's profile.
      const profileOf = (id: string) => (this.clients.getById(id)?.auth as GuestClaims | undefined)?.profileId;
      this.recorder = new MatchRecorder(this.world, () => this.roomId, { ...this.settings.replay, log: this.settings.log, profileOf }, moved?.recording);
      this.lagCompensation = this.recorder.lagCompensation(this.lagCompensation);
    }
    this.relocation.attach({
      room: this, world: this.world, mirror: this.mirror, seats: this.seats, bots: this.bots, recorder: this.recorder,
      pendingInputs: () => [...this.pacers.keys()].reduce((sum, sessionId) => sum + this.inputs.get(sessionId).size, 0),
      freeSeat: (sessionId) => this.freeSeat(sessionId), watch: (client, player, view) => this.watch(client, player, view && { view }),
      viewOf: (sessionId) => this.viewSizeOf(sessionId),
    });
    if (moved) this.relocation.takeOver(moved);
    // The patch rate is advertised to the SDK; the patches themselves follow the steps (see PatchPacer).
    stopPatchTimer(this, 1000 / this.settings.patchHz);
    const patches = new PatchPacer(this.settings.patchHz, this.settings.rules.tickHz, () => this.broadcastPatch());
    const step = this.metrics.timed(() => this.tick());
    // A tick's messages and its patch leave each client in one write.
    const stepAndPatch = this.metrics.timedWithPatch(tickWrites(this, () => {
      step();
      patches.stepped();
    }));
    this.setFixedTimestep(() => {
      if (!this.relocation.moving) stepAndPatch();
    }, this.settings.rules.tickHz);
    await this.listing.publish();
    this.settings.log.debug("room created", { roomId: this.roomId, seed: this.world.seed, private: options.private === true });
  }

  /** Inputs, clamped into their domain (`sanitizeInput`), and messages (`roomMessages.ts`). */
  private defineMessages(limits: RoomLimits): void {
    this.inputs = this.defineInput(ArenaInput, { bufferMaxSize: limits.inputBufferTicks, sanitize: sanitizeInput });
    this.guard = defineRoomMessages(this, this.settings, {
      chat: (client, text) => void this.moderation.chat(client, text),
      report: (client, sessionId, reason) => void this.moderation.report(client, sessionId, reason),
      takeSeat: (client) => this.takeSeat(client),
    });
  }

  onJoin(client: Client, options?: JoinOptions, auth?: GuestClaims) {
    if (options?.spectate === true) {
      if (!this.seats.spectatorSeatFree) throw new ServerError(JoinError.spectatorsFull, "Every spectator seat is taken.");
      const name = this.seats.seatSpectator(client.sessionId, options.name ?? auth?.name);
      this.watch(client, undefined, options);
      this.chat.system(`${name} is watching`);
    } else {
      if (!this.seats.playerSeatFree && !this.bots.makeRoom()) {
        throw new ServerError(JoinError.roomFull, `The game is full (${this.seats.maxPlayers} players). You can watch it instead.`);
      }
      this.seatAsPlayer(client, options?.name ?? auth?.name, options);
    }
    this.metrics.joined(client);
    this.moderation.joined(client);
    joinUnreliable(client, () => this.clock.elapsedTime);
    this.guard.watchProtocolFaults(client);
    void this.listing.publish();
    this.settings.log.debug("joined", { roomId: this.roomId, sessionId: client.sessionId, spectator: options?.spectate === true });
  }
  /**
   * A connection was lost without the player leaving (closed socket, missed
   * heartbeats). The seat is held for `reconnectSeconds`: the player stays in
   * the state, marked disconnected, frozen (no inputs) and out of reach of
   * shots, score kept. `onReconnect` or, after the window, `onLeave` follows.
   */
  onDrop(client: Client, code?: number) {
    if (this.relocation.moving) return;
    const kickCode = code !== undefined && isKickCode(code) ? code : this.guard.protocolFault(client.sessionId);
    if (kickCode !== undefined) {
      // Broke a rule: no seat is held, and onLeave follows at once.
      this.metrics.kicked(kickCode);
      this.settings.log.info("client kicked", { roomId: this.roomId, sessionId: client.sessionId, code: kickCode });
      return;
    }
    const player = this.world.players.get(client.sessionId);
    if (player) player.connected = false;
    this.metrics.connectionLost(code, this.settings.reconnectSeconds > 0);
    this.settings.log.debug("player dropped", { roomId: this.roomId, sessionId: client.sessionId, code });
    if (this.settings.reconnectSeconds > 0) {
      this.relocation.held(client.sessionId, this.settings.reconnectSeconds);
      // Rejected when the room is disposing or the window passes; onLeave handles both.
      Promise.resolve(this.allowReconnection(client, this.settings.reconnectSeconds)).catch(() => undefined);
    }
  }

  /** Whether Colyseus may decode this frame (see `MessageGuard.admit` and `screenFrames`). */
  admitFrame(client: Client, frame: Uint8Array): boolean {
    return this.guard.admit(client, frame);
  }

  onReconnect(client: Client) {
    this.metrics.reconnected(client);
    joinUnreliable(client, () => this.clock.elapsedTime);
    this.guard.watchProtocolFaults(client);
    this.relocation.back(client);
    this.moderation.joined(client);
    const player = this.world.players.get(client.sessionId);
    if (!player) return; // a spectator: nothing to restore
    player.connected = true;
    // The reconnected client has a fresh input buffer and restarts its sequence numbers.
    this.pacers.set(client.sessionId, new InputPacer(this.metrics));
    this.settings.log.debug("player reconnected", { roomId: this.roomId, sessionId: client.sessionId });
  }

  onLeave(client: Client) {
    if (!this.relocation.moving) this.freeSeat(client.sessionId);
  }

  private freeSeat(sessionId: string): void {
    const name = this.seats.nameOf(sessionId);
    this.seats.free(sessionId);
    this.pacers.delete(sessionId);
    this.chat.forget(sessionId);
    this.moderation.forget(sessionId);
    this.guard.forget(sessionId);
    this.spectatorInputs.forget(sessionId);
    this.relocation.settled(sessionId);
    this.unwatched(sessionId);
    if (name) this.chat.system(`${name} left`);
    void this.listing.publish();
    this.settings.log.debug("left", { roomId: this.roomId, sessionId });
  }

  /** A moderator's action, or the room's clients for the moderator page; called through `matchMaker.remoteRoomCall` from any process. */
  moderate(action: RoomAction) {
    return this.moderation.apply(action);
  }

  /** The process is shutting down: the room moves to another process, or closes after the grace period (4001). */
  onBeforeShutdown() {
    this.listing.shuttingDown = true;
    this.relocation.drain();
  }

  async onDispose() {
    this.settings.log.debug("room disposed", { roomId: this.roomId });
    this.chat?.close();
    await this.recorder?.close();
  }

  onUncaughtException(error: Error, methodName: string) {
    this.settings.log.error("room error", { roomId: this.roomId, method: methodName, error });
  }

  /** A spectator asks to play: granted while a player seat is free (looked at last: making room sends a bot home). */
  private takeSeat(client: Client): void {
    const refusal = !this.seats.spectators.has(client.sessionId) ? "You already have a seat."
      : !this.seats.playerSeatFree && !this.bots.makeRoom() ? "Every player seat is taken." : undefined;
    if (refusal) {
      client.send(ServerMessage.seatRefused, { reason: refusal });
      return;
    }
    const name = this.seats.spectators.get(client.sessionId);
    this.seats.free(client.sessionId);
    this.inputs.get(client.sessionId).clear();
    this.spectatorInputs.forget(client.sessionId);
    this.seatAsPlayer(client, name);
  }

  /** Gives `client` its view of the state: its own player's private fields (its reload) go to it alone. A spectator has none. */
  protected watch(client: Client, player: Player | undefined, _options: JoinOptions | undefined): void {
    if (!player) return;
    client.view = new StateView();
    client.view.add(player);
  }

  /** The large mode's hooks: the tick's state is written (its views follow); `sessionId` left; the view `sessionId` asked for. */
  protected published(): void {}
  protected unwatched(_sessionId: string): void {}
  protected viewSizeOf(_sessionId: string): ViewSize | undefined { return undefined; }

  private seatAsPlayer(client: Client, requestedName: unknown, options?: JoinOptions): void {
    const player = this.seats.seatPlayer(client.sessionId, requestedName);
    this.watch(client, player, options);
    this.pacers.set(client.sessionId, new InputPacer(this.metrics));
    this.chat.system(`${player.name} joined`);
  }

  private tick() {
    for (const sessionId of this.world.players.keys()) {
      const pacer = this.pacers.get(sessionId);
      if (!pacer) continue;
      this.tickInputs.set(sessionId, pacer.takeForTick(this.inputs.get(sessionId)));
    }
    this.spectatorInputs.refuse();
    this.bots.think(this.tickInputs);
    this.recorder?.beforeStep(this.tickInputs);
    stepWorld(this.world, this.tickInputs, this.settings.rules, this.events, this.lagCompensation);
    this.recorder?.afterStep(this.events);
    this.mirror.publish(this.clock.elapsedTime);
    this.published();
    const audience = { room: this, chat: this.chat, nameOf: (id: string) => this.seats.nameOf(id), killLines: this.settings.killLines !== false };
    for (const event of this.events) announce(event, audience);
    this.metrics.worldEvents(this.events);
    this.events.length = 0;
    this.tickInputs.clear();
    const { joined, left } = this.bots.balance();
    for (const name of joined) this.chat.system(`${name} joined`);
    for (const name of left) this.chat.system(`${name} left`);
    void this.listing.publish();
  }
}
screenFrames(ArenaRoom);

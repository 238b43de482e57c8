import { randomInt } from "node:crypto";
import { CloseCode, Room, ServerError, type Client, type InputAPI } from "@colyseus/core";
import {
  ClientMessage, JoinError, ServerMessage, sanitizeInput, type JoinOptions, type PlayerInput, type RoomListing,
} from "../../shared/protocol.ts";
import { stepWorld } from "../../shared/world.ts";
import { NO_LAG_COMPENSATION, type LagCompensation, type TickInput, type WorldEvent } from "../../shared/worldState.ts";
import type { WorldState } from "../../shared/worldState.ts";
import type { RoomMetrics } from "../metrics.ts";
import { RoomChat } from "./chat.ts";
import { LobbyListing, unusedRoomCode } from "./listing.ts";
import { MessageGuard, isKickCode } from "./messageGuard.ts";
import { heldSeatsOf, listingOf, holdMovedSeat, screenFrames, settleMovedSeat, stepDrivenPatches } from "../colyseusSeams.ts";
import { packRoom, unpackWorld, type MovedSeat, type RoomSnapshot } from "./roomMove.ts";
import { chatMessage, takeSeatMessage } from "./messageSchemas.ts";
import type { GuestClaims } from "../security/tokens.ts";
import { InputPacer } from "./inputPacing.ts";
import { MatchRecorder } from "./matchRecorder.ts";
import { PatchPacer } from "./patchTiming.ts";
import { rewindLagCompensation } from "./lagCompensation.ts";
import { StateView } from "@colyseus/schema";
import { RoomBots } from "./bots.ts";
import { Seats } from "./seats.ts";
import { StateMirror } from "./stateMirror.ts";
import { ArenaInput, ArenaState } from "../schema/ArenaState.ts";
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
  private mirror!: StateMirror;
  private settings!: ArenaSettings;
  private guard!: MessageGuard;
  private metrics!: RoomMetrics;
  private seats!: Seats;
  private bots!: RoomBots;
  private chat!: RoomChat;
  /** How many buffered inputs each player may apply per tick: see InputPacer. */
  private readonly pacers = new Map<string, InputPacer>();
  private readonly tickInputs = new Map<string, TickInput[]>();
  private readonly events: WorldEvent[] = [];
  private lagCompensation = NO_LAG_COMPENSATION as LagCompensation;
  /** Spectators already told that their inputs are ignored. */
  private readonly toldInputRefused = new Set<string>();
  private listing!: LobbyListing;
  private recorder: MatchRecorder | undefined;
  /** Set once the room is packed to move to another process: it no longer steps, and its leaves are not its own. */
  private moving = false;
  /** When each seat held for a lost connection stops being held (ms since the epoch): carried when the room moves. */
  private readonly heldUntil = new Map<string, number>();
  /** Seats of a room that moved here, until their clients come back (`holdMovedSeats`). */
  private readonly movedSeats = new Map<string, MovedSeat>();
  /** When a room that moved here stopped on its old home (ms since the epoch). */
  private movedAt = 0;

  async onCreate(options: ArenaCreateOptions) {
    this.settings = options.settings;
    this.metrics = options.settings.metrics;
    this.defineMessages(this.settings.limits);
    // A room moving here from another process keeps its id (a private room's id is its code).
    const moved = this.settings.moves?.arriving(this.roomId);
    if (moved ? moved.private : options.private === true) {
      if (!moved) this.roomId = await unusedRoomCode();
      await this.setPrivate(true);
    }
    this.mirror = new StateMirror(this.state, this.settings.seed ?? randomInt(2 ** 32), this.settings.rules, moved && this.unpack(moved));
    this.world = this.mirror.world;
    this.seats = new Seats(this.mirror, this.settings.rules, this.settings.maxPlayers, this.settings.maxSpectators);
    this.bots = new RoomBots(this.world, this.seats, this.settings.rules, this.settings.minPlayers);
    if (moved) this.takeOver(moved);
    this.chat = new RoomChat({
      speakerName: (sessionId) => this.seats.nameOf(sessionId),
      broadcast: (type, message) => this.broadcast(type, message),
    }, () => this.clock.currentTime, this.settings.chatBurst);
    this.maxClients = this.settings.maxPlayers + this.settings.maxSpectators;
    this.listing = new LobbyListing(this, this.seats, this.bots, this.world);
    if (this.settings.maxRewindMs > 0) this.compensateLag(this.settings.maxRewindMs);
    if (this.settings.replay) {
      // Match end reaches the player records through the recorder (settings.replay.sink), with each player's profile.
      const profileOf = (id: string) => (this.clients.getById(id)?.auth as GuestClaims | undefined)?.profileId;
      this.recorder = new MatchRecorder(this.world, () => this.roomId, { ...this.settings.replay, log: this.settings.log, profileOf }, moved?.recording);
      this.lagCompensation = this.recorder.lagCompensation(this.lagCompensation);
    }
    // The patch rate is advertised to the SDK; the patches themselves follow the steps (see PatchPacer).
    this.patchRate = 1000 / this.settings.patchHz;
    const patches = new PatchPacer(this.settings.patchHz, this.settings.rules.tickHz, stepDrivenPatches(this));
    const step = this.metrics.timed(() => this.tick());
    this.setFixedTimestep(() => {
      if (this.moving) return;
      step();
      patches.stepped();
    }, this.settings.rules.tickHz);
    await this.listing.publish();
    this.settings.log.debug("room created", { roomId: this.roomId, seed: this.world.seed, private: options.private === true });
  }

  /**
   * Inputs and messages, each validated at the wire: inputs are clamped into
   * their domain (`sanitizeInput`), messages checked against their schema
   * (`messageSchemas.ts`) by the guard, which also answers unknown types.
   */
  private defineMessages(limits: RoomLimits): void {
    this.inputs = this.defineInput(ArenaInput, {
      bufferMaxSize: limits.inputBufferTicks,
      sanitize: (input: PlayerInput) => {
        sanitizeInput(input);
        this.metrics.inputReceived();
      },
    });
    this.guard = new MessageGuard(limits, {
      now: () => this.clock.currentTime,
      rejected: (kind) => this.metrics.messageRejected(kind),
      kick: (client, code, reason) => this.kickClient(client.sessionId, code, reason),
    });
    this.onMessage(ClientMessage.chat, this.guard.validated(ClientMessage.chat, chatMessage,
      (client, { text }) => this.metrics.chat(this.chat.receive(client, text))));
    this.onMessage(ClientMessage.takeSeat, this.guard.validated(ClientMessage.takeSeat, takeSeatMessage, (client) => this.takeSeat(client)));
    this.onMessage("*", (client: Client, type: string | number) => this.guard.unknownType(client, type));
  }

  onJoin(client: Client, options?: JoinOptions, auth?: GuestClaims) {
    if (options?.spectate === true) {
      if (!this.seats.spectatorSeatFree) throw new ServerError(JoinError.spectatorsFull, "Every spectator seat is taken.");
      const name = this.seats.seatSpectator(client.sessionId, options.name ?? auth?.name);
      this.chat.system(`${name} is watching`);
    } else {
      if (!this.seats.playerSeatFree && !this.bots.makeRoom()) {
        throw new ServerError(JoinError.roomFull, `The game is full (${this.seats.maxPlayers} players). You can watch it instead.`);
      }
      this.seatAsPlayer(client, options?.name ?? auth?.name);
    }
    this.metrics.joined(client);
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
    if (this.moving) return;
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
      this.heldUntil.set(client.sessionId, Date.now() + this.settings.reconnectSeconds * 1000);
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
    this.guard.watchProtocolFaults(client);
    this.heldUntil.delete(client.sessionId);
    const moved = this.movedSeats.get(client.sessionId);
    if (moved) this.seatMovedClient(client, moved);
    const player = this.world.players.get(client.sessionId);
    if (!player) return; // a spectator: nothing to restore
    player.connected = true;
    // The reconnected client has a fresh input buffer and restarts its sequence numbers.
    this.pacers.set(client.sessionId, new InputPacer(this.metrics));
    this.settings.log.debug("player reconnected", { roomId: this.roomId, sessionId: client.sessionId });
  }

  onLeave(client: Client) {
    if (!this.moving) this.freeSeat(client.sessionId);
  }

  private freeSeat(sessionId: string): void {
    const name = this.seats.nameOf(sessionId);
    this.seats.free(sessionId);
    this.pacers.delete(sessionId);
    this.chat.forget(sessionId);
    this.guard.forget(sessionId);
    this.toldInputRefused.delete(sessionId);
    this.heldUntil.delete(sessionId);
    if (name) this.chat.system(`${name} left`);
    void this.listing.publish();
    this.settings.log.debug("left", { roomId: this.roomId, sessionId });
  }

  /**
   * The process is shutting down (the matchmaker has already locked the room).
   * Players are told how long they have; then the room closes with
   * CloseCode.SERVER_SHUTDOWN (4001), which clients take as "rejoin elsewhere".
   */
  onBeforeShutdown() {
    this.listing.shuttingDown = true;
    if (!this.settings.moves?.depart(this)) this.closeAfterGrace();
  }

  /** The drain without a move: players are told, and the room closes with 4001 after the grace period. */
  closeAfterGrace(): void {
    const seconds = this.settings.shutdownGraceSeconds;
    this.broadcast(ServerMessage.serverClosing, { seconds });
    this.clock.setTimeout(() => {
      this.disconnect(CloseCode.SERVER_SHUTDOWN).catch(() => undefined);
    }, seconds * 1000);
  }

  async onDispose() {
    this.settings.log.debug("room disposed", { roomId: this.roomId });
    this.chat?.close();
    await this.recorder?.close();
  }

  /**
   * Stops the room at a tick boundary (it steps no more) and packs it for
   * another process (server/migration/). Then either `leaveForMove` (it runs
   * there) or `stayAfterFailedMove`.
   */
  packForMove(): RoomSnapshot {
    this.moving = true;
    return packRoom({
      roomId: this.roomId, private: listingOf(this).private === true, elapsedMs: this.clock.elapsedTime, world: this.world,
      wire: this.mirror.saveWire(), bots: this.bots.save(), spectators: this.seats.spectators, clients: this.clients,
      held: heldSeatsOf(this), heldUntil: this.heldUntil, reconnectSeconds: this.settings.reconnectSeconds,
      recording: this.recorder?.save(),
    }, Date.now());
  }

  /**
   * The room runs at its new home: its clients are closed with 4010, on which
   * the SDK reconnects (to the new home). Resolves with the inputs received
   * since the room stopped, which no step applied.
   */
  async leaveForMove(): Promise<number> {
    let inputsLost = 0;
    for (const sessionId of this.world.players.keys()) if (this.pacers.has(sessionId)) inputsLost += this.inputs.get(sessionId).size;
    this.recorder?.abandon();
    this.broadcast(ServerMessage.roomMoving, {});
    await this.disconnect(CloseCode.MAY_TRY_RECONNECT);
    return inputsLost;
  }

  /** The move failed: the room plays on here, and drains as it did before moves existed. */
  stayAfterFailedMove(): void {
    this.moving = false;
    this.closeAfterGrace();
  }

  /** Holds the seats of a room that moved here, each for its own token (after creation: a hold is counted in the listing). */
  async holdMovedSeats(): Promise<void> {
    for (const seat of this.movedSeats.values()) {
      await holdMovedSeat(this, seat, seat.seconds, () => {
        this.movedSeats.delete(seat.sessionId);
        this.freeSeat(seat.sessionId);
      });
    }
  }

  onUncaughtException(error: Error, methodName: string) {
    this.settings.log.error("room error", { roomId: this.roomId, method: methodName, error });
  }

  private unpack(moved: RoomSnapshot) {
    const { world, hash, hashMatches } = unpackWorld(moved);
    const fields = { roomId: this.roomId, tick: world.tick, hash, written: moved.hash, seats: moved.seats.length };
    if (hashMatches) this.settings.log.info("room arrived", fields);
    else this.settings.log.error("room arrived with another state hash", fields);
    this.settings.moves?.arrived(hashMatches);
    return { world, wire: moved.wire };
  }

  /** The rest of a room that moved here: bots, spectators, the room clock, the seats to hold. */
  private takeOver(moved: RoomSnapshot): void {
    this.bots.restore(moved.bots);
    this.clock.elapsedTime = moved.elapsedMs;
    this.movedAt = moved.packedAt;
    for (const seat of moved.seats) {
      if (seat.spectator !== undefined) this.seats.seatSpectator(seat.sessionId, seat.spectator);
      this.movedSeats.set(seat.sessionId, seat);
    }
  }

  /** A client of a room that moved here is back: its seat, claims and (a player's) private view are its own again. */
  private seatMovedClient(client: Client, moved: MovedSeat): void {
    this.movedSeats.delete(client.sessionId);
    settleMovedSeat(this, client);
    this.settings.moves?.playerBack((Date.now() - this.movedAt) / 1000);
    client.auth = moved.auth;
    const wire = this.state.players.get(client.sessionId);
    if (!wire) return;
    client.view = new StateView();
    client.view.add(wire);
  }

  /** A spectator asks to play: granted while a player seat is free. */
  private takeSeat(client: Client): void {
    if (!this.seats.spectators.has(client.sessionId)) {
      client.send(ServerMessage.seatRefused, { reason: "You already have a seat." });
      return;
    }
    if (!this.seats.playerSeatFree && !this.bots.makeRoom()) {
      client.send(ServerMessage.seatRefused, { reason: "Every player seat is taken." });
      return;
    }
    const name = this.seats.spectators.get(client.sessionId);
    this.seats.free(client.sessionId);
    this.inputs.get(client.sessionId).clear();
    this.toldInputRefused.delete(client.sessionId);
    this.seatAsPlayer(client, name);
  }

  private seatAsPlayer(client: Client, requestedName: unknown): void {
    const player = this.seats.seatPlayer(client.sessionId, requestedName);
    // The player's private fields (its reload) go to it alone.
    client.view = new StateView();
    client.view.add(player);
    this.pacers.set(client.sessionId, new InputPacer(this.metrics));
    this.chat.system(`${player.name} joined`);
  }

  private tick() {
    for (const sessionId of this.world.players.keys()) {
      const pacer = this.pacers.get(sessionId);
      if (!pacer) continue;
      this.tickInputs.set(sessionId, pacer.takeForTick(this.inputs.get(sessionId)));
    }
    this.refuseSpectatorInputs();
    this.bots.think(this.tickInputs);
    this.recorder?.beforeStep(this.tickInputs);
    stepWorld(this.world, this.tickInputs, this.settings.rules, this.events, this.lagCompensation);
    this.recorder?.afterStep(this.events);
    this.mirror.publish(this.clock.elapsedTime);
    for (const event of this.events) this.announce(event);
    this.metrics.worldEvents(this.events);
    this.events.length = 0;
    this.tickInputs.clear();
    this.balanceBots();
    void this.listing.publish();
  }

  private balanceBots(): void {
    const { joined, left } = this.bots.balance();
    for (const name of joined) this.chat.system(`${name} joined`);
    for (const name of left) this.chat.system(`${name} left`);
  }

  /** Spectators cannot act: whatever they send is dropped, and they are told so once. */
  private refuseSpectatorInputs(): void {
    for (const sessionId of this.seats.spectators.keys()) {
      const inputs = this.inputs.get(sessionId);
      if (inputs.size === 0) continue;
      this.metrics.inputsDropped("spectator", inputs.size);
      inputs.clear();
      if (this.toldInputRefused.has(sessionId)) continue;
      this.toldInputRefused.add(sessionId);
      this.clients.getById(sessionId)?.send(ServerMessage.inputRefused, { reason: "Spectators cannot play. Send takeSeat to join the game." });
    }
  }

  /** Kills go to everyone (the kill feed, and a line in the chat); a hit goes to its shooter only (a hit marker). */
  private announce(event: WorldEvent): void {
    if (event.type === "kill") {
      this.broadcast(ServerMessage.kill, { killer: event.killer, victim: event.victim });
      this.chat.system(`${this.seats.nameOf(event.killer) || "someone"} eliminated ${this.seats.nameOf(event.victim) || "someone"}`);
    } else if (event.type === "hit") {
      this.clients.getById(event.shooter)?.send(ServerMessage.hit, { victim: event.victim, projectile: event.projectile });
    }
  }

  private compensateLag(maxRewindMs: number): void {
    const rewind = this.allowRewindState({ maxRewindMs }).attachAll(this.state.players, { fields: ["x", "y"] });
    this.lagCompensation = rewindLagCompensation(rewind, this.state, () => this.clock.elapsedTime, maxRewindMs);
  }
}

screenFrames(ArenaRoom);

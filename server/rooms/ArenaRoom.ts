import { randomInt } from "node:crypto";
import { CloseCode, Room, type Client } from "@colyseus/core";
import { INPUT_BUFFER_TICKS } from "../../shared/constants.ts";
import { cleanName, generatedName } from "../../shared/names.ts";
import { ServerMessage, sanitizeInput, type JoinOptions, type PlayerInput } from "../../shared/protocol.ts";
import { hashString } from "../../shared/rng.ts";
import type { MatchRules } from "../../shared/rules.ts";
import { NO_LAG_COMPENSATION, spawnPlayer, startMatch, stepWorld, type LagCompensation, type ProjectileState, type WorldEvent } from "../../shared/world.ts";
import type { Log } from "../log.ts";
import { handleChat } from "./chat.ts";
import { InputPacer } from "./inputPacing.ts";
import { rewindLagCompensation } from "./lagCompensation.ts";
import { ArenaInput, ArenaState, Player, Projectile } from "../schema/ArenaState.ts";

/** What the host decides for every room; set by the server, never by a client. */
export interface ArenaSettings {
  rules: MatchRules;
  patchHz: number;
  maxPlayers: number;
  reconnectSeconds: number;
  /** Lag compensation reaches at most this far back (ms); 0 turns it off. */
  maxRewindMs: number;
  /** Seconds between the shutdown notice and closing the room with code 4001. */
  shutdownGraceSeconds: number;
  log: Log;
  /** Fixes the match seed (tests, replays); random otherwise. */
  seed?: number;
}

/** Palette slots a room hands out, one per seated player. */
const COLOR_COUNT = 16;

/**
 * The game room: a fixed-step loop over the shared world step. Each tick it
 * takes each player's buffered inputs (paced, see `InputPacer`), steps the
 * world, and announces kills; everything else lives in `shared/`.
 */
export class ArenaRoom extends Room<{ state: ArenaState; input: ArenaInput }> {
  state = new ArenaState();
  inputs = this.defineInput(ArenaInput, {
    bufferMaxSize: INPUT_BUFFER_TICKS,
    sanitize: sanitizeInput,
  });
  messages = {
    chat: (client: Client, payload: unknown) => handleChat(this, client, payload),
  };

  private settings!: ArenaSettings;
  /** How many buffered inputs each player may apply per tick: see InputPacer. */
  private readonly pacers = new Map<string, InputPacer>();
  private readonly tickInputs = new Map<string, PlayerInput[]>();
  /** Render-time stamps of this tick's inputs, parallel to `tickInputs`. */
  private readonly tickRenderTimes = new Map<string, number[]>();
  private readonly events: WorldEvent[] = [];
  private lagCompensation = NO_LAG_COMPENSATION as LagCompensation<Player>;

  onCreate(options: { settings: ArenaSettings }) {
    this.settings = options.settings;
    this.maxClients = this.settings.maxPlayers;
    this.patchRate = 1000 / this.settings.patchHz;
    this.state.seed = this.settings.seed ?? randomInt(2 ** 32);
    startMatch(this.state, this.settings.rules);
    if (this.settings.maxRewindMs > 0) this.compensateLag(this.settings.maxRewindMs);
    this.setFixedTimestep(() => this.tick(), this.settings.rules.tickHz);
    this.settings.log.debug("room created", { roomId: this.roomId, seed: this.state.seed });
  }

  onJoin(client: Client, options?: JoinOptions) {
    const player = new Player({
      name: cleanName(options?.name) ?? generatedName(hashString(client.sessionId)),
      color: this.freeColor(),
    });
    spawnPlayer(this.state, client.sessionId, player, this.settings.rules);
    this.state.players.set(client.sessionId, player);
    this.pacers.set(client.sessionId, new InputPacer());
    this.settings.log.debug("player joined", { roomId: this.roomId, sessionId: client.sessionId, name: player.name });
  }

  /**
   * A connection was lost without the player leaving (closed socket, missed
   * heartbeats). The seat is held for `reconnectSeconds`: the player stays in
   * the state, marked disconnected, frozen (no inputs) and out of reach of
   * shots, score kept. `onReconnect` or, after the window, `onLeave` follows.
   */
  onDrop(client: Client, code?: number) {
    const player = this.state.players.get(client.sessionId);
    if (player) player.connected = false;
    this.settings.log.debug("player dropped", { roomId: this.roomId, sessionId: client.sessionId, code });
    if (this.settings.reconnectSeconds > 0) this.allowReconnection(client, this.settings.reconnectSeconds);
  }

  onReconnect(client: Client) {
    const player = this.state.players.get(client.sessionId);
    if (player) player.connected = true;
    // The reconnected client has a fresh input buffer and restarts its sequence numbers.
    this.pacers.set(client.sessionId, new InputPacer());
    this.settings.log.debug("player reconnected", { roomId: this.roomId, sessionId: client.sessionId });
  }

  onLeave(client: Client) {
    this.state.players.delete(client.sessionId);
    this.pacers.delete(client.sessionId);
    this.settings.log.debug("player left", { roomId: this.roomId, sessionId: client.sessionId });
  }

  /**
   * The process is shutting down (the matchmaker has already locked the room).
   * Players are told how long they have; then the room closes with
   * CloseCode.SERVER_SHUTDOWN (4001), which clients take as "rejoin elsewhere".
   */
  onBeforeShutdown() {
    const seconds = this.settings.shutdownGraceSeconds;
    this.broadcast(ServerMessage.serverClosing, { seconds });
    this.clock.setTimeout(() => {
      this.disconnect(CloseCode.SERVER_SHUTDOWN).catch(() => undefined);
    }, seconds * 1000);
  }

  onDispose() {
    this.settings.log.debug("room disposed", { roomId: this.roomId });
  }

  onUncaughtException(error: Error, methodName: string) {
    this.settings.log.error("room error", { roomId: this.roomId, method: methodName, error });
  }

  private tick() {
    this.state.players.forEach((_player, sessionId) => {
      const pacer = this.pacers.get(sessionId);
      if (!pacer) return;
      const renderTimes: number[] = [];
      this.tickInputs.set(sessionId, pacer.takeForTick(this.inputs.get(sessionId), renderTimes));
      this.tickRenderTimes.set(sessionId, renderTimes);
    });
    stepWorld(this.state, this.tickInputs, this.settings.rules, this.makeProjectile, this.events, this.lagCompensation);
    for (const event of this.events) this.announce(event);
    this.events.length = 0;
    this.tickInputs.clear();
    this.tickRenderTimes.clear();
  }

  /** Kills go to everyone (the kill feed); a hit goes to its shooter only (a hit marker). */
  private announce(event: WorldEvent): void {
    if (event.type === "kill") {
      this.broadcast(ServerMessage.kill, { killer: event.killer, victim: event.victim });
    } else if (event.type === "hit") {
      this.clients.getById(event.shooter)?.send(ServerMessage.hit, { victim: event.victim, projectile: event.projectile });
    }
  }

  private readonly makeProjectile = (init: ProjectileState) =>
    new Projectile({ ...init, bornMs: Math.round(this.clock.elapsedTime) });

  private compensateLag(maxRewindMs: number): void {
    const rewind = this.allowRewindState({ maxRewindMs });
    rewind.attachAll(this.state.players, { fields: ["x", "y"] });
    this.lagCompensation = rewindLagCompensation({
      rewind,
      maxRewindMs,
      now: () => this.clock.elapsedTime,
      renderTimeOf: (sessionId, inputIndex) => this.tickRenderTimes.get(sessionId)?.[inputIndex] ?? 0,
    });
  }

  private freeColor(): number {
    const used = new Set<number>();
    this.state.players.forEach((player) => used.add(player.color));
    for (let color = 0; color < COLOR_COUNT; color++) if (!used.has(color)) return color;
    return this.state.players.size % COLOR_COUNT;
  }
}

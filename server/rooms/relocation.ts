import { CloseCode, type Client, type Room } from "@colyseus/core";
import { ServerMessage } from "../../shared/protocol.ts";
import type { WorldState } from "../../shared/worldState.ts";
import { heldSeatsOf, holdMovedSeat, listingOf, settleMovedSeat } from "../colyseusSeams.ts";
import type { RoomBots } from "./bots.ts";
import type { MatchRecorder } from "./matchRecorder.ts";
import { packRoom, unpackWorld, type MovedSeat, type RoomSnapshot } from "./roomMove.ts";
import type { Seats } from "./seats.ts";
import type { ArenaSettings } from "./settings.ts";
import type { SavedWire, StateMirror } from "./stateMirror.ts";
import type { ArenaState, Player } from "../schema/ArenaState.ts";
import type { ViewSize } from "../../shared/largeMode.ts";

/** What a room's relocation reads of it (after onCreate has built them). */
export interface RelocatingRoom {
  readonly room: Room;
  readonly world: WorldState;
  readonly mirror: StateMirror;
  readonly seats: Seats;
  readonly bots: RoomBots;
  readonly recorder: MatchRecorder | undefined;
  /** Inputs received from players and not yet applied by a step. */
  pendingInputs(): number;
  /** Frees a seat for good (the room's leave). */
  freeSeat(sessionId: string): void;
  /** Gives a client back its view of the state (`ArenaRoom.watch`): of its player, or as a spectator (no player); `view` as it asked (the large mode). */
  watch(client: Client, player: Player | undefined, view: ViewSize | undefined): void;
  /** The large mode: the view a client asked for, to carry with its seat. */
  viewOf(sessionId: string): ViewSize | undefined;
}

/**
 * What happens to one room when its process drains, and its side of a move
 * between processes (server/migration/): on the old home, stopping at a tick
 * boundary, packing, and sending the clients on, or closing after the grace
 * period; on the new home, unpacking, holding each seat for its own token,
 * and taking each client back. The process's mover calls it as the room's
 * `relocation` (`MovableRoom`).
 */
export class RoomRelocation {
  /** Set once the room is packed to move: it no longer steps, and its clients' leaves are not its own. */
  moving = false;
  private readonly settings: ArenaSettings;
  private parts: RelocatingRoom | undefined;
  /** When each seat held for a lost connection stops being held (ms since the epoch): carried along. */
  private readonly heldUntil = new Map<string, number>();
  /** Seats of a room that moved here, until their clients come back. */
  private readonly arriving = new Map<string, MovedSeat>();
  /** When a room that moved here stopped on its old home (ms since the epoch). */
  private movedAt = 0;

  constructor(settings: ArenaSettings) {
    this.settings = settings;
  }

  /** The room's parts, once built (onCreate). */
  attach(parts: RelocatingRoom): void {
    this.parts = parts;
  }

  private get room(): RelocatingRoom {
    if (!this.parts) throw new Error("the room's relocation is not attached");
    return this.parts;
  }

  /** A seat is held for a lost connection for `seconds` from now. */
  held(sessionId: string, seconds: number): void {
    this.heldUntil.set(sessionId, Date.now() + seconds * 1000);
  }

  /** A seat is no longer held (taken back, or freed). */
  settled(sessionId: string): void {
    this.heldUntil.delete(sessionId);
  }

  /** The world and wire image of a room moving here, its state hash checked and logged (before the room's parts exist). */
  unpack(moved: RoomSnapshot, roomId: string): { world: WorldState; wire: SavedWire } {
    const { world, hash, hashMatches } = unpackWorld(moved);
    const fields = { roomId, tick: world.tick, hash, written: moved.hash, seats: moved.seats.length };
    if (hashMatches) this.settings.log.info("room arrived", fields);
    else this.settings.log.error("room arrived with another state hash", fields);
    this.settings.moves?.arrived(hashMatches);
    return { world, wire: moved.wire };
  }

  /** The rest of a room that moved here: bots, spectators, the room clock, the seats to hold. */
  takeOver(moved: RoomSnapshot): void {
    const { room, bots, seats } = this.room;
    bots.restore(moved.bots);
    room.clock.elapsedTime = moved.elapsedMs;
    this.movedAt = moved.packedAt;
    for (const seat of moved.seats) {
      if (seat.spectator !== undefined) seats.seatSpectator(seat.sessionId, seat.spectator);
      this.arriving.set(seat.sessionId, seat);
      // Until its client is back the seat is held here too: a move on from here carries what is left of it.
      this.held(seat.sessionId, seat.seconds);
    }
  }

  /**
   * The process is shutting down (the matchmaker has already locked the room):
   * the room moves to another process if it can, else closes after the grace period.
   */
  drain(): void {
    if (!this.settings.moves?.depart(this)) this.closeAfterGrace();
  }

  /**
   * The drain without a move: players are told how long they have; then the
   * room closes with CloseCode.SERVER_SHUTDOWN (4001), which clients take as "rejoin elsewhere".
   */
  private closeAfterGrace(): void {
    const { room } = this.room;
    const seconds = this.settings.shutdownGraceSeconds;
    room.broadcast(ServerMessage.serverClosing, { seconds });
    room.clock.setTimeout(() => {
      room.disconnect(CloseCode.SERVER_SHUTDOWN).catch(() => undefined);
    }, seconds * 1000);
  }

  /** The room's id (for the mover's logs). */
  get roomId(): string {
    return this.room.room.roomId;
  }

  /** People connected to the room now (players and spectators), as the matchmaker counts them. */
  get players(): number {
    return this.room.room.clients.length;
  }

  /** Stops the room at a tick boundary (it steps no more, at once) and packs it (the recording read back first). */
  async pack(): Promise<RoomSnapshot> {
    this.moving = true;
    const { room, world, mirror, bots, seats, recorder } = this.room;
    const recording = await recorder?.save();
    return packRoom({
      roomId: room.roomId, roomName: room.roomName, private: listingOf(room).private === true, elapsedMs: room.clock.elapsedTime, world,
      wire: mirror.saveWire(), bots: bots.save(), spectators: seats.spectators, clients: room.clients,
      held: heldSeatsOf(room), heldUntil: this.heldUntil, reconnectSeconds: this.settings.reconnectSeconds,
      recording, viewOf: (sessionId) => this.room.viewOf(sessionId),
    }, Date.now());
  }

  /** The room runs at its new home: each client is told, then closed with 4010, on which the SDK reconnects there. */
  async leave(): Promise<number> {
    const { room, recorder } = this.room;
    const inputsLost = this.room.pendingInputs();
    recorder?.abandon();
    room.broadcast(ServerMessage.roomMoving, {});
    await room.disconnect(CloseCode.MAY_TRY_RECONNECT);
    return inputsLost;
  }

  /** The move failed: the room plays on here, and drains as it did before moves existed. */
  stay(): void {
    this.moving = false;
    this.closeAfterGrace();
  }

  /** Holds the seats of a room that moved here, each for its own token (after creation: a hold is counted in the listing). */
  async holdSeats(): Promise<void> {
    await Promise.all([...this.arriving.values()].map((seat) => holdMovedSeat(this.room.room, seat, seat.seconds, () => {
      this.arriving.delete(seat.sessionId);
      // A room moving on carries the seat (packed before its holds were let go).
      if (!this.moving) this.room.freeSeat(seat.sessionId);
    })));
  }

  /** A client is back (onReconnect): if its seat moved here, its claims and (a player's) private view are its own again. */
  back(client: Client): void {
    this.settled(client.sessionId);
    const seat = this.arriving.get(client.sessionId);
    if (!seat) return;
    this.arriving.delete(client.sessionId);
    settleMovedSeat(this.room.room, client);
    this.settings.moves?.playerBack((Date.now() - this.movedAt) / 1000);
    client.auth = seat.auth;
    this.room.watch(client, (this.room.room.state as ArenaState).players.get(client.sessionId), seat.view);
  }
}

import { matchMaker } from "@colyseus/core";
import type { GameMode, RoomListing } from "../../shared/protocol.ts";
import type { WorldState } from "../../shared/worldState.ts";
import type { RoomBots } from "./bots.ts";
import { newRoomCode } from "./roomCode.ts";
import type { Seats } from "./seats.ts";

/** What the listing needs of its room: Colyseus' lock and metadata. */
export interface ListedRoom {
  readonly locked: boolean;
  lock(): Promise<unknown>;
  unlock(): Promise<unknown>;
  setMetadata(listing: RoomListing): Promise<unknown>;
}

/**
 * Keeps the lobby's entry for a room current (seats, phase, time left) and
 * the room matchable only while a player seat is free: it locks itself when
 * the player seats are full (spectators still get in through /watch). Written
 * only when something shown changed, i.e. about once a second.
 */
export class LobbyListing {
  /** Set when the process shuts down: the matchmaker has locked the room, and it stays locked. */
  shuttingDown = false;
  private readonly room: ListedRoom;
  private readonly seats: Seats;
  private readonly bots: RoomBots;
  private readonly world: WorldState;
  private readonly mode: GameMode;
  private shown: RoomListing | undefined;

  constructor(room: ListedRoom, seats: Seats, bots: RoomBots, world: WorldState, mode: GameMode = "arena") {
    this.room = room;
    this.mode = mode;
    this.seats = seats;
    this.bots = bots;
    this.world = world;
  }

  /** Called every tick: when nothing shown changed (nearly always) it returns at once, allocating nothing. */
  publish(): Promise<void> {
    // A bot gives its seat up to a person, so a room with bots is open.
    const open = this.seats.playerSeatFree || this.bots.count > 0;
    const lockChanges = !this.shuttingDown && open === this.room.locked;
    if (!lockChanges && this.showing(open)) return UNCHANGED;
    return this.write(open);
  }

  private showing(open: boolean): boolean {
    const shown = this.shown;
    return shown !== undefined && shown.open === open && shown.players === this.seats.playerCount
      && shown.maxPlayers === this.seats.maxPlayers && shown.spectators === this.seats.spectators.size
      && shown.phase === this.world.phase && shown.timeLeft === this.world.timeLeft;
  }

  private async write(open: boolean): Promise<void> {
    if (!this.shuttingDown) {
      if (open && this.room.locked) await this.room.unlock();
      else if (!open && !this.room.locked) await this.room.lock();
    }
    if (this.showing(open)) return;
    this.shown = {
      mode: this.mode,
      players: this.seats.playerCount,
      maxPlayers: this.seats.maxPlayers,
      spectators: this.seats.spectators.size,
      phase: this.world.phase,
      timeLeft: this.world.timeLeft,
      open,
    };
    await this.room.setMetadata(this.shown);
  }
}

const UNCHANGED = Promise.resolve();

/** A private room code no other room uses (there are 28 million; a clash is rare, and retried). */
export async function unusedRoomCode(): Promise<string> {
  for (;;) {
    const code = newRoomCode();
    if ((await matchMaker.query({ roomId: code })).length === 0) return code;
  }
}

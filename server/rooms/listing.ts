import { matchMaker } from "@colyseus/core";
import type { RoomListing } from "../../shared/protocol.ts";
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
  private shown: RoomListing | undefined;

  constructor(room: ListedRoom, seats: Seats, bots: RoomBots, world: WorldState) {
    this.room = room;
    this.seats = seats;
    this.bots = bots;
    this.world = world;
  }

  async publish(): Promise<void> {
    // A bot gives its seat up to a person, so a room with bots is open.
    const open = this.seats.playerSeatFree || this.bots.count > 0;
    if (!this.shuttingDown) {
      if (open && this.room.locked) await this.room.unlock();
      else if (!open && !this.room.locked) await this.room.lock();
    }
    const listing: RoomListing = {
      players: this.seats.playerCount,
      maxPlayers: this.seats.maxPlayers,
      spectators: this.seats.spectators.size,
      phase: this.world.phase,
      timeLeft: this.world.timeLeft,
      open,
    };
    if (sameListing(listing, this.shown)) return;
    this.shown = listing;
    await this.room.setMetadata(listing);
  }
}

/** A private room code no other room uses (there are 28 million; a clash is rare, and retried). */
export async function unusedRoomCode(): Promise<string> {
  for (;;) {
    const code = newRoomCode();
    if ((await matchMaker.query({ roomId: code })).length === 0) return code;
  }
}

function sameListing(a: RoomListing, b: RoomListing | undefined): boolean {
  return b !== undefined && a.players === b.players && a.maxPlayers === b.maxPlayers && a.spectators === b.spectators
    && a.phase === b.phase && a.timeLeft === b.timeLeft && a.open === b.open;
}

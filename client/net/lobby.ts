import { Client, type Room } from "@colyseus/sdk";
import { LOBBY_ROOM_NAME, type RoomListing } from "../../shared/protocol.ts";
import { retryWhileRegistryAway } from "./joining.ts";

/** One public room as the lobby lists it (its `mode` says which kind of game). */
export interface ListedRoom {
  roomId: string;
  metadata: RoomListing;
}

/**
 * The live list of public rooms of both modes, pushed by the server through Colyseus'
 * LobbyRoom (a full list on joining, then "+" for a new or changed room and "-"
 * for a room gone). No polling.
 */
export class LobbyWatcher {
  readonly rooms = new Map<string, ListedRoom>();
  private room: Room | undefined;

  /**
   * Joins the lobby at `endpoint`; while the game's registry is away (503) it
   * tries again by itself every few seconds, for as long as a join would.
   */
  static async open(endpoint: string, onChange: () => void): Promise<LobbyWatcher> {
    const watcher = new LobbyWatcher();
    const client = new Client(endpoint);
    const room = await retryWhileRegistryAway(() => client.joinOrCreate(LOBBY_ROOM_NAME));
    watcher.room = room;
    room.onMessage("rooms", (list: ListedRoom[]) => {
      watcher.rooms.clear();
      for (const listed of list) if (listed.metadata) watcher.rooms.set(listed.roomId, listed);
      onChange();
    });
    room.onMessage("+", ([roomId, listed]: [string, ListedRoom]) => {
      if (listed.metadata) watcher.rooms.set(roomId, listed);
      onChange();
    });
    room.onMessage("-", (roomId: string) => {
      watcher.rooms.delete(roomId);
      onChange();
    });
    return watcher;
  }

  /** Rooms with the most players first. */
  sorted(): ListedRoom[] {
    return [...this.rooms.values()].sort((a, b) => b.metadata.players - a.metadata.players);
  }

  close(): void {
    this.room?.leave().catch(() => undefined);
  }
}

import { matchMaker, type Room } from "@colyseus/core";
import { roomIsUp } from "../colyseusSeams.ts";

/**
 * The rooms this process holds, known without asking the registry: from the
 * `create` and `dispose` events of every room type (Colyseus' public handler
 * events). While Redis is away this is how the process still knows its own
 * rooms: for /healthz, the occupancy gauges, and to register them again.
 */
export class LocalRooms {
  private readonly rooms = new Map<string, Room>();

  /** Starts following every room type defined so far (call after `defineServer`). */
  follow(): void {
    for (const handler of Object.values(matchMaker.getAllHandlers())) {
      handler.on("create", (room: Room) => { this.rooms.set(room.roomId, room); });
      handler.on("dispose", (room: Room) => { this.rooms.delete(room.roomId); });
    }
  }

  /** Every room here that is up (created, not disposing), optionally of one room type or of several. */
  live(roomName?: string | readonly string[]): Room[] {
    const rooms: Room[] = [];
    for (const room of this.rooms.values()) {
      const named = roomName === undefined || (typeof roomName === "string" ? room.roomName === roomName : roomName.includes(room.roomName));
      if (roomIsUp(room) && named) rooms.push(room);
    }
    return rooms;
  }
}

import type { Room } from "@colyseus/core";
import { ServerMessage } from "../../shared/protocol.ts";
import type { WorldEvent } from "../../shared/worldState.ts";
import type { RoomChat } from "./chat.ts";

/** What of the room a tick's announcements reach: its players, its chat, and their names. */
export interface Audience {
  room: Pick<Room, "broadcast" | "clients">;
  chat: RoomChat;
  nameOf(sessionId: string): string;
  /** A chat line for each kill too (`ArenaSettings.killLines`). */
  killLines: boolean;
}

/**
 * What the players hear of one of a tick's world events: a kill goes to everyone (the kill feed,
 * and a chat line in the words the client's feed leaves out of the chat list), a hit to its
 * shooter alone (the hit marker).
 */
export function announce(event: WorldEvent, { room, chat, nameOf, killLines }: Audience): void {
  if (event.type === "kill") {
    room.broadcast(ServerMessage.kill, { killer: event.killer, victim: event.victim });
    if (killLines) chat.system(`${nameOf(event.killer) || "someone"} eliminated ${nameOf(event.victim) || "someone"}`);
  } else if (event.type === "hit") {
    room.clients.getById(event.shooter)?.send(ServerMessage.hit, { victim: event.victim, projectile: event.projectile });
  }
}

import type { Client, Room } from "@colyseus/core";
import { ClientMessage } from "../../shared/protocol.ts";
import type { RoomMetrics } from "../metrics.ts";
import { MessageGuard } from "./messageGuard.ts";
import { chatMessage, reportMessage, takeSeatMessage } from "./messageSchemas.ts";
import type { ArenaSettings, RoomLimits } from "./settings.ts";

/** What a game room does with the messages its clients may send. */
export interface RoomMessageHandlers {
  chat(client: Client, text: string): void;
  report(client: Client, sessionId: string, reason: string): void;
  takeSeat(client: Client): void;
}

/**
 * Declares a game room's messages, each validated at the wire: checked
 * against its schema (`messageSchemas.ts`) by the guard, which also answers
 * unknown types; the datagram signalling goes through the same guard.
 * Returns the guard.
 */
export function defineRoomMessages(
  room: Room,
  settings: Pick<ArenaSettings, "limits" | "datagrams"> & { metrics: RoomMetrics },
  handlers: RoomMessageHandlers,
): MessageGuard {
  const limits: RoomLimits = settings.limits;
  const guard = new MessageGuard(limits, {
    now: () => room.clock.currentTime,
    rejected: (kind) => settings.metrics.messageRejected(kind),
    kick: (client, code, reason) => room.kickClient(client.sessionId, code, reason),
  });
  room.onMessage(ClientMessage.chat, guard.validated(ClientMessage.chat, chatMessage, (client, { text }) => handlers.chat(client, text)));
  room.onMessage(ClientMessage.report, guard.validated(ClientMessage.report, reportMessage,
    (client, { sessionId, reason }) => handlers.report(client, sessionId, reason)));
  room.onMessage(ClientMessage.takeSeat, guard.validated(ClientMessage.takeSeat, takeSeatMessage, (client) => handlers.takeSeat(client)));
  room.onMessage("*", (client: Client, type: string | number) => guard.unknownType(client, type));
  settings.datagrams?.serve(room, guard);
  return guard;
}

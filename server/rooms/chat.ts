import type { Client } from "@colyseus/core";
import { CHAT_MAX_LENGTH, ServerMessage, type ChatBroadcast } from "../../shared/protocol.ts";

/** What chat needs from a room: who is who, and a way to reach everyone. */
export interface ChatRoom {
  readonly state: { players: { get(sessionId: string): { name: string } | undefined } };
  broadcast(type: string, message: ChatBroadcast): void;
}

/**
 * A chat line from `client`: trimmed, 1–CHAT_MAX_LENGTH characters, then
 * broadcast to the room as `{ from, text }`. Anything else is answered with
 * `chatRejected` and a reason; the text is never interpreted, clients render
 * it as text.
 */
export function handleChat(room: ChatRoom, client: Client, payload: unknown): void {
  const raw = typeof payload === "object" && payload !== null ? (payload as { text?: unknown }).text : undefined;
  if (typeof raw !== "string") {
    client.send(ServerMessage.chatRejected, { reason: "chat needs { text: string }" });
    return;
  }
  const text = raw.trim();
  if (text.length === 0 || text.length > CHAT_MAX_LENGTH) {
    client.send(ServerMessage.chatRejected, { reason: `chat text must be 1 to ${CHAT_MAX_LENGTH} characters` });
    return;
  }
  const from = room.state.players.get(client.sessionId)?.name ?? "";
  const line: ChatBroadcast = { from, text };
  room.broadcast(ServerMessage.chat, line);
}

import type { Client } from "@colyseus/core";
import { CHAT_MAX_LENGTH, CHAT_WINDOW_SECONDS, ServerMessage, type ChatBroadcast } from "../../shared/protocol.ts";

/** What chat needs from a room: who is who, and a way to reach everyone. */
export interface ChatRoom {
  /** The name a client chats under (a player's or a spectator's). */
  speakerName(sessionId: string): string;
  broadcast(type: string, message: ChatBroadcast): void;
}

/**
 * Chat for one room. A line from a client is trimmed, must be 1–CHAT_MAX_LENGTH
 * characters, and each client may send `burst` lines (CHAT_BURST, 5, unless the
 * host set CHAT_BURST) per CHAT_WINDOW_SECONDS
 * (a sliding window); then it is broadcast as `{ from, text }`. Anything else is
 * answered with `chatRejected` and a reason, and the client stays connected.
 * The text is never interpreted; clients render it as text. System lines
 * (joins, leaves, kills) have `from: ""`.
 */
export class RoomChat {
  private readonly sent = new Map<string, number[]>();
  private readonly room: ChatRoom;
  private readonly now: () => number;
  private readonly burst: number;

  constructor(room: ChatRoom, now: () => number, burst: number) {
    this.room = room;
    this.now = now;
    this.burst = burst;
  }

  /** Broadcasts a client's line, or answers `chatRejected`; true when the line went out. */
  receive(client: Client, rawText: string): boolean {
    const rejected = this.check(client.sessionId, rawText);
    if (rejected) {
      client.send(ServerMessage.chatRejected, { reason: rejected });
      return false;
    }
    const text = rawText.trim();
    this.room.broadcast(ServerMessage.chat, { from: this.room.speakerName(client.sessionId), text });
    return true;
  }

  system(text: string): void {
    this.room.broadcast(ServerMessage.chat, { from: "", text });
  }

  forget(sessionId: string): void {
    this.sent.delete(sessionId);
  }

  /** Why a line may not go out, or undefined when it may (and then it counts against the limit). */
  private check(sessionId: string, text: string): string | undefined {
    const length = text.trim().length;
    if (length === 0 || length > CHAT_MAX_LENGTH) return `chat text must be 1 to ${CHAT_MAX_LENGTH} characters`;
    const now = this.now();
    const recent = (this.sent.get(sessionId) ?? []).filter((at) => now - at < CHAT_WINDOW_SECONDS * 1000);
    if (recent.length >= this.burst) {
      this.sent.set(sessionId, recent);
      return `slow down: at most ${this.burst} messages every ${CHAT_WINDOW_SECONDS} s`;
    }
    recent.push(now);
    this.sent.set(sessionId, recent);
    return undefined;
  }
}

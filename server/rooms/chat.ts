import type { Client } from "@colyseus/core";
import { CHAT_MAX_LENGTH, CHAT_WINDOW_SECONDS, ServerMessage, type ChatBroadcast } from "../../shared/protocol.ts";
import { RateLimit } from "../security/rateLimit.ts";

/** Chat lines a room remembers (the evidence a report carries). */
export const CHAT_HISTORY_LINES = 30;

/** A line as the room remembers it: who, what, when (ms since the epoch). */
export interface RememberedLine extends ChatBroadcast {
  at: number;
}

/** What chat needs from a room: who is who, and a way to reach everyone. */
export interface ChatRoom {
  /** The name a client chats under (a player's or a spectator's). */
  speakerName(sessionId: string): string;
  broadcast(type: string, message: ChatBroadcast): void;
}

/**
 * Chat for one room. A line from a client is trimmed, must be 1–CHAT_MAX_LENGTH
 * characters, and each client may send a burst of `burst` lines (CHAT_BURST, 5,
 * unless the host set it), then one more every CHAT_WINDOW_SECONDS / `burst`
 * (the server's one rate limiter); then it is broadcast as `{ from, text }`. Anything else is
 * answered with `chatRejected` and a reason, and the client stays connected.
 * The text is never interpreted; clients render it as text. System lines
 * (joins, leaves, kills) have `from: ""`.
 */
export class RoomChat {
  private readonly room: ChatRoom;
  private readonly burst: number;
  private readonly lines: RateLimit;
  private readonly history: RememberedLine[] = [];

  constructor(room: ChatRoom, now: () => number, burst: number) {
    this.room = room;
    this.burst = burst;
    this.lines = new RateLimit(burst, CHAT_WINDOW_SECONDS, now);
  }

  /** Broadcasts a client's line, or answers `chatRejected`; true when the line went out. */
  receive(client: Client, rawText: string): boolean {
    const rejected = this.check(client.sessionId, rawText);
    if (rejected) {
      client.send(ServerMessage.chatRejected, { reason: rejected });
      return false;
    }
    this.send({ from: this.room.speakerName(client.sessionId), text: rawText.trim() });
    return true;
  }

  system(text: string): void {
    this.send({ from: "", text });
  }

  /** The last CHAT_HISTORY_LINES lines sent, oldest first. */
  recent(): RememberedLine[] {
    return [...this.history];
  }

  forget(sessionId: string): void {
    this.lines.forget(sessionId);
  }

  /** Stops the limiter's upkeep (the room is gone). */
  close(): void {
    this.lines.close();
  }

  private send(line: ChatBroadcast): void {
    this.history.push({ ...line, at: Date.now() });
    if (this.history.length > CHAT_HISTORY_LINES) this.history.shift();
    this.room.broadcast(ServerMessage.chat, line);
  }

  /** Why a line may not go out, or undefined when it may (and then it counts against the limit). */
  private check(sessionId: string, text: string): string | undefined {
    const length = text.trim().length;
    if (length === 0 || length > CHAT_MAX_LENGTH) return `chat text must be 1 to ${CHAT_MAX_LENGTH} characters`;
    const wait = this.lines.take(sessionId);
    if (wait > 0) return `slow down: at most ${this.burst} messages every ${CHAT_WINDOW_SECONDS} s (try again in ${wait} s)`;
    return undefined;
  }
}

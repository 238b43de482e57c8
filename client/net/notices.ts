import type { Room } from "@colyseus/sdk";
import { ServerMessage, type ChatBroadcast, type KillNotice, type MessageRejection } from "../../shared/protocol.ts";

/** A hit the server granted one of this player's shots. */
export interface HitNotice {
  victim: string;
  /** The projectile's key in the state. */
  projectile: string;
}

/** A line for the HUD's feed: a chat line, or a kill in the players' names. */
export interface FeedLine {
  kind: "chat" | "system";
  text: string;
  /** A chat line's speaker (the HUD hides the players this browser muted). */
  from?: string;
  /** `performance.now()` when it arrived. */
  at: number;
}

const FEED_LENGTH = 8;

/**
 * What the server tells one player beside the state: chat and system lines
 * (joins, leaves, kills) for the feed, refusals in words, the hits its shots
 * scored, and the shutdown notice. Every message type the server sends has a
 * handler here, so none is dropped unheard.
 */
export class RoomNotices {
  readonly feed: FeedLine[] = [];
  /** `performance.now()` at which the server said it will close the room, if it did. */
  closingAt: number | undefined;
  /** `performance.now()` at which the server said the room is moving to another process, until the client is back in it. */
  movingSince: number | undefined;
  private readonly hitListeners = new Set<(hit: HitNotice) => void>();
  private readonly killListeners = new Set<(kill: KillNotice) => void>();

  constructor(room: Room) {
    room.onMessage(ServerMessage.serverClosing, (notice: { seconds: number }) => {
      this.closingAt = performance.now() + notice.seconds * 1000;
      this.push("system", `The server is shutting down in ${notice.seconds} s.`);
    });
    room.onMessage(ServerMessage.roomMoving, () => {
      this.movingSince = performance.now();
    });
    room.onMessage(ServerMessage.chat, (line: ChatBroadcast) => {
      if (line.from) this.push("chat", `${line.from}: ${line.text}`, line.from);
      else this.push("system", line.text);
    });
    room.onMessage(ServerMessage.chatRejected, (notice: { reason: string }) => {
      this.push("system", `Message not sent: ${notice.reason}`);
    });
    room.onMessage(ServerMessage.seatRefused, (notice: { reason: string }) => {
      this.push("system", `No seat: ${notice.reason}`);
    });
    room.onMessage(ServerMessage.notice, (notice: { text: string }) => {
      this.push("system", notice.text);
    });
    room.onMessage(ServerMessage.inputRefused, () => {});
    // This client sends only valid messages; a refusal means a bug (or a newer server): say it, do not hide it.
    room.onMessage(ServerMessage.messageRejected, (notice: MessageRejection) => {
      this.push("system", `The server refused a message: ${notice.reason}`);
    });
    room.onMessage(ServerMessage.hit, (hit: HitNotice) => {
      for (const listener of this.hitListeners) listener(hit);
    });
    // Kills also arrive as a system chat line for the text feed; listeners get the session ids.
    room.onMessage(ServerMessage.kill, (kill: KillNotice) => {
      for (const listener of this.killListeners) listener(kill);
    });
  }

  /** Calls `listener` for every hit the server grants; returns an unsubscribe. */
  onHit(listener: (hit: HitNotice) => void): () => void {
    this.hitListeners.add(listener);
    return () => this.hitListeners.delete(listener);
  }

  /** Calls `listener` for every kill in the room (anyone's); returns an unsubscribe. */
  onKill(listener: (kill: KillNotice) => void): () => void {
    this.killListeners.add(listener);
    return () => this.killListeners.delete(listener);
  }

  push(kind: FeedLine["kind"], text: string, from?: string): void {
    this.feed.push(from === undefined ? { kind, text, at: performance.now() } : { kind, text, from, at: performance.now() });
    if (this.feed.length > FEED_LENGTH) this.feed.shift();
  }
}

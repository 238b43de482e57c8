/**
 * A room's datagram channel, kept up for the life of the room: after joining
 * (and after every reconnection, which may land on another process) it asks
 * the server for a WebRTC DataChannel; while the channel is up, the SDK's
 * `sendUnreliable` goes out on it and what arrives on it is decoded as the
 * SDK decodes WebSocket frames. When it does not open within OPEN_TIMEOUT_MS,
 * or dies, the room plays over the WebSocket alone (the server routes the
 * same frames there) and the link tries again later, backing off.
 */
import { DatagramMessage, OPEN_TIMEOUT_MS, type CandidatesMessage, type SessionDescriptionMessage } from "../../shared/datagrams.ts";
import { DatagramChannel, type PeerConnectionClass } from "./datagramChannel.ts";
import { decodeDatagram, deliverDatagram, tapConnection, type TappableConnection } from "./sdkSeams.ts";

export type { PeerConnectionClass } from "./datagramChannel.ts";

/** The channel the room's state arrives on. */
export type Transport = "datagram" | "websocket";

/**
 * How a session carries its unreliable frames: a DataChannel made with
 * `peerConnection` (the browser's `RTCPeerConnection`, or node-datachannel's
 * polyfill in Node), or the WebSocket alone.
 */
export type DatagramChoice = { peerConnection: PeerConnectionClass } | "websocket";

/** The first retry's delay after a channel failed or did not open; each failure in a row doubles it. */
const FIRST_RETRY_MS = 2_000; // ms
const MAX_RETRY_MS = 60_000; // ms
/** A channel up this long resets the back-off. */
const STABLE_MS = 30_000; // ms

/**
 * The browser's choice: its RTCPeerConnection, unless the page says
 * `?datagrams=off` or the browser has none (then the WebSocket alone).
 */
export function defaultDatagrams(): DatagramChoice {
  const page = globalThis as { RTCPeerConnection?: unknown; location?: { search: string } };
  const off = page.location !== undefined && new URLSearchParams(page.location.search).get("datagrams") === "off";
  if (off || typeof page.RTCPeerConnection !== "function") return "websocket";
  return { peerConnection: page.RTCPeerConnection as PeerConnectionClass };
}

/** The part of an SDK `Room` the link uses. */
export interface DatagramRoom {
  connection: TappableConnection & { readonly isOpen: boolean };
  send(type: string, message?: unknown): void;
  onMessage(type: string, callback: (message: any) => void): unknown;
  onDrop(callback: () => void): unknown;
  onReconnect(callback: () => void): unknown;
  onLeave(callback: () => void): unknown;
}

/** Counters of a link, for the net graph and the measurements. */
export interface DatagramLinkStats {
  /** Channels that opened and were proven, so far. */
  opened: number;
  /** Attempts that did not open in time, and channels that died, so far. */
  failed: number;
  /** Milliseconds from asking to the first datagram heard, of the last channel that opened. */
  lastOpenMs: number | undefined;
  /** Why the last channel ended or the last attempt failed. */
  lastFailure: string | undefined;
  /** Parts of datagrams that named an entity before the reliable patch introducing it arrived (skipped; see `decodeDatagram`). */
  ahead: number;
}

/** See the module comment. Create it right after joining, before the other taps. */
export class DatagramLink {
  readonly stats: DatagramLinkStats = { opened: 0, failed: 0, lastOpenMs: undefined, lastFailure: undefined, ahead: 0 };
  private readonly room: DatagramRoom;
  private readonly peerConnection: PeerConnectionClass;
  private readonly untap: () => void;
  private channel: DatagramChannel | undefined;
  private askedAt = 0;
  private provenAt = 0;
  private failuresInRow = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The server said this process has no datagrams: no more asking until the next connection. */
  private refused = false;
  private ended = false;

  constructor(room: DatagramRoom, peerConnection: PeerConnectionClass) {
    this.room = room;
    this.peerConnection = peerConnection;
    this.untap = tapConnection(room.connection, {
      outgoing: (frame, forward, unreliable) => {
        if (unreliable && this.channel?.open) this.channel.send(frame);
        else forward(frame);
      },
      // Installed first, this tap hands frames to the SDK itself: a datagram is decoded right here.
      incoming: (event, forward) => {
        if (event.datagram) decodeDatagram(() => forward(event), () => this.stats.ahead++);
        else forward(event);
      },
    });
    room.onMessage(DatagramMessage.offer, (message: SessionDescriptionMessage) => void this.answer(message));
    room.onMessage(DatagramMessage.candidates, (message: CandidatesMessage) => void this.reach(message));
    room.onMessage(DatagramMessage.unavailable, () => {
      this.refused = true;
      this.drop();
    });
    room.onDrop(() => this.drop());
    room.onReconnect(() => {
      this.refused = false;
      this.failuresInRow = 0;
      this.ask();
    });
    room.onLeave(() => this.close());
    this.ask();
  }

  /** "datagram" while the channel is open and proven, else "websocket". */
  get transport(): Transport {
    return this.channel?.proven ? "datagram" : "websocket";
  }

  /** True while the room's `sendUnreliable` frames leave on the channel (open, whether proven yet or not). */
  get carrying(): boolean {
    return this.channel?.open ?? false;
  }

  /**
   * Closes the current channel from this side, as a channel that died: the
   * room plays on over the WebSocket at once and the link asks for a new one
   * after its back-off (FIRST_RETRY_MS, doubled for each failure since the
   * last reconnection or stable channel). Counted in `stats.failed`. Does
   * nothing while no channel is up or being opened. For the reconnect stress
   * run and the tests; `close` stops for good.
   */
  closeChannel(reason = "closed by the client"): void {
    if (this.channel) this.failed(this.channel, reason);
  }

  /** Stops for good: closes the channel and removes the tap. */
  close(): void {
    this.ended = true;
    this.drop();
    this.untap();
  }

  /** Asks the server for a channel, giving the attempt OPEN_TIMEOUT_MS. */
  private ask(): void {
    this.drop();
    if (this.ended || this.refused || !this.room.connection.isOpen) return;
    this.askedAt = performance.now();
    const channel = new DatagramChannel(this.peerConnection, {
      proven: () => {
        clearTimeout(this.timer);
        this.provenAt = performance.now();
        this.stats.opened++;
        this.stats.lastOpenMs = this.provenAt - this.askedAt;
      },
      received: (data) => deliverDatagram(this.room.connection, data),
      ended: (reason) => this.failed(channel, reason),
    });
    this.channel = channel;
    this.room.send(DatagramMessage.open);
    this.timer = setTimeout(() => this.failed(channel, "did not open in time"), OPEN_TIMEOUT_MS);
  }

  private async answer({ sdp }: SessionDescriptionMessage): Promise<void> {
    const channel = this.channel;
    if (!channel || typeof sdp !== "string") return;
    try {
      const answer = await channel.answer(sdp);
      if (this.channel === channel) this.room.send(DatagramMessage.answer, { sdp: answer });
    } catch (error) {
      this.failed(channel, `offer refused: ${String(error)}`);
    }
  }

  private async reach({ candidates, mid }: CandidatesMessage): Promise<void> {
    const channel = this.channel;
    if (!channel || !Array.isArray(candidates)) return;
    try {
      await channel.addCandidates(candidates.filter((candidate) => typeof candidate === "string"), String(mid));
    } catch (error) {
      this.failed(channel, `candidate refused: ${String(error)}`);
    }
  }

  /** The attempt or the channel failed: play over the WebSocket, and try again after a back-off. */
  private failed(channel: DatagramChannel, reason: string): void {
    if (this.channel !== channel) return;
    const wasStable = channel.proven && performance.now() - this.provenAt >= STABLE_MS;
    this.drop();
    this.stats.failed++;
    this.stats.lastFailure = reason;
    this.failuresInRow = wasStable ? 1 : this.failuresInRow + 1;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failuresInRow - 1));
    this.timer = setTimeout(() => this.ask(), delay * (0.75 + Math.random() * 0.5));
  }

  /** Closes the current channel and forgets any pending attempt or retry. */
  private drop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.channel?.close();
    this.channel = undefined;
  }
}

/**
 * One attempt at a DataChannel to the server: the client's side of the
 * signalling in shared/datagrams.ts. The server offers; this answers with a
 * standard `RTCPeerConnection` (the browser's, or node-datachannel's polyfill
 * in Node), takes the server's candidates, and reports the channel's life.
 * No STUN or TURN server: the server sends every address it answers on.
 */
import { KEEPALIVE_BYTE, KEEPALIVE_INTERVAL_MS, SILENCE_LIMIT_MS } from "../../shared/datagrams.ts";

/**
 * The part of the standard RTCPeerConnection the channel uses, written out so
 * that this module compiles without the DOM's types (bots and measurements
 * run it in Node).
 */
export interface PeerConnectionLike {
  ondatachannel: ((event: { channel: DataChannelLike }) => void) | null;
  onconnectionstatechange: (() => void) | null;
  readonly connectionState: string;
  setRemoteDescription(description: { type: "offer"; sdp: string }): Promise<void>;
  createAnswer(): Promise<{ type: string; sdp?: string }>;
  setLocalDescription(description: { type: string; sdp?: string }): Promise<void>;
  addIceCandidate(candidate: { candidate: string; sdpMid: string }): Promise<void>;
  close(): void;
}

/** The part of the standard RTCDataChannel the channel uses. */
export interface DataChannelLike {
  binaryType: string;
  readonly readyState: string;
  readonly bufferedAmount: number;
  onopen: (() => void) | null;
  onclose: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: Uint8Array): void;
  close(): void;
}

/**
 * A constructor of standard RTCPeerConnections: the browser's
 * `RTCPeerConnection`, or node-datachannel's polyfill in Node (each passed
 * through `unknown`: their handler types name DOM event classes).
 */
export type PeerConnectionClass = new (configuration: { iceServers: never[] }) => PeerConnectionLike;

/** What a channel reports, each at most once except `received`. */
export interface ChannelEvents {
  /** The first datagram from the server arrived: the path works both ways. */
  proven(): void;
  /** A frame from the server (keepalives are not reported); the buffer is the caller's. */
  received(data: ArrayBuffer): void;
  /** The channel is gone: closed by either end, failed, or silent for SILENCE_LIMIT_MS. */
  ended(reason: string): void;
}

/** Datagrams queued in the browser beyond this are dropped rather than sent late (bytes). */
const MAX_BUFFERED_BYTES = 64 * 1024;
const KEEPALIVE = Uint8Array.of(KEEPALIVE_BYTE);

/**
 * A DataChannel answered from the server's offer. `answer` resolves the SDP to
 * send back; then `open` goes true, datagrams flow (`send`, `events.received`)
 * and keepalives keep a quiet channel proven, until `close` or `events.ended`.
 */
export class DatagramChannel {
  private readonly peer: PeerConnectionLike;
  private readonly events: ChannelEvents;
  private channel: DataChannelLike | undefined;
  private isProven = false;
  private isEnded = false;
  private sentSinceCheck = false;
  private heardSinceCheck = false;
  private silentChecks = 0;
  private checker: ReturnType<typeof setInterval> | undefined;

  constructor(peerConnection: PeerConnectionClass, events: ChannelEvents) {
    this.events = events;
    this.peer = new peerConnection({ iceServers: [] });
    this.peer.ondatachannel = (event) => this.adopt(event.channel);
    this.peer.onconnectionstatechange = () => {
      const state = this.peer.connectionState;
      if (state === "failed" || state === "closed") this.end(`connection ${state}`);
    };
  }

  /** Takes the server's offer and resolves the answer's SDP. Rejects when the browser refuses the offer. */
  async answer(offerSdp: string): Promise<string> {
    await this.peer.setRemoteDescription({ type: "offer", sdp: offerSdp });
    const answer = await this.peer.createAnswer();
    await this.peer.setLocalDescription(answer);
    return answer.sdp ?? "";
  }

  /** Takes the server's addresses (sent once it has the answer): the checks start. Rejects when the browser refuses one. */
  async addCandidates(candidates: readonly string[], mid: string): Promise<void> {
    for (const candidate of candidates) await this.peer.addIceCandidate({ candidate, sdpMid: mid });
  }

  /** True while datagrams can be sent. */
  get open(): boolean {
    return !this.isEnded && this.channel?.readyState === "open";
  }

  /** True once the server's first datagram arrived (and until the channel ends). */
  get proven(): boolean {
    return this.isProven && !this.isEnded;
  }

  /** Sends one datagram; dropped (as the network would) when the channel is closed or its queue is long. */
  send(frame: Uint8Array): void {
    const channel = this.channel;
    if (!this.open || !channel || channel.bufferedAmount > MAX_BUFFERED_BYTES) return;
    try {
      channel.send(frame);
      this.sentSinceCheck = true;
    } catch {
      // Closing under us: a datagram not sent is a datagram lost.
    }
  }

  /** Closes the channel and its connection, without reporting `ended`. */
  close(): void {
    this.isEnded = true;
    this.stopChecking();
    try {
      this.channel?.close();
      this.peer.close();
    } catch {
      // Already closed.
    }
  }

  private adopt(channel: DataChannelLike): void {
    if (this.isEnded) return;
    this.channel = channel;
    channel.binaryType = "arraybuffer";
    channel.onopen = () => {
      // The server routes its datagrams here once one of ours arrives.
      this.send(KEEPALIVE);
      this.checker = setInterval(() => this.check(), KEEPALIVE_INTERVAL_MS);
    };
    channel.onclose = () => this.end("channel closed");
    channel.onmessage = (event) => this.heard(event.data);
  }

  private heard(data: unknown): void {
    if (this.isEnded || !(data instanceof ArrayBuffer)) return;
    this.heardSinceCheck = true;
    if (!this.isProven) {
      this.isProven = true;
      this.events.proven();
    }
    if (data.byteLength === 1 && new Uint8Array(data)[0] === KEEPALIVE_BYTE) return;
    this.events.received(data);
  }

  /** Every KEEPALIVE_INTERVAL_MS: a keepalive if nothing went out, and the channel given up after SILENCE_LIMIT_MS heard of nothing. */
  private check(): void {
    if (!this.sentSinceCheck) this.send(KEEPALIVE);
    this.sentSinceCheck = false;
    this.silentChecks = this.heardSinceCheck ? 0 : this.silentChecks + 1;
    this.heardSinceCheck = false;
    if (this.silentChecks * KEEPALIVE_INTERVAL_MS >= SILENCE_LIMIT_MS) this.end("silent");
  }

  private end(reason: string): void {
    if (this.isEnded) return;
    this.close();
    this.events.ended(reason);
  }

  private stopChecking(): void {
    clearInterval(this.checker);
    this.checker = undefined;
  }
}

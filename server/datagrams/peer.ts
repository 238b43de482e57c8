import nodeDataChannel, { type DataChannel, type PeerConnection } from "node-datachannel";
import { DATAGRAM_CHANNEL_LABEL, KEEPALIVE_BYTE } from "../../shared/datagrams.ts";

/** What a peer reports; each is called at most once per event, on the main thread, and never throws into the library. */
export interface PeerEvents {
  /** The first datagram arrived: the client's end is open and reaches this one. */
  proven(): void;
  /** A datagram other than a keepalive, as received (valid until the callback returns). */
  received(frame: Buffer): void;
  /** The channel is gone (closed by either end, failed, or silent too long). Called once. */
  closed(reason: string): void;
}

/** How a peer's PeerConnection is made: the process's one UDP port, and what to announce. */
export interface PeerSettings {
  port: number;
  /** The address the UDP port is bound to; undefined for every interface. */
  bindAddress?: string;
  /** Announced as the only candidate when set (NAT, cloud). */
  publicAddress?: string;
  /** Datagrams larger than this are refused by the library (the SDP's max-message-size). */
  maxMessageBytes: number;
  /** Where an exception thrown inside a library callback goes (it must not reach the library). */
  report(error: unknown): void;
}

/**
 * One client's WebRTC DataChannel, unordered and never retransmitted, on the
 * process's shared UDP port. The server offers (`offer`), the client answers
 * (`answer`); `send` and the `PeerEvents` carry datagrams. Every callback the
 * library makes is caught: node-datachannel aborts the process on an
 * exception thrown inside one.
 */
export class DatagramPeer {
  /** Datagrams sent and heard since the last `sweep`. */
  private sentSinceSweep = false;
  private heardSinceSweep = false;
  private silentSweeps = 0;
  private isProven = false;
  private isClosed = false;
  private readonly connection: PeerConnection;
  private readonly channel: DataChannel;
  private readonly events: PeerEvents;
  private readonly settings: PeerSettings;
  private readonly gathered: Promise<void>;

  constructor(name: string, settings: PeerSettings, events: PeerEvents) {
    this.events = events;
    this.settings = settings;
    const guarded = guard(settings.report);
    this.connection = new nodeDataChannel.PeerConnection(name, {
      iceServers: [],
      enableIceUdpMux: true,
      portRangeBegin: settings.port,
      portRangeEnd: settings.port,
      bindAddress: settings.bindAddress,
      maxMessageSize: settings.maxMessageBytes,
    });
    this.gathered = new Promise((resolve) => {
      this.connection.onGatheringStateChange(guarded((state) => { if (state === "complete") resolve(); }));
    });
    this.connection.onStateChange(guarded((state) => {
      if (state === "failed" || state === "closed") this.close(`connection ${state}`);
    }));
    this.channel = this.connection.createDataChannel(DATAGRAM_CHANNEL_LABEL, { unordered: true, maxRetransmits: 0 });
    this.channel.onClosed(guarded(() => this.close("channel closed")));
    this.channel.onMessage(guarded((message: string | Buffer | ArrayBuffer) => this.heard(message)));
  }

  /**
   * The SDP offer, without candidates, and the candidates this end answers on
   * (or the public address alone) with the media id they belong to: the
   * candidates go to the client after its answer is in (see `DatagramService`),
   * so no check of the client's can arrive before this end knows who answered.
   */
  async offer(): Promise<{ sdp: string; candidates: string[]; mid: string }> {
    await this.gathered;
    const description = this.connection.localDescription();
    if (!description) throw new Error("no local description after gathering");
    // This end starts the DTLS handshake (the client answers "passive"): it does so once its ICE has
    // nominated the pair, when the client's end is surely listening. Left to the client, which
    // starts as soon as its own checks succeed, the first flight often came before this end was
    // ready and waited a second for its retransmission (half the channels took a second more to open).
    return splitCandidates(description.sdp.replace("a=setup:actpass", "a=setup:active"), this.settings.publicAddress, this.settings.port);
  }

  /**
   * Takes the client's answer. Its candidates are dropped: this end learns
   * the client's address from the checks it receives, and never sends to one
   * a client names. Throws on an SDP the library refuses.
   */
  answer(sdp: string): void {
    const withoutCandidates = sdp.split(/\r?\n/).filter((line) => !line.startsWith("a=candidate:") && !line.startsWith("a=end-of-candidates")).join("\r\n");
    this.connection.setRemoteDescription(withoutCandidates, "answer");
  }

  /** True once a datagram from the client has arrived. */
  get proven(): boolean {
    return this.isProven;
  }

  /** Sends one datagram; a closed or congested channel drops it, as the network would. */
  send(frame: Uint8Array): void {
    if (this.isClosed) return;
    try {
      this.channel.sendMessageBinary(frame);
      this.sentSinceSweep = true;
    } catch {
      // Closed under us, or over the size limit: a datagram that is not sent is a datagram lost.
    }
  }

  /**
   * Called every KEEPALIVE_INTERVAL_MS: sends a keepalive when nothing was
   * sent since the last sweep, and closes a proven channel that has been
   * silent for `silentSweepsAllowed` sweeps in a row.
   */
  sweep(silentSweepsAllowed: number): void {
    if (this.isClosed || !this.isProven) return;
    if (!this.sentSinceSweep) this.send(KEEPALIVE);
    this.sentSinceSweep = false;
    this.silentSweeps = this.heardSinceSweep ? 0 : this.silentSweeps + 1;
    this.heardSinceSweep = false;
    if (this.silentSweeps >= silentSweepsAllowed) this.close("silent");
  }

  /** Closes the channel and its connection; `closed` is reported once. */
  close(reason = "closed here"): void {
    if (this.isClosed) return;
    this.isClosed = true;
    try {
      this.channel.close();
      this.connection.close();
    } catch {
      // Already torn down by the library.
    }
    this.events.closed(reason);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private heard(message: string | Buffer | ArrayBuffer): void {
    if (this.isClosed || typeof message === "string") return;
    const frame = Buffer.isBuffer(message) ? message : Buffer.from(message);
    this.heardSinceSweep = true;
    if (!this.isProven) {
      this.isProven = true;
      // Heard back at once, the client knows the path works both ways.
      this.send(KEEPALIVE);
      this.events.proven();
    }
    if (frame.length === 1 && frame[0] === KEEPALIVE_BYTE) return;
    this.events.received(frame);
  }
}

const KEEPALIVE = Uint8Array.of(KEEPALIVE_BYTE);

/** Wraps library callbacks so that nothing they throw reaches the library (which would abort the process): it goes to `report`. */
function guard(report: (error: unknown) => void) {
  return <A extends unknown[]>(callback: (...args: A) => void): ((...args: A) => void) => (...args) => {
    try {
      callback(...args);
    } catch (error) {
      report(error);
    }
  };
}

/**
 * The offer without its candidates, and the candidates as `candidate:` lines:
 * those gathered, or one at `address` on `port` (with the connection line to
 * match) when a public address is announced instead.
 */
function splitCandidates(sdp: string, address: string | undefined, port: number): { sdp: string; candidates: string[]; mid: string } {
  const lines = sdp.split(/\r?\n/).filter((line) => line !== "");
  const isCandidate = (line: string) => line.startsWith("a=candidate:") || line.startsWith("a=end-of-candidates");
  const family = address?.includes(":") ? "IP6" : "IP4";
  const kept = lines.filter((line) => !isCandidate(line)).map((line) => (address && line.startsWith("c=IN ") ? `c=IN ${family} ${address}` : line));
  const gathered = lines.filter((line) => line.startsWith("a=candidate:")).map((line) => line.slice("a=".length));
  const candidates = address ? [`candidate:1 1 UDP 2122317823 ${address} ${port} typ host`] : gathered;
  const mid = lines.find((line) => line.startsWith("a=mid:"))?.slice("a=mid:".length) ?? "0";
  return { sdp: `${kept.join("\r\n")}\r\n`, candidates, mid };
}

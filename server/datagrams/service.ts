import { Protocol, type Client, type Room } from "@colyseus/core";
import * as v from "valibot";
import { DatagramMessage, MAX_ANSWER_SDP_LENGTH, MIN_REOPEN_INTERVAL_MS, type CandidatesMessage } from "../../shared/datagrams.ts";
import { protocolCode } from "../../shared/protocol.ts";
import { deliverDatagram, routeUnreliable, unreliableRouteOf } from "../colyseusSeams.ts";
import type { Log } from "../log.ts";
import type { MessageGuard } from "../rooms/messageGuard.ts";
import type { DatagramConfig } from "./config.ts";
import { DatagramEndpoint } from "./endpoint.ts";
import type { DatagramPeer } from "./peer.ts";

/** `datagram:open`: no payload. */
const openMessage = v.union([v.undefined(), v.null()]);
/** `datagram:answer`: `{ sdp }`, no longer than a browser's answer ever is. */
const answerMessage = v.strictObject({ sdp: v.pipe(v.string(), v.maxLength(MAX_ANSWER_SDP_LENGTH)) });

/** One client's channel: its current peer, when it last asked for one, and the candidates it gets once it has answered. */
interface ClientChannel {
  peer: DatagramPeer | undefined;
  askedAt: number;
  candidates?: CandidatesMessage;
}

/** `ws`'s readyState of an open socket. */
const SOCKET_OPEN = 1;

/**
 * Datagrams for every room of the process: the endpoint (its one UDP port),
 * and per client the signalling over the room's WebSocket and the switch of
 * its unreliable route. A client's channel lives as long as its socket: it is
 * closed when the socket closes (leave, drop, kick, the room's end) and with
 * the server. What arrives on it is screened like a WebSocket frame and more:
 * only unreliable inputs are accepted, no larger than MAX_FRAME_BYTES, and
 * anything else counts toward the client's invalid-message kick.
 */
export class DatagramService {
  /** Counts since start: offers sent, channels a client reached (proven), and channels closed. */
  readonly counts = { offered: 0, proven: 0, closed: 0 };
  private endpoint: DatagramEndpoint | undefined;
  private readonly channels = new WeakMap<Client, ClientChannel>();
  private readonly config: DatagramConfig | undefined;
  private readonly maxFrameBytes: number;
  private readonly log: Log;

  /** `config` undefined: datagrams are off, and clients that ask are told so. */
  constructor(config: DatagramConfig | undefined, maxFrameBytes: number, log: Log) {
    this.config = config;
    this.maxFrameBytes = maxFrameBytes;
    this.log = log;
  }

  /** Binds the UDP port (see `DatagramEndpoint.open`); `httpPort` is the port the server listens on. */
  async start(host: string, httpPort: number): Promise<void> {
    if (!this.config || this.endpoint) return;
    this.endpoint = await DatagramEndpoint.open(this.config, host, httpPort, this.maxFrameBytes, this.log);
    if (this.endpoint) this.log.info("datagrams on", { udpPort: this.endpoint.port, announced: this.config.publicAddress ?? "the interfaces' addresses" });
  }

  /** The UDP port in use, if datagrams are on. */
  get udpPort(): number | undefined {
    return this.endpoint?.port;
  }

  /** Channels made and not closed yet, over every room. */
  get openChannels(): number {
    return this.endpoint?.openPeers ?? 0;
  }

  /** Closes every channel and frees the port. */
  close(): void {
    this.endpoint?.close();
    this.endpoint = undefined;
  }

  /** Answers `room`'s datagram signalling; call once, when the room is created. */
  serve(room: Room, guard: MessageGuard): void {
    room.onMessage(DatagramMessage.open, guard.validated(DatagramMessage.open, openMessage, (client) => void this.open(client, guard)));
    room.onMessage(DatagramMessage.answer, guard.validated(DatagramMessage.answer, answerMessage, (client, { sdp }) => this.answer(client, sdp)));
  }

  private async open(client: Client, guard: MessageGuard): Promise<void> {
    const now = performance.now();
    let channel = this.channels.get(client);
    if (channel && now - channel.askedAt < MIN_REOPEN_INTERVAL_MS) return;
    const socket = (client as unknown as { ref?: { readyState?: number; once?(event: "close", listener: () => void): void } }).ref;
    if (!channel) {
      channel = { peer: undefined, askedAt: now };
      this.channels.set(client, channel);
      socket?.once?.("close", () => channel!.peer?.close("client gone"));
    }
    channel.askedAt = now;
    channel.candidates = undefined;
    channel.peer?.close("re-opened");
    if (!this.endpoint) {
      client.send(DatagramMessage.unavailable, { reason: this.config ? "no UDP port" : "off" });
      return;
    }
    if (socket?.readyState !== SOCKET_OPEN) return;
    const peer: DatagramPeer = this.endpoint.createPeer({
      proven: () => {
        this.counts.proven++;
        routeUnreliable(client, (frame) => peer.send(frame));
      },
      received: (frame) => this.receive(client, frame, guard),
      closed: (reason) => {
        if (channel.peer !== peer) return;
        this.counts.closed++;
        channel.peer = undefined;
        if (unreliableRouteOf(client) === "datagram") routeUnreliable(client);
        this.log.debug("datagram channel closed", { sessionId: client.sessionId, reason });
      },
    });
    channel.peer = peer;
    try {
      const { sdp, candidates, mid } = await peer.offer();
      if (peer.closed) return;
      channel.candidates = { candidates, mid };
      client.send(DatagramMessage.offer, { sdp });
      this.counts.offered++;
    } catch (error) {
      this.log.warn("datagram offer failed", { sessionId: client.sessionId, error });
      peer.close("offer failed");
    }
  }

  private answer(client: Client, sdp: string): void {
    const channel = this.channels.get(client);
    const peer = channel?.peer;
    const candidates = channel?.candidates;
    // No offer waiting (the channel was re-opened or closed since, or already answered): nothing to answer.
    if (!peer || peer.closed || !candidates) return;
    channel.candidates = undefined;
    try {
      peer.answer(sdp);
      client.send(DatagramMessage.candidates, candidates);
    } catch (error) {
      this.log.debug("datagram answer refused", { sessionId: client.sessionId, error: String(error) });
      peer.close("answer refused");
    }
  }

  /** A datagram from `client`: an unreliable input within the frame limit goes to the room, anything else is a strike. */
  private receive(client: Client, frame: Buffer, guard: MessageGuard): void {
    if (frame.length > this.maxFrameBytes || protocolCode(frame[0]!) !== Protocol.ROOM_INPUT_UNRELIABLE) {
      guard.malformedFrame(client);
      return;
    }
    deliverDatagram(client, frame);
  }
}

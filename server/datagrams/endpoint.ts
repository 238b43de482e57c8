import { createSocket } from "node:dgram";
import { isIP } from "node:net";
import nodeDataChannel, { type IceUdpMuxListener } from "node-datachannel";
import { KEEPALIVE_INTERVAL_MS, SILENCE_LIMIT_MS } from "../../shared/datagrams.ts";
import type { Log } from "../log.ts";
import type { DatagramConfig } from "./config.ts";
import { DatagramPeer, type PeerEvents, type PeerSettings } from "./peer.ts";

/**
 * The SCTP under every DataChannel of the process: a delayed SACK of 200 ms,
 * as RFC 4960 recommends and browsers keep (libdatachannel's own default is
 * 20 ms). A channel that carries one datagram a tick each way (33 ms apart)
 * then acknowledges every second one instead of each: a quarter fewer
 * DTLS records for every client, encrypted, sent, received and decrypted by
 * the library's threads. Nothing waits on those acknowledgements: the
 * channel never retransmits, and its congestion window is far above a
 * tick's few hundred bytes.
 */
export const DATAGRAM_SCTP = { delayedSackTime: 200 } as const;

/** Tries at an ephemeral port before giving up (another process may take the one found free first). */
const EPHEMERAL_TRIES = 5;
/** A peer whose client has not reached it this long after it was made is closed (the client gave up long before). */
const UNPROVEN_LIFETIME_MS = 15_000; // ms

/**
 * The process's datagram endpoint: one UDP port for every peer (libdatachannel's
 * ICE UDP mux demultiplexes them by ICE credentials), held from start-up to
 * `close`, and one timer that keeps every open channel proven (keepalives,
 * silence) and frees the peers no client reached.
 */
export class DatagramEndpoint {
  /** The UDP port every peer shares. */
  readonly port: number;
  private readonly listener: IceUdpMuxListener;
  private readonly settings: PeerSettings;
  private readonly peers = new Map<DatagramPeer, number>();
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private peerCount = 0;

  private constructor(listener: IceUdpMuxListener, settings: PeerSettings) {
    this.listener = listener;
    this.port = settings.port;
    this.settings = settings;
  }

  /**
   * Binds the UDP port: the first free one of `config.ports`, or by default the
   * HTTP port's number when free, else any free port. Resolves undefined (and
   * says why in the log) when none is free: the process then plays over
   * WebSockets alone.
   */
  static async open(config: DatagramConfig, host: string, httpPort: number, maxMessageBytes: number, log: Log): Promise<DatagramEndpoint | undefined> {
    routeLibraryLog(log);
    nodeDataChannel.setSctpSettings(DATAGRAM_SCTP);
    const bindAddress = isIP(host) !== 0 && host !== "0.0.0.0" && host !== "::" ? host : undefined;
    const candidates = config.ports ? portsOf(config.ports) : [...(httpPort !== 0 ? [httpPort] : []), 0];
    for (const wanted of candidates) {
      const tries = wanted === 0 ? EPHEMERAL_TRIES : 1;
      for (let attempt = 0; attempt < tries; attempt++) {
        const port = wanted === 0 ? await freeUdpPort(bindAddress) : wanted;
        const listener = listen(port, bindAddress);
        if (!listener) continue;
        const report = (error: unknown) => log.error("datagram callback failed", { error });
        return new DatagramEndpoint(listener, { port, bindAddress, publicAddress: config.publicAddress, maxMessageBytes, report });
      }
    }
    log.error("no free UDP port for datagrams: clients play over WebSockets alone", { udpPort: config.ports, host });
    return undefined;
  }

  /** A new peer on the shared port; the endpoint keeps it proven, and closes it with itself. */
  createPeer(events: PeerEvents): DatagramPeer {
    const peer = new DatagramPeer(`peer-${++this.peerCount}`, this.settings, {
      ...events,
      closed: (reason) => {
        this.peers.delete(peer);
        if (this.peers.size === 0) this.stopSweeping();
        events.closed(reason);
      },
    });
    this.peers.set(peer, performance.now());
    this.sweeper ??= setInterval(() => this.sweep(), KEEPALIVE_INTERVAL_MS).unref();
    return peer;
  }

  /** Peers made and not closed yet. */
  get openPeers(): number {
    return this.peers.size;
  }

  /** Closes every peer and frees the UDP port. */
  close(): void {
    for (const peer of [...this.peers.keys()]) peer.close("server closing");
    this.stopSweeping();
    try {
      this.listener.stop();
    } catch {
      // Already stopped.
    }
  }

  private sweep(): void {
    const silentSweeps = Math.ceil(SILENCE_LIMIT_MS / KEEPALIVE_INTERVAL_MS);
    const now = performance.now();
    for (const [peer, createdAt] of this.peers) {
      if (!peer.proven && now - createdAt > UNPROVEN_LIFETIME_MS) peer.close("never reached");
      else peer.sweep(silentSweeps);
    }
  }

  private stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

function portsOf(range: { first: number; last: number }): number[] {
  return Array.from({ length: range.last - range.first + 1 }, (_, i) => range.first + i);
}

/** The ICE UDP mux listener on `port`: it binds the port for the process, and the peers on it share it. Undefined when busy. */
function listen(port: number, bindAddress: string | undefined): IceUdpMuxListener | undefined {
  try {
    return new nodeDataChannel.IceUdpMuxListener(port, bindAddress);
  } catch {
    return undefined;
  }
}

/** A UDP port free at this instant (the kernel's pick). */
function freeUdpPort(bindAddress: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(bindAddress?.includes(":") ? "udp6" : "udp4");
    socket.once("error", reject);
    socket.bind(0, bindAddress, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

let libraryLog: Log | undefined;

/**
 * libdatachannel's own log lines (its warnings and worse) go to the server's
 * log at debug level: each tells of one peer (a check with the wrong
 * credentials, a failed handshake), and any client could cause them at will,
 * as it could noise in a log at a higher level. Its logger is one per
 * process: the endpoint opened last takes them. The endpoint says itself when
 * no UDP port was free.
 */
function routeLibraryLog(log: Log): void {
  if (!libraryLog) {
    nodeDataChannel.initLogger("Warning", (severity, message) => libraryLog?.debug(`datagrams: ${message}`, { severity }));
  }
  libraryLog = log;
}

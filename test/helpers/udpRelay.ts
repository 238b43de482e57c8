import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { PeerConnectionClass, PeerConnectionLike } from "../../client/net/datagramChannel.ts";

/**
 * A UDP relay on 127.0.0.1 between a client's DataChannel and the server's
 * UDP port, as a router on the path would be: it forwards both ways, can
 * record what the client sends, send it again later from the same address,
 * and send packets of its own making. The client is pointed at it by
 * `peerConnection`, which rewrites the server's candidates to name the relay.
 */
export class UdpRelay {
  /** Recording what the client sends, while true. */
  recording = false;
  readonly recorded: Buffer[] = [];
  /** UDP packets relayed each way so far. */
  readonly relayed = { fromServer: 0, fromClient: 0 };
  private client: RemoteInfo | undefined;
  private readonly socket: Socket;
  private readonly serverPort: number;

  private constructor(socket: Socket, serverPort: number) {
    this.socket = socket;
    this.serverPort = serverPort;
    socket.on("message", (packet, from) => {
      if (from.port === serverPort && from.address === "127.0.0.1") {
        this.relayed.fromServer++;
        if (this.client) socket.send(packet, this.client.port, this.client.address);
        return;
      }
      this.client = from;
      this.relayed.fromClient++;
      if (this.recording) this.recorded.push(Buffer.from(packet));
      socket.send(packet, serverPort, "127.0.0.1");
    });
  }

  /** A relay towards the server's UDP port `serverPort`. */
  static start(serverPort: number): Promise<UdpRelay> {
    const socket = createSocket("udp4");
    return new Promise((resolve) => socket.bind(0, "127.0.0.1", () => resolve(new UdpRelay(socket, serverPort))));
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** `base`, whose candidates from the server are rewritten to name this relay as the server's only address. */
  peerConnection(base: PeerConnectionClass): PeerConnectionClass {
    const relayPort = this.port;
    return class extends (base as unknown as new (configuration: { iceServers: never[] }) => PeerConnectionLike) {
      override addIceCandidate(init: { candidate: string; sdpMid: string }): Promise<void> {
        const candidate = init.candidate.replace(/^candidate:(\S+) (\d) (\S+) (\d+) \S+ \d+ typ host.*$/, `candidate:$1 $2 $3 $4 127.0.0.1 ${relayPort} typ host`);
        return super.addIceCandidate({ ...init, candidate });
      }
    } as unknown as PeerConnectionClass;
  }

  /** Sends everything recorded to the server again, in order, from the client's side of the relay. */
  replay(): void {
    for (const packet of this.recorded) this.socket.send(packet, this.serverPort, "127.0.0.1");
  }

  /** Sends `count` packets of random bytes to the server from the client's side of the relay. */
  forge(count: number): void {
    for (let i = 0; i < count; i++) {
      const packet = Buffer.alloc(20 + Math.floor(Math.random() * 200));
      for (let j = 0; j < packet.length; j++) packet[j] = Math.floor(Math.random() * 256);
      this.socket.send(packet, this.serverPort, "127.0.0.1");
    }
  }

  close(): void {
    this.socket.close();
  }
}

import { WebSocketTransport, type TransportOptions } from "@colyseus/ws-transport";

/**
 * The WebSocket transport on a port a successor may share (`SO_REUSEPORT`,
 * Linux): a new process listens on the old one's port while the old one still
 * serves, the old one stops accepting on drain, and the kernel hands every new
 * connection, reconnections to moved rooms included, to the new one; the
 * address clients know never stops answering. `beforeBind` runs once the
 * matchmaker is up and before the port takes connections (rooms written by the
 * previous process are restored there, so no reconnection arrives first).
 */
export class SharedPortTransport extends WebSocketTransport {
  private readonly beforeBind: () => Promise<void>;

  constructor(options: TransportOptions, beforeBind: () => Promise<void>) {
    super(options);
    this.beforeBind = beforeBind;
  }

  override listen(port: number, hostname?: string, backlog?: number, listeningListener?: () => void): this {
    const server = this.server;
    if (!server) throw new Error("SharedPortTransport is not attached to an HTTP server.");
    void this.beforeBind().finally(() => server.listen({ port, host: hostname, backlog, reusePort: true }, listeningListener));
    return this;
  }
}

import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { screenHttpEvents } from "../colyseusSeams.ts";
import type { SecurityConfig } from "../securityConfig.ts";
import { AddressCounter } from "./addressLimits.ts";
import { RateLimit } from "./rateLimit.ts";

/** Why the gate turned a connection or request away (the `reason` label of arena_refused_total). */
export type RefusalReason = "origin" | "join_rate" | "connection_limit" | "banned";

/** What the gate asks of moderation (`server/moderation/`): whether an address is banned, and who connected from where. */
export interface AddressScreen {
  /** Why `address` may not join ("banned until …: reason"), or undefined. */
  refusal(address: string): string | undefined;
  /** A room connection for session `sessionId` opened from `address`. */
  connected(sessionId: string, address: string, socket: Socket): void;
}

/** Paths whose requests count as join attempts: token requests, matchmaking, watching. */
const JOIN_PATHS = /^\/(?:matchmake|watch|auth)\//;

/**
 * The server's front door, ahead of Colyseus and Express: every TCP
 * connection, HTTP request and WebSocket upgrade passes here first.
 *
 * - Connections per address (MAX_CONNECTIONS_PER_IP): counted from the TCP
 *   accept, so half-open handshakes (slowloris) count too; one over is
 *   answered `429` and closed.
 * - Origins (ALLOWED_ORIGINS): a browser request or upgrade from another
 *   site's page is refused with `403`. Requests without an `Origin` header
 *   (bots, curl, other servers) pass: only browsers send it, and only
 *   browsers need protecting from other sites' pages.
 * - Join attempts per address per minute (JOINS_PER_MINUTE_PER_IP): over it,
 *   `429` with `Retry-After`.
 * - Handshake deadline (HANDSHAKE_TIMEOUT_MS): Node's own `headersTimeout`.
 * - Banned addresses (`AddressScreen`): join attempts and upgrades are
 *   refused with `403 { error: "banned until …: reason" }`; each room
 *   connection's address is told to moderation, which bans by address mid-match.
 *
 * Why by hand: Colyseus' `beforeUpgrade` hook sees no socket (so no address)
 * and trusts `X-Forwarded-For` unconditionally, and nothing in it limits HTTP
 * matchmaking per address.
 */
export class Gate {
  private readonly security: SecurityConfig;
  private readonly refused: (reason: RefusalReason) => void;
  private readonly connections: AddressCounter;
  private readonly joins: RateLimit;
  private readonly screen: AddressScreen | undefined;

  constructor(security: SecurityConfig, refused: (reason: RefusalReason) => void, screen?: AddressScreen) {
    this.security = security;
    this.refused = refused;
    this.screen = screen;
    this.connections = new AddressCounter(security.maxConnectionsPerIp);
    this.joins = new RateLimit(security.joinsPerMinutePerIp, 60);
  }

  /**
   * Puts the gate in front of every listener of `server` (through the HTTP
   * screening seam: Colyseus prepends its own request listener when it starts,
   * and a listener cannot stop the others).
   */
  guard(server: HttpServer): void {
    server.headersTimeout = this.security.handshakeTimeoutMs;
    server.requestTimeout = Math.max(this.security.handshakeTimeoutMs, 30_000);
    screenHttpEvents(server, {
      connection: (socket) => this.admitConnection(socket),
      request: (request, response) => this.admitRequest(request, response),
      upgrade: (request, socket) => this.admitUpgrade(request, socket),
    });
  }

  /** Stops the gate's timers (the rate limit's pruning). */
  close(): void {
    this.joins.close();
  }

  /** The client's address: the socket's, or the first X-Forwarded-For hop under TRUST_PROXY. */
  private addressOf(request: IncomingMessage): string {
    if (this.security.trustProxy) {
      const forwarded = request.headers["x-forwarded-for"];
      const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
      if (first) return first;
    }
    return request.socket.remoteAddress ?? "unknown";
  }

  private admitConnection(socket: Socket): boolean {
    // Behind a proxy every connection comes from the proxy: limiting them is the proxy's job.
    if (this.security.trustProxy) return true;
    const address = socket.remoteAddress ?? "unknown";
    if (!this.connections.open(address)) {
      this.refused("connection_limit");
      // Over TLS nothing readable can be said before the handshake: just close.
      if ("encrypted" in socket) socket.destroy();
      // Read and drop whatever the client still sends: an unread socket never sees the client's end, and would stay open.
      else socket.end(rawResponse(429, "Too many connections from your address.")).resume();
      return false;
    }
    socket.once("close", () => this.connections.close(address));
    return true;
  }

  private admitRequest(request: IncomingMessage, response: ServerResponse): boolean {
    if (!this.originAllowed(request)) {
      this.refused("origin");
      response.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ error: "This origin may not use this server." }));
      return false;
    }
    if (request.method === "POST" && JOIN_PATHS.test(request.url ?? "")) {
      const banned = this.screen?.refusal(this.addressOf(request));
      if (banned !== undefined) {
        this.refused("banned");
        response.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ error: banned }));
        return false;
      }
      const retryAfter = this.joins.take(this.addressOf(request));
      if (retryAfter > 0) {
        this.refused("join_rate");
        response.writeHead(429, { "content-type": "application/json", "retry-after": String(retryAfter) })
          .end(JSON.stringify({ error: `Too many join attempts from your address: try again in ${retryAfter} s.` }));
        return false;
      }
    }
    return true;
  }

  private admitUpgrade(request: IncomingMessage, socket: Socket): boolean {
    if (!this.originAllowed(request)) {
      this.refused("origin");
      socket.end(rawResponse(403, "This origin may not open game connections here."));
      return false;
    }
    if (this.screen) {
      const address = this.addressOf(request);
      const banned = this.screen.refusal(address);
      if (banned !== undefined) {
        this.refused("banned");
        socket.end(rawResponse(403, banned));
        return false;
      }
      const sessionId = new URL(request.url ?? "/", "ws://server").searchParams.get("sessionId");
      if (sessionId) this.screen.connected(sessionId, address, socket);
    }
    return true;
  }

  /** No Origin header, the server's own origin, or one of ALLOWED_ORIGINS. */
  private originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined || this.security.allowedOrigins === "*") return true;
    const scheme = "encrypted" in request.socket || (this.security.trustProxy && request.headers["x-forwarded-proto"] === "https") ? "https" : "http";
    if (request.headers.host !== undefined && origin === `${scheme}://${request.headers.host}`) return true;
    return this.security.allowedOrigins.includes(origin);
  }
}

function rawResponse(status: 403 | 429, text: string): string {
  const reason = status === 403 ? "Forbidden" : "Too Many Requests";
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text) + 1}\r\n\r\n${text}\n`;
}

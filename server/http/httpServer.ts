import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { ServerConfig } from "../config.ts";
import { SafeHeadersResponse } from "./safeHeaders.ts";

/**
 * The process's one HTTP server: HTTP, or HTTPS with TLS_CERT/TLS_KEY. Node
 * checks the handshake deadline (HANDSHAKE_TIMEOUT_MS) every
 * `connectionsCheckingInterval`: at most a second, not Node's default 30 s,
 * so slow handshakes are cut on time.
 */
export function createHttpServerFor(config: ServerConfig): HttpServer {
  const options = {
    connectionsCheckingInterval: Math.min(1000, config.security.handshakeTimeoutMs / 2),
    // Every response starts with the safe headers (server/http/safeHeaders.ts).
    ServerResponse: SafeHeadersResponse,
  };
  const tls = config.security.tls;
  return tls ? createHttpsServer({ ...options, cert: tls.cert, key: tls.key }) : createHttpServer(options);
}

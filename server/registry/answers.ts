/**
 * What clients are told while the registry is away: matchmaking (quick play,
 * create, join by id or code, the lobby) and /watch answer 503 with the
 * sentence and a `Retry-After`, except a reconnection to a room this process
 * holds, which never needs the registry.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import { ServerError, matchMaker } from "@colyseus/core";
import { REGISTRY_RETRY_AFTER_SECONDS, REGISTRY_UNAVAILABLE, REGISTRY_UNAVAILABLE_STATUS } from "../../shared/registry.ts";
import { interceptMatchmaking, reconnectLocally, screenHttpEvents } from "../colyseusSeams.ts";
import type { RegistryStatus } from "./monitor.ts";

/** Requests that need the registry: Colyseus' matchmaking route and Arena's /watch. */
const REGISTRY_PATHS = /^\/(?:matchmake|watch)\//;
/** A reconnection request, and the room it names. */
const RECONNECT_PATH = /^\/matchmake\/reconnect\/([^/?]+)/;

/** The error a matchmaking call fails with while the registry is away (HTTP 503 with the sentence). */
export function registryUnavailable(): ServerError {
  return new ServerError(REGISTRY_UNAVAILABLE_STATUS, REGISTRY_UNAVAILABLE);
}

/**
 * Answers for the registry in front of Colyseus' matchmaking:
 * - a reconnection to a room held here is answered from the room itself;
 * - while the registry is away, every other call fails with `registryUnavailable()`;
 * - a call that fails because Redis went away mid-way (before the monitor
 *   noticed) fails the same way rather than with Redis' own error.
 * Returns a function that removes it.
 */
export function answerMatchmakingForRegistry(status: RegistryStatus): () => void {
  return interceptMatchmaking(async ({ method, roomName, options, next }) => {
    if (method === "reconnect") {
      const local = reconnectLocally(roomName, options.reconnectionToken);
      if (local) return local;
    }
    if (!status.up) throw registryUnavailable();
    try {
      return await next();
    } catch (error) {
      if (!(await status.confirm())) throw registryUnavailable();
      throw error;
    }
  });
}

/**
 * Puts the registry's answer in front of `server`'s request listeners (through
 * the HTTP screening seam, as the security gate does): while the registry is away, a
 * registry request is answered at once, `503` with the sentence as JSON and a
 * `Retry-After`. Every 503 on those paths gets the `Retry-After`, including
 * one Colyseus' route gives when the registry fails mid-request.
 */
export function guardRegistryRoutes(server: HttpServer, status: RegistryStatus): void {
  screenHttpEvents(server, {
    request: (request, response) => {
      const path = request.url ?? "";
      if (request.method !== "POST" || !REGISTRY_PATHS.test(path)) return true;
      if (!status.up && !isLocalReconnection(path)) {
        refuse(request, response);
        return false;
      }
      addRetryAfterTo503(response);
      return true;
    },
  });
}

function isLocalReconnection(path: string): boolean {
  const roomId = RECONNECT_PATH.exec(path)?.[1];
  return roomId !== undefined && matchMaker.getLocalRoomById(decodeURIComponent(roomId)) !== undefined;
}

function refuse(request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify({ code: REGISTRY_UNAVAILABLE_STATUS, error: REGISTRY_UNAVAILABLE });
  response.writeHead(REGISTRY_UNAVAILABLE_STATUS, {
    "content-type": "application/json",
    "retry-after": String(REGISTRY_RETRY_AFTER_SECONDS),
    // Colyseus' CORS headers are not added on this path; a page on another origin must still read the answer.
    "access-control-allow-origin": request.headers.origin ?? "*",
    "access-control-allow-credentials": "true",
  }).end(body);
}

function addRetryAfterTo503(response: ServerResponse): void {
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
  response.writeHead = ((statusCode: number, ...rest: unknown[]) => {
    if (statusCode === REGISTRY_UNAVAILABLE_STATUS && !response.hasHeader("retry-after")) {
      response.setHeader("retry-after", String(REGISTRY_RETRY_AFTER_SECONDS));
    }
    return writeHead(statusCode, ...rest);
  }) as typeof response.writeHead;
}

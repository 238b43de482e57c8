import type { Room } from "@colyseus/sdk";

/**
 * The SDK reconnects by itself; Arena's settings: also right after joining
 * (the SDK's default waits for 5 s of uptime), and with jittered exponential
 * backoff so a crowd cut off at once does not come back in lockstep. The
 * attempts span about a minute; the server answers a seat that has expired
 * at once, which ends them early.
 */
export function configureReconnection(room: Room): void {
  room.reconnection.minUptime = 0;
  room.reconnection.maxRetries = 15;
  room.reconnection.minDelay = 100;
  room.reconnection.maxDelay = 5000;
  room.reconnection.backoff = (attempt, delay) => Math.floor(2 ** attempt * delay * (0.5 + Math.random() * 0.5));
}

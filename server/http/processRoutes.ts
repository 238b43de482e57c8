import { matchMaker } from "@colyseus/core";
import type express from "express";
import { GAME_ROOM_NAMES } from "../../shared/largeMode.ts";
import { listingOf } from "../colyseusSeams.ts";
import type { ArenaMetrics } from "../metrics.ts";
import type { LocalRooms } from "../registry/localRooms.ts";
import type { RegistryStatus } from "../registry/monitor.ts";

/** What the process routes read. */
export interface ProcessRouteSources {
  /** This process's rooms. */
  rooms: LocalRooms;
  registry: RegistryStatus;
  /** False in the embedded single process (no `REDIS_URL`). */
  clustered: boolean;
  metrics: ArenaMetrics;
  /** True from the moment the process starts to drain (before Colyseus' own shutdown state is set). */
  draining: () => boolean;
}

/**
 * What a load balancer and Prometheus read about this process:
 *
 * - `GET /healthz`: this process's own rooms and clients, read from the rooms
 *   themselves (with Redis, `/metrics` has the totals of every process), and
 *   the registry's state: `"up"`, `"down"` (Redis away: this process's rooms
 *   play on, new joins are refused with 503) or `"embedded"`. Answers 200
 *   while the process serves, registry down or not: a load balancer must not
 *   pull a process whose matches are still being played. While it drains
 *   (SIGTERM) it answers 503, so a load balancer stops sending matchmaking
 *   requests here.
 * - `GET /metrics`: the Prometheus scrape, in the text exposition format
 *   (listed in docs/hosting.md).
 */
export function mountProcessRoutes(app: express.Application, { rooms, registry, clustered, metrics, draining: drainBegun }: ProcessRouteSources): void {
  app.get("/healthz", (_req, res) => {
    const draining = drainBegun() || matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN;
    const arenaRooms = rooms.live(GAME_ROOM_NAMES);
    res.status(draining ? 503 : 200).json({
      ok: !draining,
      draining,
      registry: !clustered ? "embedded" : registry.up ? "up" : "down",
      processId: matchMaker.processId,
      rooms: arenaRooms.length,
      // Seats as the room counts them for the registry: connected and reserved (held for a reconnect included).
      players: arenaRooms.reduce((sum, room) => sum + listingOf(room).clients, 0),
      uptimeSeconds: Math.round(process.uptime()),
    });
  });

  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

import { Counter, Gauge, type Registry } from "prom-client";
import type { DatagramService } from "./service.ts";

/**
 * The datagram channels in `/metrics`, read from the service when Prometheus
 * scrapes: `arena_datagram_channels` (peer connections made and not closed:
 * open, or offered and not reached yet) and, since the start,
 * `arena_datagram_channels_total{event}`: `offered`, `opened` (a client
 * reached its channel) and `closed` (either end, silence, the client gone).
 */
export function registerDatagramMetrics(registry: Registry, datagrams: DatagramService): void {
  new Gauge({
    name: "arena_datagram_channels", help: "WebRTC peer connections of this process's clients: open, or offered and not reached yet.", registers: [registry],
    collect() {
      this.set(datagrams.openChannels);
    },
  });
  const reported = { offered: 0, opened: 0, closed: 0 };
  new Counter({
    name: "arena_datagram_channels_total", help: "DataChannels offered to clients, opened (a client reached one), and closed.", labelNames: ["event"], registers: [registry],
    collect() {
      const counts = { offered: datagrams.counts.offered, opened: datagrams.counts.proven, closed: datagrams.counts.closed };
      for (const event of ["offered", "opened", "closed"] as const) {
        this.inc({ event }, counts[event] - reported[event]);
        reported[event] = counts[event];
      }
    },
  });
}

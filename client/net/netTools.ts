import { DatagramLoss } from "./datagramLoss.ts";
import type { DatagramLink } from "./datagrams.ts";
import { attachNetworkSimulator, type NetworkSimulator } from "./netsim.ts";
import type { NetworkProfile } from "./networkProfile.ts";
import { NetStats, type SessionGauges, type WatchedRoom } from "./netstats.ts";

/** A session's net graph counters, and its simulated network when the page asked for one. */
export interface NetTools {
  counters: NetStats;
  simulator: NetworkSimulator | undefined;
}

/**
 * Stacks a session's taps in the order that makes each see what it should:
 * the datagram link at the bottom (already installed by the caller), then the
 * counters and the datagrams' loss, then the network simulator on top, so the
 * counters see frames as the game does, after the simulated delay and loss.
 * `gauges` are the session's own; the transport, the loss and the simulator
 * are added here.
 */
export function attachNetTools(room: WatchedRoom, gauges: SessionGauges, datagrams: DatagramLink | undefined, network?: NetworkProfile): NetTools {
  const loss = datagrams && new DatagramLoss(room.connection);
  const tools: NetTools = { counters: undefined!, simulator: undefined };
  tools.counters = new NetStats(room, {
    ...gauges,
    simulator: () => tools.simulator,
    transport: () => datagrams?.transport ?? "websocket",
    datagramLossPercent: () => loss?.percent,
  });
  tools.simulator = network && attachNetworkSimulator(room, network, undefined, { datagramOpen: () => datagrams?.carrying ?? false });
  return tools;
}

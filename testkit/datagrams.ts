/**
 * Datagrams for clients in Node (bots, netcheck, loadtest, bench, tests):
 * node-datachannel's RTCPeerConnection polyfill runs the same client code as
 * the browser's (client/net/datagrams.ts).
 */
import nodeDataChannel from "node-datachannel";
import { RTCPeerConnection } from "node-datachannel/polyfill";
import type { DatagramChoice, PeerConnectionClass } from "../client/net/datagrams.ts";
import { DATAGRAM_SCTP } from "../server/datagrams/endpoint.ts";

// The bots' SCTP acknowledges as a browser's does (and as the server's): within the next datagram.
nodeDataChannel.setSctpSettings(DATAGRAM_SCTP);

/** Play with a DataChannel, made by node-datachannel. */
export const NODE_DATAGRAMS: DatagramChoice = { peerConnection: RTCPeerConnection as unknown as PeerConnectionClass };

/** How a run's clients carry their unreliable frames: all on datagrams, all on the WebSocket, or every other one. */
export type TransportMix = "datagrams" | "websocket" | "mixed";

/** The names `TransportMix` takes on a command line (`--transport`). */
export const TRANSPORT_MIXES: readonly TransportMix[] = ["datagrams", "websocket", "mixed"];

/** The choice for the `index`th client of a run under `mix` ("mixed": even ones on datagrams). */
export function datagramsFor(mix: TransportMix, index: number): DatagramChoice {
  if (mix === "datagrams" || (mix === "mixed" && index % 2 === 0)) return NODE_DATAGRAMS;
  return "websocket";
}

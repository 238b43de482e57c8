import { RTCPeerConnection } from "node-datachannel/polyfill";
import { DatagramChannel, type PeerConnectionClass } from "../../client/net/datagramChannel.ts";
import { DatagramMessage, type CandidatesMessage, type SessionDescriptionMessage } from "../../shared/datagrams.ts";
import { nextMessage, type ArenaClientRoom } from "./server.ts";

/** How long a channel on loopback may take to open: a ceiling, not a measure. */
export const OPEN_DEADLINE_MS = 15_000;

/** node-datachannel's RTCPeerConnection, as the browser's client code takes one. */
export const NodePeer = RTCPeerConnection as unknown as PeerConnectionClass;

/** A channel signalled by hand over `room` (no link, no fallback): for sending datagrams no honest client sends. */
export async function handSignalledChannel(room: ArenaClientRoom, peer: PeerConnectionClass = NodePeer): Promise<DatagramChannel> {
  let proven!: () => void;
  const reached = new Promise<void>((resolve) => (proven = resolve));
  const channel = new DatagramChannel(peer, { proven: () => proven(), received: () => {}, ended: () => {} });
  const offer = nextMessage<SessionDescriptionMessage>(room, DatagramMessage.offer, OPEN_DEADLINE_MS);
  const candidates = nextMessage<CandidatesMessage>(room, DatagramMessage.candidates, OPEN_DEADLINE_MS);
  room.send(DatagramMessage.open);
  room.send(DatagramMessage.answer, { sdp: await channel.answer((await offer).sdp) });
  const { candidates: addresses, mid } = await candidates;
  await channel.addCandidates(addresses, mid);
  await reached;
  return channel;
}

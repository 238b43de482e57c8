import { describe, expect, it } from "vitest";
import { DatagramMessage, type CandidatesMessage, type SessionDescriptionMessage } from "../../shared/datagrams.ts";
import { handSignalledChannel, NodePeer } from "../helpers/datagramPeers.ts";
import { useTestServer, waitFor } from "../helpers/server.ts";

/**
 * A DataChannel belongs to the session that signalled it. A file of its own
 * (the rest of datagrams.test.ts goes on beside it): the intruder's ICE takes
 * about 30 s to give up, and nothing sooner proves that it never will get in.
 */
describe("datagrams: a leaked offer (server/datagrams/)", () => {
  const server = useTestServer();

  it("a peer that answers another session's offer, even a leaked one, never gets a channel", async () => {
    const victim = await server().connect("Victim");
    victim.onMessage("*", () => {});
    let offerSdp = "";
    let leaked: CandidatesMessage = { candidates: [], mid: "" };
    victim.onMessage(DatagramMessage.offer, (offer: SessionDescriptionMessage) => (offerSdp = offer.sdp));
    victim.onMessage(DatagramMessage.candidates, (candidates: CandidatesMessage) => (leaked = candidates));
    const channel = await handSignalledChannel(victim);
    // The offer and the candidates leak; an intruder answers the offer itself, with its own DTLS certificate, and tries every address.
    const intruder = new NodePeer({ iceServers: [] });
    let intruderOpened = false;
    intruder.ondatachannel = (event) => (event.channel.onopen = () => (intruderOpened = true));
    await intruder.setRemoteDescription({ type: "offer", sdp: offerSdp });
    await intruder.setLocalDescription(await intruder.createAnswer());
    for (const candidate of leaked.candidates) await intruder.addIceCandidate({ candidate, sdpMid: leaked.mid });
    // The server answers none of its checks (their credentials are not the answer's), so its ICE gives up (about 30 s).
    await waitFor(() => intruder.connectionState === "failed" || intruder.connectionState === "closed", {
      timeoutMs: 100_000, message: () => `the intruder's connection to give up (it is ${intruder.connectionState})`,
    });
    expect(intruderOpened).toBe(false);
    // The victim's channel never noticed.
    expect(channel.proven).toBe(true);
    intruder.close();
    channel.close();
    await victim.leave(true);
  }, 120_000);
});

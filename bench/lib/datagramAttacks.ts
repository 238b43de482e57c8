/**
 * The hostile run's attacks on the datagram channel, each with the answer
 * docs/security.md ("Datagrams") gives it. An attacker takes a seat from a
 * loopback address of its own and signals a DataChannel by hand over its raw
 * socket, as a client that ignores Arena's client code would (node-datachannel
 * on its end, as the bots have), then abuses the channel or its signalling;
 * one more sends made-up UDP packets straight at the server's port.
 */
import { getMessageBytes, Protocol } from "@colyseus/core";
import { createSocket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { RTCPeerConnection } from "node-datachannel/polyfill";
import { DatagramChannel, type PeerConnectionClass } from "../../client/net/datagramChannel.ts";
import { DatagramMessage, MAX_ANSWER_SDP_LENGTH, MIN_REOPEN_INTERVAL_MS, type CandidatesMessage, type SessionDescriptionMessage } from "../../shared/datagrams.ts";
import { KickCode, ServerMessage, protocolCode } from "../../shared/protocol.ts";
import type { RawGameSocket, RawOptions } from "../../testkit/rawClient.ts";
import { inRoom, paced, type Attack, type AttackOutcome, type AttackTarget } from "./attacks.ts";

const NodePeer = RTCPeerConnection as unknown as PeerConnectionClass;
/** Signalling and the channel's opening, on a machine busy with the attack itself. */
const OPEN_DEADLINE_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A channel signalled by hand over `raw`; undefined when the server offered none in time or it did not open. */
async function handSignalled(raw: RawGameSocket): Promise<DatagramChannel | undefined> {
  let proven!: () => void;
  const reached = new Promise<void>((resolve) => (proven = resolve));
  const channel = new DatagramChannel(NodePeer, { proven: () => proven(), received: () => {}, ended: () => {} });
  const offer = raw.nextMessage<SessionDescriptionMessage>(DatagramMessage.offer, OPEN_DEADLINE_MS);
  const candidates = raw.nextMessage<CandidatesMessage>(DatagramMessage.candidates, OPEN_DEADLINE_MS);
  raw.sendMessage(DatagramMessage.open);
  const offered = await offer;
  if (!offered) return abandon(channel);
  raw.sendMessage(DatagramMessage.answer, { sdp: await channel.answer(offered.sdp) });
  const addresses = await candidates;
  if (!addresses) return abandon(channel);
  await channel.addCandidates(addresses.candidates, addresses.mid);
  const opened = await Promise.race([reached.then(() => true), sleep(OPEN_DEADLINE_MS).then(() => false)]);
  return opened ? channel : abandon(channel);
}

function abandon(channel: DatagramChannel): undefined {
  channel.close();
  return undefined;
}

/** Opens a channel on a seat, then sends `frames` on it; the outcome is how the server closed the socket. */
function overChannel(target: AttackTarget, from: RawOptions, expected: number, frames: () => Uint8Array[], spacingMs: number): Promise<AttackOutcome> {
  let channel: DatagramChannel | undefined;
  let opened = true;
  return inRoom(target, from, expected, async (raw) => {
    channel = await handSignalled(raw);
    if (!channel) {
      opened = false;
      return;
    }
    const open = channel;
    await paced(raw, frames(), spacingMs, (frame) => open.send(frame));
  }).then((outcome) => {
    channel?.close();
    return opened ? outcome : { documented: false, disconnected: outcome.disconnected, detail: "no channel opened" };
  });
}

/** Chat messages and random bytes: frames that are not unreliable inputs (nor keepalives). */
function notInputs(): Uint8Array[] {
  const chat = getMessageBytes.raw(Protocol.ROOM_DATA, "chat", { text: "by datagram" });
  return Array.from({ length: 40 }, (_, i) => {
    if (i % 2 === 0) return chat;
    const frame = randomBytes(2 + (i % 60));
    if (protocolCode(frame[0]!) === Protocol.ROOM_INPUT_UNRELIABLE) frame[0] = Protocol.ROOM_DATA;
    return frame;
  });
}

/** How the signalling answers a client that asks for a channel far too often, then answers with junk. */
async function abusedSignalling(target: AttackTarget, from: RawOptions): Promise<AttackOutcome> {
  return inRoomOpen(target, from, async (raw) => {
    let offers = 0;
    const counting = async () => { while (await raw.nextMessage(DatagramMessage.offer, 1500)) offers++; };
    const counted = counting();
    const started = performance.now();
    // 20 a second for 2 s: within the frame rate, far above one channel a second.
    for (let i = 0; i < 40 && raw.closeCode === undefined; i++) {
      raw.sendMessage(DatagramMessage.open);
      await sleep(50);
    }
    const allowed = Math.floor((performance.now() - started) / MIN_REOPEN_INTERVAL_MS) + 1;
    await counted;
    // The last offer answered with junk, then with an answer longer than any browser's.
    const candidates = raw.nextMessage(DatagramMessage.candidates, 2000);
    const rejected = raw.nextMessage(ServerMessage.messageRejected, 2000);
    raw.sendMessage(DatagramMessage.answer, { sdp: "v=0\r\nnot an answer" });
    raw.sendMessage(DatagramMessage.answer, { sdp: "x".repeat(MAX_ANSWER_SDP_LENGTH + 1) });
    const [addresses, rejection] = await Promise.all([candidates, rejected]);
    const documented = offers >= 1 && offers <= allowed && addresses === undefined && rejection !== undefined;
    return { documented, detail: `${offers} offers for 40 asks (at most ${allowed}); candidates ${addresses ? "sent" : "withheld"}; long answer ${rejection ? "rejected" : "not rejected"}` };
  });
}

/** A seat whose socket must stay open through `abuse`: the answer is in what the server sent, not a kick. */
async function inRoomOpen(target: AttackTarget, from: RawOptions, abuse: (raw: RawGameSocket) => Promise<{ documented: boolean; detail: string }>): Promise<AttackOutcome> {
  let verdict = { documented: false, detail: "" };
  const outcome = await inRoom(target, from, Number.NaN, async (raw) => {
    verdict = await abuse(raw);
    if (raw.closeCode !== undefined) verdict = { documented: false, detail: `${verdict.detail}; closed with ${raw.closeCode}` };
    // Still seated: leave (a dropped socket would have its seat held for a reconnection), so the wait for a close code ends at once.
    else raw.send(Uint8Array.of(Protocol.LEAVE_ROOM));
  });
  return { documented: verdict.documented, disconnected: false, detail: verdict.detail || outcome.detail };
}

/**
 * Made-up UDP packets at the server's port, from an address that signalled
 * nothing: random bytes, STUN binding requests with credentials no peer
 * has, and DTLS-looking records. Dropped by the ICE and DTLS layers: nothing
 * answers.
 */
async function strayPackets(target: AttackTarget, from: RawOptions): Promise<AttackOutcome> {
  if (target.udpPort === undefined) return { documented: false, disconnected: false, detail: "the server announced no UDP port" };
  const socket = createSocket("udp4");
  let answers = 0;
  socket.on("message", () => answers++);
  socket.on("error", () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, from.from, resolve));
  for (let i = 0; i < 300; i++) {
    socket.send(strayPacket(i), target.udpPort, "127.0.0.1");
    if (i % 10 === 0) await sleep(5);
  }
  await sleep(1000);
  socket.close();
  return { documented: answers === 0, disconnected: true, detail: `${answers} answers to 300 packets` };
}

function strayPacket(i: number): Buffer {
  switch (i % 3) {
    case 0: return stunBindingRequest(`${randomBytes(4).toString("hex")}:${randomBytes(4).toString("hex")}`);
    // A DTLS handshake record's header (content type 22, version 1.2) over junk.
    case 1: return Buffer.concat([Buffer.from([22, 0xfe, 0xfd, 0, 0]), randomBytes(60)]);
    default: return randomBytes(1 + (i % 200));
  }
}

/** A STUN binding request (RFC 5389) with a USERNAME attribute: what an ICE check looks like, with credentials nobody gave out. */
function stunBindingRequest(username: string): Buffer {
  const name = Buffer.from(username, "utf8");
  const padded = Buffer.alloc(Math.ceil(name.length / 4) * 4);
  name.copy(padded);
  const attribute = Buffer.alloc(4);
  attribute.writeUInt16BE(0x0006, 0);
  attribute.writeUInt16BE(name.length, 2);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt16BE(4 + padded.length, 2);
  header.writeUInt32BE(0x2112a442, 4);
  randomBytes(12).copy(header, 8);
  return Buffer.concat([header, attribute, padded]);
}

export const DATAGRAM_ATTACKS: readonly Attack[] = [
  {
    name: "datagrams: not inputs",
    run: (target, from) => overChannel(target, from, KickCode.invalidMessages, notInputs, 5),
  },
  {
    name: "datagrams: 1,000/s",
    run: (target, from) => overChannel(target, from, KickCode.messageFlood, () => Array.from({ length: 1000 }, () => Uint8Array.of(Protocol.ROOM_INPUT_UNRELIABLE)), 1),
  },
  { name: "datagrams: signalling abuse", run: abusedSignalling },
  { name: "datagrams: stray UDP", run: strayPackets },
];

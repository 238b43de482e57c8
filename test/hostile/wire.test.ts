import { Protocol } from "@colyseus/core";
import { afterEach, describe, expect, it } from "vitest";
import { KickCode, protocolCode, ServerMessage, type MessageRejection } from "../../shared/protocol.ts";
import { mulberry32 } from "../../shared/rng.ts";
import { RawGameSocket, guestToken, malformedFrames, matchmake, wrongTypeFrames, type SeatReservation } from "../../testkit/rawClient.ts";
import { collectMessages, inputOf, useTestServer, waitFor, waitForTicks, type TestServer } from "../helpers/server.ts";
import { honestPlayer, type HonestPlayer } from "./honest.ts";

/** Hostile clients come from their own loopback address, as another machine would. */
const OFFENDER = { from: "127.0.0.2" };

/** A raw socket seated in the honest player's room. */
async function seatOffender(server: TestServer, roomId: string): Promise<RawGameSocket> {
  const token = await guestToken(server.url, "Offender", OFFENDER);
  const answer = await matchmake(server.url, token, "joinById", roomId, { name: "Offender" }, OFFENDER);
  expect(answer.status).toBe(200);
  return RawGameSocket.join(server.url, JSON.parse(answer.body) as SeatReservation, OFFENDER);
}

/** Sends `frames` one per `spacingMs` (0: all at once) until sent or the socket closes. */
async function sendAll(raw: RawGameSocket, frames: Iterable<Uint8Array>, spacingMs = 0): Promise<void> {
  for (const frame of frames) {
    if (raw.closeCode !== undefined) return;
    raw.send(frame);
    if (spacingMs > 0) await new Promise((resolve) => setTimeout(resolve, spacingMs));
  }
}

function expectHealthy(server: TestServer, roomId: string, players: number): Promise<void> {
  return waitFor(() => server.serverRoom(roomId).state.players.size === players, {
    message: () => `${players} players in the room (has ${server.serverRoom(roomId).state.players.size})`,
  });
}

describe("hostile frames in a room", () => {
  const server = useTestServer();
  let honest: HonestPlayer | undefined;
  afterEach(() => honest?.stop());

  async function attack(frames: Iterable<Uint8Array>, spacingMs = 0): Promise<RawGameSocket> {
    honest = await honestPlayer(server());
    const offender = await seatOffender(server(), honest.room.roomId);
    expect(server().serverRoom(honest.room.roomId).state.players.size).toBe(2);
    await sendAll(offender, frames, spacingMs);
    await waitFor(() => offender.closeCode !== undefined, { timeoutMs: 5000, message: "the offender to be closed" });
    // The offender's seat is gone at once (no seat held for a reconnect), the honest player still plays.
    await expectHealthy(server(), honest.room.roomId, 1);
    await honest.expectStillPlaying();
    expect((await fetch(`${server().url}/healthz`)).status).toBe(200);
    return offender;
  }

  it("random bytes: the sender is closed with 4400 (invalid messages)", async () => {
    const random = mulberry32(7);
    const frames = Array.from({ length: 300 }, () => {
      const frame = Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      // LEAVE_ROOM would be a polite goodbye, not an attack: keep the stream hostile.
      if (protocolCode(frame[0]) === Protocol.LEAVE_ROOM) frame[0] = 0;
      return frame;
    });
    const offender = await attack(frames, 2);
    expect(offender.closeCode).toBe(KickCode.invalidMessages);
  });

  it("truncated and malformed Colyseus frames: closed with 4400", async () => {
    const offender = await attack(Array.from({ length: 3 }, malformedFrames).flat(), 5);
    expect(offender.closeCode).toBe(KickCode.invalidMessages);
  });

  it("valid framing with wrong types and unknown message types: each answered with messageRejected, then 4400", async () => {
    honest = await honestPlayer(server());
    const offender = await seatOffender(server(), honest.room.roomId);
    const rejections: MessageRejection[] = [];
    offender.socket.on("message", (data: Buffer) => {
      if (data[0] !== Protocol.ROOM_DATA || !data.includes(Buffer.from(ServerMessage.messageRejected))) return;
      rejections.push({ type: "", reason: data.toString("latin1") });
    });
    const { maxInvalidMessages } = server().config.security;
    const wrong = wrongTypeFrames();
    await sendAll(offender, Array.from({ length: maxInvalidMessages + 1 }, (_, i) => wrong[i % wrong.length]), 80);
    expect(await offender.closed).toBe(KickCode.invalidMessages);
    expect(rejections.length).toBe(maxInvalidMessages);
    await expectHealthy(server(), honest.room.roomId, 1);
    await honest.expectStillPlaying();
  });

  it("the same through the SDK: every rejection names the type and the problem, and the sender stays until the limit", async () => {
    honest = await honestPlayer(server());
    const rejected = collectMessages<MessageRejection>(honest.room, ServerMessage.messageRejected);
    const send = honest.room.send.bind(honest.room) as (type: string, payload?: unknown) => void;
    send("chat", { text: 42 });
    send("chat", { text: "hi", extra: true });
    send("takeSeat", { please: true });
    send("promote", { to: "admin" });
    await waitFor(() => rejected.length === 4, { message: "four rejections" });
    expect(rejected.map((rejection) => rejection.type)).toEqual(["chat", "chat", "takeSeat", "promote"]);
    expect(rejected[0].reason).toMatch(/Invalid "chat" message/);
    expect(rejected[3].reason).toMatch(/Unknown message type "promote"/);
    await honest.expectStillPlaying();
  });

  it("inputs out of range are clamped, not trusted: no one moves faster than the rules allow", async () => {
    honest = await honestPlayer(server());
    const cheater = await server().connect("Cheater");
    const handle = inputOf(cheater);
    const serverPlayer = () => server().serverRoom(cheater.roomId).state.players.get(cheater.sessionId)!;
    const start = { x: serverPlayer().x, y: serverPlayer().y };
    for (let i = 0; i < server().config.tickHz; i++) {
      Object.assign(handle.data, { moveX: 1e30, moveY: i % 2 === 0 ? Number.NaN : -1e30, aim: Number.POSITIVE_INFINITY, fire: true });
      handle.send();
      await waitForTicks(server(), cheater.roomId, 1);
    }
    const player = serverPlayer();
    expect(Number.isFinite(player.x) && Number.isFinite(player.y) && Number.isFinite(player.aim)).toBe(true);
    expect(Math.abs(player.aim)).toBeLessThanOrEqual(Math.PI);
    // One second of the fastest legal movement covers less than 400 u (PLAYER_MAX_SPEED with room to spare).
    expect(Math.hypot(player.x - start.x, player.y - start.y)).toBeLessThan(400);
  });

  it("a 1 MB frame: the socket is closed with 1009 before the frame is read", async () => {
    const offender = await attack([new Uint8Array(1024 * 1024).fill(Protocol.ROOM_DATA)]);
    expect(offender.closeCode).toBe(1009);
  });

  it("1,000 messages per second: closed with 4429 (message flood)", async () => {
    // Pings: the cheapest frame there is, and one any client may send.
    const offender = await attack(Array.from({ length: 1000 }, () => Uint8Array.of(Protocol.PING)), 1);
    expect(offender.closeCode).toBe(KickCode.messageFlood);
  });
});

/**
 * The attacks of the hostile-load run (`npm run hostile`), each with the
 * outcome the README documents for it. An attack comes from a loopback address
 * of its own (127.0.x.y), as a botnet's machines would, so the per-address
 * limits meet it and not the honest players on 127.0.0.1.
 */
import { Protocol } from "@colyseus/core";
import jwt from "jsonwebtoken";
import { AUTH_FAILED, KickCode, protocolCode } from "../../shared/protocol.ts";
import { mulberry32 } from "../../shared/rng.ts";
import {
  RawGameSocket, gameSocketUrl, guestToken, matchmake, malformedFrames, openTcp, post, wrongTypeFrames, socketEnded, type RawOptions, type SeatReservation,
} from "../../testkit/rawClient.ts";

export interface AttackTarget {
  url: string;
  /** The server's AUTH_SECRET: the expired-token attack signs a token that is genuine but old. */
  authSecret: string;
  maxConnectionsPerIp: number;
  joinsPerMinutePerIp: number;
  /** The server's UDP port for datagrams, when it has one. */
  udpPort?: number;
}

export interface AttackOutcome {
  /** The server answered as documented. */
  documented: boolean;
  /** The server closed the offender's game connection (kicks) or turned the request away. */
  disconnected: boolean;
  detail: string;
}

export interface Attack {
  name: string;
  run(target: AttackTarget, from: RawOptions): Promise<AttackOutcome>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A seat by quick play, then the frames, then how the server closed the socket. */
export async function inRoom(target: AttackTarget, from: RawOptions, expected: number, frames: (raw: RawGameSocket) => Promise<void>): Promise<AttackOutcome> {
  const token = await guestToken(target.url, "Hostile", from);
  const seat = await matchmake(target.url, token, "joinOrCreate", "arena", { name: "Hostile" }, from);
  if (seat.status !== 200) return { documented: false, disconnected: false, detail: `no seat: ${seat.status} ${seat.body}` };
  const raw = await RawGameSocket.join(target.url, JSON.parse(seat.body) as SeatReservation, from);
  await frames(raw);
  const code = await Promise.race([raw.closed, sleep(5000).then(() => undefined)]);
  raw.close();
  return { documented: code === expected, disconnected: code !== undefined, detail: `closed with ${code ?? "nothing (still open)"}` };
}

/** Sends `frames` `spacingMs` apart (on the socket, or through `send`) until the server closes the socket. */
export async function paced(raw: RawGameSocket, frames: Iterable<Uint8Array>, spacingMs: number, send = (frame: Uint8Array) => raw.send(frame)): Promise<void> {
  for (const frame of frames) {
    if (raw.closeCode !== undefined) return;
    send(frame);
    if (spacingMs > 0) await sleep(spacingMs);
  }
}

/** Refused at matchmaking with AUTH_FAILED. */
async function refusedJoin(target: AttackTarget, from: RawOptions, token: string | undefined): Promise<AttackOutcome> {
  const answer = await matchmake(target.url, token, "joinOrCreate", "arena", {}, from);
  const code = answer.status === 200 ? undefined : (JSON.parse(answer.body) as { code?: number }).code;
  return { documented: code === AUTH_FAILED, disconnected: answer.status !== 200, detail: `HTTP ${answer.status}, code ${code}` };
}

export const ATTACKS: readonly Attack[] = [
  {
    name: "random bytes",
    run: (target, from) => inRoom(target, from, KickCode.invalidMessages, (raw) => {
      const random = mulberry32(Math.floor(Math.random() * 2 ** 32));
      const frames = Array.from({ length: 300 }, () => {
        const frame = Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
        if (protocolCode(frame[0]) === Protocol.LEAVE_ROOM) frame[0] = 0;
        return frame;
      });
      return paced(raw, frames, 2);
    }),
  },
  {
    name: "malformed frames",
    run: (target, from) => inRoom(target, from, KickCode.invalidMessages, (raw) => paced(raw, Array.from({ length: 3 }, malformedFrames).flat(), 5)),
  },
  {
    name: "wrong types",
    run: (target, from) => inRoom(target, from, KickCode.invalidMessages, (raw) => paced(raw, Array.from({ length: 4 }, wrongTypeFrames).flat(), 20)),
  },
  {
    name: "1 MB frame",
    run: (target, from) => inRoom(target, from, 1009, async (raw) => raw.send(new Uint8Array(1024 * 1024).fill(Protocol.ROOM_DATA))),
  },
  {
    name: "1,000 messages/s",
    run: (target, from) => inRoom(target, from, KickCode.messageFlood, (raw) => paced(raw, Array.from({ length: 1000 }, () => Uint8Array.of(Protocol.PING)), 1)),
  },
  {
    name: "join flood",
    async run(target, from) {
      const statuses: number[] = [];
      const started = performance.now();
      for (let i = 0; i < target.joinsPerMinutePerIp + 10; i++) statuses.push((await post(target.url, "/auth/guest", { name: "Flood" }, {}, from)).status);
      const refused = statuses.filter((status) => status === 429).length;
      // The bucket refills one join every 60/limit seconds while the flood goes on.
      const refilled = Math.ceil(((performance.now() - started) / 60_000) * target.joinsPerMinutePerIp);
      const passed = statuses.length - refused;
      return {
        documented: refused > 0 && passed <= target.joinsPerMinutePerIp + refilled,
        disconnected: refused > 0,
        detail: `${refused} of ${statuses.length} answered 429 (${passed} passed, limit ${target.joinsPerMinutePerIp} + ${refilled} refilled)`,
      };
    },
  },
  {
    name: "slowloris handshake",
    async run(target, from) {
      const socket = await openTcp(target.url, from);
      const ended = socketEnded(socket);
      const request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Padding: ";
      let sent = 0;
      const drip = setInterval(() => { if (!socket.destroyed) socket.write(request[sent++ % request.length]); }, 200);
      const answer = await ended;
      clearInterval(drip);
      return { documented: answer.startsWith("HTTP/1.1 408"), disconnected: true, detail: answer.split("\r\n")[0] || "closed without an answer" };
    },
  },
  {
    name: "connection flood",
    async run(target, from) {
      const sockets = await Promise.all(Array.from({ length: target.maxConnectionsPerIp + 5 }, () => openTcp(target.url, from).catch(() => undefined)));
      const answers = await Promise.all(sockets.map((socket) => socket
        ? Promise.race([socketEnded(socket), sleep(3000).then(() => "")])
        : Promise.resolve("refused")));
      for (const socket of sockets) socket?.destroy();
      const refused = answers.filter((answer) => answer.startsWith("HTTP/1.1 429")).length;
      return { documented: refused === 5, disconnected: refused > 0, detail: `${refused} of ${sockets.length} answered 429` };
    },
  },
  { name: "no token", run: (target, from) => refusedJoin(target, from, undefined) },
  {
    name: "forged token",
    run: (target, from) => refusedJoin(target, from, jwt.sign({ name: "Admin" }, "guessed-secret-guessed-secret-000000", { issuer: "arena", subject: "x", expiresIn: 60 })),
  },
  {
    name: "expired token",
    run: (target, from) => refusedJoin(target, from, jwt.sign({ name: "Late", exp: Math.floor(Date.now() / 1000) - 60 }, target.authSecret, { issuer: "arena", subject: "x" })),
  },
  {
    name: "wrong origin",
    async run(target, from) {
      const evil = { ...from, origin: "http://evil.example" };
      const api = await post(target.url, "/auth/guest", {}, {}, evil);
      const socket = RawGameSocket.open(gameSocketUrl(target.url, { name: "arena", sessionId: "x", roomId: "x", processId: "x" }), evil);
      const upgrade = await new Promise<number>((resolve) => {
        socket.socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        socket.socket.once("open", () => resolve(101));
        void socket.closed.then(() => resolve(0));
      });
      socket.close();
      return { documented: api.status === 403 && upgrade === 403, disconnected: true, detail: `API ${api.status}, upgrade ${upgrade}` };
    },
  },
];

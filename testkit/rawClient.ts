/**
 * Clients that speak the wire directly, for hostile-input tests and the
 * hostile-load run: raw HTTP for tokens and seats, raw WebSockets for the room
 * protocol (no SDK in between to tidy up what they send). Each can come from
 * its own loopback address (127.0.0.2, …), as separate machines would, so
 * per-address limits hit the offender and not the honest clients on 127.0.0.1.
 */
import { getMessageBytes, Protocol } from "@colyseus/core";
import { unpackMultiple } from "msgpackr";
import { Agent, request } from "node:http";
import { connect as connectTcp, type Socket } from "node:net";
import { WebSocket, type RawData } from "ws";
import { protocolCode } from "../shared/protocol.ts";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawOptions {
  /** Local address to connect from (default 127.0.0.1). */
  from?: string;
  /** An `Origin` header, as a browser page would send. */
  origin?: string;
}

/** A JSON POST over a fresh connection (no keep-alive: each request is its own TCP connection). */
export function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}, options: RawOptions = {}): Promise<HttpAnswer> {
  const target = new URL(path, url);
  const payload = body === undefined ? "" : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: "POST",
      localAddress: options.from,
      agent: new Agent({ keepAlive: false }),
      headers: {
        "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers,
        ...(options.origin ? { origin: options.origin } : {}),
      },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => { text += chunk; }).on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** A guest token from `POST /auth/guest`. */
export async function guestToken(url: string, name = "Raw", options: RawOptions = {}): Promise<string> {
  const answer = await post(url, "/auth/guest", { name }, {}, options);
  if (answer.status !== 200) throw new Error(`no token: ${answer.status} ${answer.body}`);
  return (JSON.parse(answer.body) as { token: string }).token;
}

export interface SeatReservation {
  name: string;
  sessionId: string;
  roomId: string;
  processId: string;
  reconnectionToken?: string;
}

/** A seat through raw matchmaking (`POST /matchmake/<method>/arena`); the answer as it came. */
export function matchmake(url: string, token: string | undefined, method: string, target: string, options: Record<string, unknown> = {}, raw: RawOptions = {}): Promise<HttpAnswer> {
  return post(url, `/matchmake/${method}/${target}`, options, token === undefined ? {} : { authorization: `Bearer ${token}` }, raw);
}

/**
 * A raw game socket in a room: connects with a seat reservation, answers the
 * join handshake, then sends whatever the test wants. Records the close code
 * and counts the frames it receives by protocol code.
 */
export class RawGameSocket {
  readonly socket: WebSocket;
  readonly received = new Map<number, number>();
  closeCode: number | undefined;
  closeReason = "";
  /** Set once the server's JOIN_ROOM arrived and was answered. */
  joined = false;
  readonly closed: Promise<number>;
  /** Room messages (`ROOM_DATA`) received, by type, each payload as it decoded. */
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  private constructor(socket: WebSocket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => {
      socket.on("close", (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
      });
    });
    socket.on("error", () => undefined);
    socket.on("message", (data: RawData) => {
      const bytes = data as Buffer;
      const code = protocolCode(bytes[0]);
      this.received.set(code, (this.received.get(code) ?? 0) + 1);
      if (code === Protocol.JOIN_ROOM && !this.joined) {
        this.joined = true;
        socket.send(Uint8Array.of(Protocol.JOIN_ROOM));
      }
      if (code === Protocol.ROOM_DATA) this.deliver(bytes);
    });
  }

  /** Opens the socket for `seat` and resolves once joined (or rejects if the server closes first). */
  static async join(url: string, seat: SeatReservation, options: RawOptions = {}): Promise<RawGameSocket> {
    const raw = RawGameSocket.open(gameSocketUrl(url, seat), options);
    await Promise.race([
      new Promise<void>((resolve) => {
        const check = () => (raw.joined ? resolve() : setTimeout(check, 2));
        check();
      }),
      raw.closed.then((code) => { throw new Error(`closed with ${code} before joining`); }),
    ]);
    return raw;
  }

  /** Opens a socket to any path (no handshake expected). */
  static open(socketUrl: string, options: RawOptions = {}): RawGameSocket {
    return new RawGameSocket(new WebSocket(socketUrl, {
      localAddress: options.from,
      headers: options.origin ? { origin: options.origin } : {},
      maxPayload: 16 * 1024 * 1024,
    }));
  }

  send(frame: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  count(code: number): number {
    return this.received.get(code) ?? 0;
  }

  /** Sends a room message as the SDK's `room.send(type, payload)` would. */
  sendMessage(type: string, payload?: unknown): void {
    this.send(getMessageBytes.raw(Protocol.ROOM_DATA, type, payload));
  }

  /** The next room message of `type`, or undefined after `timeoutMs` (or once the socket closes). */
  nextMessage<T>(type: string, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const waiting = this.listeners.get(type) ?? new Set();
      this.listeners.set(type, waiting);
      const done = (payload: T | undefined) => {
        clearTimeout(timer);
        waiting.delete(listener);
        resolve(payload);
      };
      const listener = (payload: unknown) => done(payload as T);
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiting.add(listener);
      void this.closed.then(() => done(undefined));
    });
  }

  private deliver(frame: Buffer): void {
    try {
      const [type, payload] = unpackMultiple(frame.subarray(1)) as [unknown, unknown];
      if (typeof type === "string") for (const listener of [...(this.listeners.get(type) ?? [])]) listener(payload);
    } catch {
      // Not a message this client listens for.
    }
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Where the SDK would connect for `seat`: `ws://host/<processId>/<roomId>?sessionId=…`. */
export function gameSocketUrl(url: string, seat: SeatReservation): string {
  const base = new URL(url);
  base.protocol = base.protocol === "https:" ? "wss:" : "ws:";
  return `${base.origin}/${seat.processId}/${seat.roomId}?sessionId=${seat.sessionId}`;
}

/** A ROOM_DATA frame: code, the type as a msgpack string, then the msgpack payload bytes as given. */
function roomDataFrame(type: string, payload: Uint8Array = new Uint8Array()): Uint8Array {
  const name = Buffer.from(type, "utf8");
  if (name.length > 31) throw new Error("roomDataFrame: types up to 31 bytes (msgpack fixstr)");
  return Uint8Array.from([Protocol.ROOM_DATA, 0xa0 | name.length, ...name, ...payload]);
}

/** A plain TCP connection to the server (for handshake-level abuse). */
export function openTcp(url: string, options: RawOptions = {}): Promise<Socket> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: target.hostname, port: Number(target.port), localAddress: options.from }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves when `socket` is closed by the other side (or errors). */
export function socketEnded(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => { text += chunk; });
    socket.once("close", () => resolve(text));
  });
}

/**
 * Frames that break the Colyseus protocol: empty, truncated message frames,
 * input frames that do not decode, and protocol codes clients may not send.
 */
export function malformedFrames(): Uint8Array[] {
  return [[], [Protocol.ROOM_DATA], [Protocol.ROOM_DATA, 0xd9], [Protocol.ROOM_DATA, 0xa5, 0x63], [Protocol.ROOM_INPUT_RELIABLE],
    [Protocol.ROOM_INPUT_RELIABLE, 0xff, 0xff, 0xff], [17], [21], [21, 1], [0], [31, 1, 2], [Protocol.ROOM_STATE, 1, 2, 3]]
    .map((frame) => Uint8Array.from(frame));
}

/**
 * Well-framed messages the room must refuse (msgpack payloads): chat `{text: 5}`,
 * chat `{text: "hi", admin: true}`, takeSeat with a string, and a type nobody handles.
 */
export function wrongTypeFrames(): Uint8Array[] {
  return [
    roomDataFrame("chat", Uint8Array.from([0x81, 0xa4, ...Buffer.from("text"), 0x05])),
    roomDataFrame("chat", Uint8Array.from([0x82, 0xa4, ...Buffer.from("text"), 0xa2, 0x68, 0x69, 0xa5, ...Buffer.from("admin"), 0xc3])),
    roomDataFrame("takeSeat", Uint8Array.from([0xad, ...Buffer.from("just a string")])),
    roomDataFrame("setScore", Uint8Array.from([0xcd, 0x03, 0xe7])),
  ];
}

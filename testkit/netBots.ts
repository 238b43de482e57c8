/**
 * Headless players for the bandwidth benchmark: each one connects to a server
 * over a real WebSocket, keeps the latest state it received, and once per
 * tick sends the input the shared bot brain decides from it (so everyone moves
 * and aims all the time, and fires when it has a target). Four kinds, one per
 * server under test (the two on a bare socket in testkit/wsBots.ts):
 *   - `arena`: `@colyseus/sdk`, inputs through Arena's `room.input()` channel;
 *   - `plain-schema`: `@colyseus/sdk`, inputs as an `"input"` message (`room.send`);
 *   - `seeds`: a bare `ws` socket, JSON both ways;
 *   - `floor`: a bare `ws` socket that sends one binary frame of
 *     `floorInputBytes` per tick (no brain: the floor server has no game) and
 *     counts the frames it receives.
 * Every bot counts what crosses its socket two ways: message payloads (what
 * the game sends and receives, datagrams included when an Arena bot has a
 * DataChannel) and TCP bytes at the socket (payloads plus WebSocket framing;
 * excludes TCP/IP headers). Arena's bots send inputs as Arena's client does
 * (the redundant ring, `openInputs`).
 *
 * For the SDK kinds, testkit/sdkOverWs.ts must be imported before the SDK
 * (the socket counters need the `ws` socket under the SDK).
 */
import type { Socket } from "node:net";
import { Client, Protocol, type Room } from "@colyseus/sdk";
import { guestClient } from "../client/net/auth.ts";
import { frameBytes, frameCode } from "../client/net/frames.ts";
import { tapConnection, type TappableConnection } from "../client/net/sdkSeams.ts";
import { DatagramLink } from "../client/net/datagrams.ts";
import { openInputs } from "../client/net/prediction.ts";
import { protocolCode, ROOM_NAME, type ArenaView, type JoinOptions } from "../shared/protocol.ts";
import { ArenaSight } from "./arenaSight.ts";
import { Brain, keepSize, type JoinTarget, type NetBot, type NetBotOptions, type RoomChoice } from "./netBot.ts";
import { connectFloorBot, connectJsonBot } from "./wsBots.ts";
import { rawSocketOf } from "./sdkOverWs.ts";

export type { JoinTarget, NetBot, NetBotOptions, RoomChoice, Traffic } from "./netBot.ts";

/** The server a bot plays on: Arena, or one of the benchmark's baselines. */
export type ServerKind = "arena" | "seeds" | "plain-schema" | "floor";

/**
 * Every seat a network bot takes goes through here (quick play, a new room,
 * or a room by id; in the arena or, with `room`, another room type), so
 * whatever a join needs (a token, say) is added once.
 */
export async function joinArena(
  url: string, name: string, target: JoinTarget = { quickPlay: true }, kind: "arena" | "plain-schema" = "arena", room: RoomChoice = {},
): Promise<Room> {
  const client = await sdkClientFor(kind, url);
  const options: JoinOptions = room.view ? { name, view: room.view } : { name };
  const roomName = room.roomName ?? ROOM_NAME;
  if ("roomId" in target) return client.joinById(target.roomId, options);
  if ("create" in target) return client.create(roomName, options);
  return client.joinOrCreate(roomName, options);
}

/** Connects one bot of `kind`; resolves once it has a seat. */
export function connectBot(kind: ServerKind, options: NetBotOptions): Promise<NetBot> {
  if (kind === "floor") return connectFloorBot(options);
  return kind === "seeds" ? connectJsonBot(options) : connectSdkBot(kind, options);
}

async function connectSdkBot(kind: "arena" | "plain-schema", options: NetBotOptions): Promise<NetBot> {
  const room: Room = await joinArena(options.url, options.name, options.target, kind, options.room);
  room.onMessage("*", () => {});
  let lostCode: number | undefined;
  let leaving = false;
  let drops = 0;
  room.onDrop(() => drops++);
  const ended = new Promise<void>((resolve) => room.onLeave((code) => {
    if (!leaving) lostCode = code;
    resolve();
  }));
  // First: the counting tap above it then sees datagrams as the room does.
  const link = kind === "arena" && options.datagrams && options.datagrams !== "websocket"
    ? new DatagramLink(room, options.datagrams.peerConnection)
    : undefined;
  const counted = { receivedBytes: 0, sentBytes: 0, framesReceived: 0, statesReceived: 0 };
  const sizes: number[] = [];
  tapConnection(room.connection as unknown as TappableConnection, {
    incoming(event, forward) {
      const bytes = frameBytes(event.data);
      counted.receivedBytes += bytes;
      counted.framesReceived++;
      const code = frameCode(event.data);
      if (protocolCode(code) === Protocol.ROOM_STATE_PATCH && (code & UNRELIABLE) === 0) {
        counted.statesReceived++;
        keepSize(sizes, bytes);
      } else if (protocolCode(code) === Protocol.ROOM_STATE_PATCH && sizes.length > 0) {
        sizes[sizes.length - 1] += bytes;
      }
      forward(event);
    },
    outgoing(frame, forward) {
      counted.sentBytes += frameBytes(frame);
      forward(frame);
    },
  });
  const socket = rawSocketOf(room)._socket as unknown as Socket;
  const brain = new Brain(options);
  const handle = kind === "arena" ? openInputs(room) : undefined;
  const state = () => room.state as ArenaView | undefined;
  // Send times by sequence number (the handle counts from 1; 0: not sent, the connection is down),
  // acknowledged ones dropped as patches confirm them.
  const sentAt = new Map<number, number>();
  let echoes: number[] = [];
  let acknowledged = 0;
  if (handle) {
    room.onStateChange(() => {
      const now = performance.now();
      for (let seq = acknowledged + 1; seq <= handle.lastProcessed; seq++) {
        const at = sentAt.get(seq);
        if (at === undefined) continue;
        echoes.push(now - at);
        sentAt.delete(seq);
      }
      acknowledged = Math.max(acknowledged, handle.lastProcessed);
    });
    // A resumed connection numbers its inputs from 1 again: the old ones will never be acknowledged.
    room.onReconnect(() => {
      sentAt.clear();
      acknowledged = 0;
    });
  }
  const arenaSight = kind === "arena" ? new ArenaSight() : undefined;
  const sight = arenaSight && (() => arenaSight.see(state()!, room.clock.lastServerTime(), room.clock.serverNow()));
  return {
    id: room.sessionId,
    roomId: room.roomId,
    play(tick) {
      const input = brain.decide(room.sessionId, state(), tick, sight);
      if (handle) {
        Object.assign(handle.data, input);
        const seq = handle.send();
        if (seq > 0) sentAt.set(seq, performance.now());
      } else {
        room.send("input", input);
      }
    },
    traffic: () => ({ ...counted, socketRead: socket.bytesRead, socketWritten: socket.bytesWritten }),
    projectileCount: () => state()?.projectiles?.size ?? 0,
    stateSizes: () => sizes,
    takeEchoLatencies() {
      const taken = echoes;
      echoes = [];
      return taken;
    },
    transport: () => link?.transport ?? "websocket",
    lostWithCode: () => lostCode,
    drops: () => drops,
    async close() {
      leaving = true;
      // A leave sent while the connection is down is lost (the SDK writes it to the closed socket),
      // and the reconnection under way then gives the bot its seat back: it would never leave. So a
      // connection lost from now on ends the room, and one being resumed leaves once it is back.
      room.reconnection.enabled = false;
      link?.close();
      const leave = () => void room.leave(true).catch(() => undefined);
      if (room.connection.isOpen) leave();
      else room.onReconnect(leave);
      await ended;
    },
  };
}

/**
 * How long bots get to leave at the end of a run: a bot leaves within a round
 * trip, or within one reconnection when its connection was just lost.
 */
export const LEAVE_DEADLINE_MS = 15_000;

/**
 * Makes every bot leave, waiting at most `deadlineMs` for them all; resolves
 * with how many had not left by then (a server that stopped answering, say).
 * Whoever stops the run must still stop the server: that ends the rest.
 */
export async function leaveAll(bots: readonly NetBot[], deadlineMs = LEAVE_DEADLINE_MS): Promise<number> {
  let left = 0;
  let deadline: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(bots.map((bot) => bot.close().then(() => left++))),
    new Promise<void>((resolve) => (deadline = setTimeout(resolve, deadlineMs))),
  ]);
  clearTimeout(deadline);
  return bots.length - left;
}

/**
 * Calls `onTick(n)` `hz` times a second on a drift-free schedule, catching up
 * at most 4 missed ticks after a stall; returns the function that stops it.
 */
export function everyTick(hz: number, onTick: (tick: number) => void): () => void {
  const tickMs = 1000 / hz;
  const startedAt = performance.now();
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = () => {
    const due = Math.floor((performance.now() - startedAt) / tickMs);
    if (due - tick > 4) tick = due - 4;
    while (tick <= due) onTick(tick++);
    if (!stopped) timer = setTimeout(run, Math.max(0, startedAt + tick * tickMs - performance.now()));
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** The modifier bit of a state patch that rode Colyseus' unreliable channel (`ProtocolModifier.UNRELIABLE`). */
const UNRELIABLE = 0x40;

/** Arena wants a guest token; the plain-schema baseline has no auth and takes a bare client. */
function sdkClientFor(kind: "arena" | "plain-schema", url: string): Promise<Client> {
  return kind === "arena" ? guestClient(url) : Promise.resolve(new Client(url));
}

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
 * Every bot counts what crosses its socket two ways: WebSocket message payloads
 * (what the game sends and receives) and TCP bytes at the socket (payloads
 * plus WebSocket framing; excludes TCP/IP headers).
 *
 * For the SDK kinds, testkit/sdkOverWs.ts must be imported before the SDK
 * (the socket counters need the `ws` socket under the SDK).
 */
import type { Socket } from "node:net";
import { Client, Protocol, type Room } from "@colyseus/sdk";
import { guestClient } from "../client/net/auth.ts";
import { frameBytes, frameCode } from "../client/net/frames.ts";
import { tapConnection, type TappableConnection } from "../client/net/sdkSeams.ts";
import { botInput, botRandom, newBotMemory, type BotMemory, type SeenCollection, type SeenPlayer, type SeenProjectile } from "../shared/bot.ts";
import { IDLE_INPUT, protocolCode, ROOM_NAME, type ArenaView, type PlayerInput } from "../shared/protocol.ts";
import type { MatchRules } from "../shared/rules.ts";
import { ArenaSight } from "./arenaSight.ts";
import { connectFloorBot, connectJsonBot } from "./wsBots.ts";
import { rawSocketOf } from "./sdkOverWs.ts";

/** How many recent state-message sizes a bot keeps (see `NetBot.stateSizes`). */
const STATE_SIZES_KEPT = 600;

/** Records a state message's size, keeping the last STATE_SIZES_KEPT. */
export function keepSize(sizes: number[], bytes: number): void {
  if (sizes.length >= STATE_SIZES_KEPT) sizes.shift();
  sizes.push(bytes);
}

export type ServerKind = "arena" | "seeds" | "plain-schema" | "floor";

/** Byte and frame counts of one bot so far. */
export interface Traffic {
  /** WebSocket message payloads received / sent. */
  receivedBytes: number;
  sentBytes: number;
  /** TCP bytes read from / written to the socket (payloads plus WebSocket framing). */
  socketRead: number;
  socketWritten: number;
  /** Messages received (state patches, full states and any other message). */
  framesReceived: number;
  /** Of those, state messages (Colyseus patches; the seeds' full states). */
  statesReceived: number;
}

export interface NetBot {
  readonly id: string;
  /** The room it plays in. */
  readonly roomId: string;
  /** Decides this tick's input from the latest state and sends it. */
  play(tick: number): void;
  traffic(): Traffic;
  /** Projectiles in the latest state received. */
  projectileCount(): number;
  /** Sizes (payload bytes) of the last state messages received, up to STATE_SIZES_KEPT of them. */
  stateSizes(): readonly number[];
  /**
   * Arena only: input → own-echo latencies (ms) measured since the last call,
   * from sending an input to the state patch acknowledging it (the input
   * handle's `lastProcessed`). Empty for the other kinds.
   */
  takeEchoLatencies(): number[];
  /** The close code if the connection ended without this bot leaving, else undefined. */
  lostWithCode(): number | undefined;
  close(): Promise<void>;
}

export interface NetBotOptions {
  /** `http://host:port` */
  url: string;
  name: string;
  rules: MatchRules;
  /** Seeds the bots' randomness (`botRandom(seed, tick, id)`). */
  seed: number;
  /** Which room: quick play (the default), a new room, or a room by id. */
  target?: JoinTarget;
  /** `floor` only: the size of the input frame sent every tick, bytes (Arena's input frame in the benchmark; 16). */
  floorInputBytes?: number;
}

export type JoinTarget = { quickPlay: true } | { create: true } | { roomId: string };

/**
 * Every seat a network bot takes goes through here (quick play, a new room,
 * or a room by id), so whatever a join needs (a token, say) is added once.
 */
export async function joinArena(url: string, name: string, target: JoinTarget = { quickPlay: true }, kind: "arena" | "plain-schema" = "arena"): Promise<Room> {
  const client = await sdkClientFor(kind, url);
  if ("roomId" in target) return client.joinById(target.roomId, { name });
  if ("create" in target) return client.create(ROOM_NAME, { name });
  return client.joinOrCreate(ROOM_NAME, { name });
}

/** Connects one bot of `kind`; resolves once it has a seat. */
export function connectBot(kind: ServerKind, options: NetBotOptions): Promise<NetBot> {
  if (kind === "floor") return connectFloorBot(options);
  return kind === "seeds" ? connectJsonBot(options) : connectSdkBot(kind, options);
}

/** The bot brain over a decoded state: the input to send this tick, or the idle input before the own player appears. */
export class Brain {
  private readonly memory: BotMemory = newBotMemory();
  private readonly options: NetBotOptions;

  constructor(options: NetBotOptions) {
    this.options = options;
  }

  /** `sight` reads an Arena state the way an Arena client must (see ArenaSight); other states are read as they are. */
  decide(id: string, state: ArenaView | undefined, tick: number, sight?: () => ReturnType<ArenaSight["see"]>): PlayerInput {
    const self = state?.players?.get(id);
    if (!state || !self) return { ...IDLE_INPUT };
    const { players, projectiles } = sight?.() ?? {
      players: state.players as SeenCollection<SeenPlayer>,
      projectiles: state.projectiles as SeenCollection<SeenProjectile>,
    };
    return botInput({
      id, self: players.get(id)!, tick, phase: state.phase, rules: this.options.rules, players, projectiles,
    }, this.memory, botRandom(this.options.seed, tick, id));
  }
}

async function connectSdkBot(kind: "arena" | "plain-schema", options: NetBotOptions): Promise<NetBot> {
  const room: Room = await joinArena(options.url, options.name, options.target, kind);
  room.onMessage("*", () => {});
  let lostCode: number | undefined;
  let leaving = false;
  room.onLeave((code) => {
    if (!leaving) lostCode = code;
  });
  const counted = { receivedBytes: 0, sentBytes: 0, framesReceived: 0, statesReceived: 0 };
  const sizes: number[] = [];
  tapConnection(room.connection as unknown as TappableConnection, {
    incoming(event, forward) {
      const bytes = frameBytes(event.data);
      counted.receivedBytes += bytes;
      counted.framesReceived++;
      if (protocolCode(frameCode(event.data)) === Protocol.ROOM_STATE_PATCH) {
        counted.statesReceived++;
        keepSize(sizes, bytes);
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
  const handle = kind === "arena" ? room.input<PlayerInput>() : undefined;
  const state = () => room.state as ArenaView | undefined;
  // Send times by sequence number (the handle counts from 1), acknowledged ones dropped as patches confirm them.
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
        handle.send();
        sentAt.set(handle.sentCount, performance.now());
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
    lostWithCode: () => lostCode,
    async close() {
      leaving = true;
      await room.leave(true).catch(() => undefined);
    },
  };
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

/** Arena wants a guest token; the plain-schema baseline has no auth and takes a bare client. */
function sdkClientFor(kind: "arena" | "plain-schema", url: string): Promise<Client> {
  return kind === "arena" ? guestClient(url) : Promise.resolve(new Client(url));
}

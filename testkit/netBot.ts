/**
 * What every network bot shares, whatever server it plays on (testkit/netBots.ts
 * connects them): the `NetBot` interface, its options, the state sizes it keeps,
 * and the bot brain over a decoded state.
 */
import { botInput, botRandom, newBotMemory, type BotMemory, type SeenCollection, type SeenPlayer, type SeenProjectile } from "../shared/bot.ts";
import { IDLE_INPUT, type ArenaView, type PlayerInput } from "../shared/protocol.ts";
import type { MatchRules } from "../shared/rules.ts";
import type { ViewSize } from "../shared/largeMode.ts";
import { roomMap, roomMode, type RoomView } from "../client/net/roomMode.ts";
import type { ArenaSight } from "./arenaSight.ts";
import type { DatagramChoice, Transport } from "../client/net/datagrams.ts";

/** How many recent state-message sizes a bot keeps (see `NetBot.stateSizes`). */
const STATE_SIZES_KEPT = 600;

/** Records a state message's size, keeping the last STATE_SIZES_KEPT. */
export function keepSize(sizes: number[], bytes: number): void {
  if (sizes.length >= STATE_SIZES_KEPT) sizes.shift();
  sizes.push(bytes);
}

/** Byte and frame counts of one bot so far. */
export interface Traffic {
  /** Message payloads received / sent: WebSocket messages, and datagrams on a DataChannel. */
  receivedBytes: number;
  sentBytes: number;
  /** TCP bytes read from / written to the socket (payloads plus WebSocket framing). */
  socketRead: number;
  socketWritten: number;
  /** Messages received (state patches, full states and any other message). */
  framesReceived: number;
  /**
   * Of those, state messages (Colyseus' reliable patches; the seeds' full
   * states): one a tick. Arena's unreliable patch of the same tick (the
   * positions) counts with it in the state sizes.
   */
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
  /** The channel its state arrives on: a DataChannel ("datagram", Arena's bots given one) or the WebSocket. */
  transport(): Transport;
  /** The close code if the connection ended without this bot leaving, else undefined. */
  lostWithCode(): number | undefined;
  /** Connections this bot lost that its client went on to resume (the SDK's reconnection), so far. */
  drops(): number;
  /**
   * Leaves and resolves once the connection has ended, even when it was lost
   * and is being resumed at that moment. May never resolve when the server
   * does not answer: `leaveAll` bounds the wait.
   */
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
  /** `arena` only: how the bot carries its unreliable frames, a DataChannel or the WebSocket alone (the default). */
  datagrams?: DatagramChoice;
  /** `arena` only: the room type it joins (the arena by default) and the view it asks for there. */
  room?: RoomChoice;
}

export type JoinTarget = { quickPlay: true } | { create: true } | { roomId: string };

/** Which type of Arena room a bot joins, and what it asks for there. */
export interface RoomChoice {
  /** `ROOM_NAME` ("arena", the default) or `LARGE_ROOM_NAME` ("large"). */
  roomName?: string;
  /** The `view` join option: the world a large room's client shows (the server's MAX_VIEW when absent); the arena ignores it. */
  view?: ViewSize;
}

/** The bot brain over a decoded state: the input to send this tick, or the idle input before the own player appears. */
export class Brain {
  private readonly memory: BotMemory = newBotMemory();
  private readonly options: NetBotOptions;
  private rules: MatchRules;

  constructor(options: NetBotOptions) {
    this.options = options;
    this.rules = options.rules;
  }

  /** `sight` reads an Arena state the way an Arena client must (see ArenaSight); other states are read as they are. */
  decide(id: string, state: ArenaView | undefined, tick: number, sight?: () => ReturnType<ArenaSight["see"]>): PlayerInput {
    const self = state?.players?.get(id);
    if (!state || !self) return { ...IDLE_INPUT };
    const { players, projectiles } = sight?.() ?? {
      players: state.players as unknown as SeenCollection<SeenPlayer>,
      projectiles: state.projectiles as SeenCollection<SeenProjectile>,
    };
    return botInput({
      id, self: players.get(id)!, tick, phase: state.phase, rules: this.rulesFor(state), players, projectiles,
    }, this.memory, botRandom(this.options.seed, tick, id));
  }

  /** The rules on the map the state is played on: a large room's is generated from its seed (`mapSeed`), any other is the rules' own. */
  private rulesFor(state: RoomView): MatchRules {
    const map = roomMode(state) === "large" ? roomMap(state) : this.options.rules.map;
    // largeMap keeps one map per seed, so the same room gives the same object every tick.
    if (map !== this.rules.map) this.rules = { ...this.options.rules, map };
    return this.rules;
  }
}

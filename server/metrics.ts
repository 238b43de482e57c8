import { CloseCode, type Client } from "@colyseus/core";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { KickCode } from "../shared/protocol.ts";
import { countPatchBytes } from "./colyseusSeams.ts";
import type { WorldEvent } from "../shared/worldState.ts";
import type { InputCounts, InputDropReason } from "./rooms/inputPacing.ts";
import type { RejectionKind } from "./rooms/messageGuard.ts";
import type { RefusalReason } from "./security/gate.ts";
import type { TokenProblem } from "./security/tokens.ts";
import type { LocalRooms } from "./registry/localRooms.ts";
import { registerRegistryMetrics, type RegistryStatus } from "./registry/monitor.ts";
import { MoveMetrics } from "./migration/moveMetrics.ts";
import { registerClusterGauges, registerOccupancyGauges } from "./metricsGauges.ts";

/** The `reason` label of arena_kicks_total for each close code a kick uses. */
const KICK_REASONS: Record<number, string> = {
  [CloseCode.WITH_ERROR]: "error",
  [KickCode.invalidMessages]: "invalid_messages",
  [KickCode.messageFlood]: "message_flood",
  1002: "protocol_error",
  1007: "protocol_error",
  1009: "frame_too_large",
};

/** Tick duration buckets (s), 50 µs to 50 ms: a 30 Hz tick has a budget of 33 ms. */
const TICK_SECONDS_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.004, 0.005, 0.01, 0.025, 0.05];

/**
 * One server's metrics, in a registry of its own (several servers may run in
 * one process, one after another in tests; prom-client's global registry
 * would mix them up). Served at `GET /metrics` in the Prometheus text format;
 * the README lists them (under Hosting).
 */
export interface ArenaMetrics {
  readonly registry: Registry;
  /** What rooms report to; handed to every room in its settings. */
  readonly rooms: RoomMetrics;
  /** Rooms moved between processes (`arena_rooms_migrated_total`, `arena_room_move_pause_seconds`). */
  readonly moves: MoveMetrics;
}

/**
 * How often the event-loop delay gauges (`nodejs_eventloop_lag_*`) sample, ms.
 * prom-client's default, 10 ms, wakes the process 100 times a second for that
 * alone, idle or not: a third of a one-room server's wake-ups. Sampling every
 * 100 ms still gives a 15-second scrape interval 150 samples.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * Creates the registry with Node's process metrics (CPU, memory, event loop,
 * GC: prom-client's defaults, under their usual names) and Arena's own,
 * all named `arena_*`. `rooms` are this process's rooms; `roomRegistry` tells
 * whether the shared registry (the cluster gauges' source) is there.
 */
export function createMetrics(rooms: LocalRooms, roomRegistry: RegistryStatus): ArenaMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  registerOccupancyGauges(registry, rooms);
  registerClusterGauges(registry, roomRegistry);
  registerRegistryMetrics(registry, roomRegistry);
  return { registry, rooms: new RoomMetrics(registry), moves: new MoveMetrics(registry) };
}

/**
 * What rooms record as it happens, one call per event; counters only ever go
 * up, for the whole life of the server (across rooms). How many people are in
 * the rooms is not recorded here: the gauges read it from the rooms at scrape time.
 */
export class RoomMetrics implements InputCounts {
  private readonly tickSeconds: Histogram;
  private readonly wholeTickSeconds: Histogram;
  private readonly patchBytes: PendingCount;
  private readonly receivedInputs: PendingCount;
  private readonly appliedInputs: PendingCount;
  private readonly droppedInputs: Counter<"reason">;
  private readonly reconnects: Counter;
  private readonly drops: Counter;
  private readonly kicks: Counter<"reason">;
  private readonly rejectedMessages: Counter<"reason">;
  private readonly refusals: Counter<"reason">;
  private readonly chatMessages: Counter<"result">;
  private readonly matches: Counter;
  private readonly kills: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.tickSeconds = new Histogram({
      name: "arena_tick_duration_seconds",
      help: "Wall time of one room's fixed simulation step (inputs, world step, events, bots, listing).",
      buckets: TICK_SECONDS_BUCKETS,
      registers,
    });
    this.wholeTickSeconds = new Histogram({
      name: "arena_tick_with_patch_seconds",
      help: "Wall time of one room's whole tick: the fixed step, then encoding its patches and handing them to every client's socket.",
      buckets: TICK_SECONDS_BUCKETS,
      registers,
    });
    const counter = (name: string, help: string) => new Counter({ name, help, registers });
    this.patchBytes = pendingCounter(registers, "arena_patch_bytes_total",
      "Bytes of state-patch frames handed to client sockets, counted per recipient (8-byte timing prefix included, WebSocket framing and join-time full states not).");
    this.receivedInputs = pendingCounter(registers, "arena_inputs_received_total", "Inputs received from clients (players and spectators), each once however many packets carried it.");
    this.appliedInputs = pendingCounter(registers, "arena_inputs_applied_total", "Player inputs applied by the simulation.");
    this.droppedInputs = new Counter({
      name: "arena_inputs_dropped_total",
      help: "Inputs received and never applied: reason=backlog (standing backlog trimmed by the pacer), buffer (discarded by the input buffer: overflow, or pending when a connection dropped), spectator (refused).",
      labelNames: ["reason"],
      registers,
    });
    this.reconnects = counter("arena_reconnects_total", "Clients that came back to their held seat after a lost connection.");
    this.drops = counter("arena_drops_total", "Connections lost without leaving (closed socket, missed heartbeats) while the seat is held for a reconnect.");
    const labelled = (name: string, help: string) => new Counter({ name, help, labelNames: ["reason"], registers });
    this.kicks = labelled("arena_kicks_total",
      "Clients the server disconnected for breaking a rule, no seat held: reason=invalid_messages (4400), message_flood (4429), frame_too_large (1009), protocol_error (1002, 1007), error (4002: an old socket a reconnect replaced).");
    this.rejectedMessages = labelled("arena_messages_rejected_total",
      "Client messages dropped and answered with messageRejected: reason=unknown_type, invalid_payload, malformed_frame.");
    this.refusals = labelled("arena_refused_total",
      "Connections, requests and joins turned away before reaching a room: reason=origin (403), join_rate (429), connection_limit (429), token_missing, token_invalid, token_expired (join refused, code 525).");
    this.chatMessages = new Counter({
      name: "arena_chat_messages_total",
      help: "Chat lines from clients: result=sent (broadcast) or rejected (too long, empty, too fast).",
      labelNames: ["result"],
      registers,
    });
    this.matches = counter("arena_matches_total", "Matches played to the end of their clock.");
    this.kills = counter("arena_kills_total", "Players eliminated (by players and bots).");
    // Labelled series exist from the start, so a rate over them is defined before the first event.
    for (const reason of ["backlog", "buffer", "spectator"] satisfies InputDropReason[]) this.droppedInputs.inc({ reason }, 0);
    for (const result of ["sent", "rejected"]) this.chatMessages.inc({ result }, 0);
    for (const reason of new Set(Object.values(KICK_REASONS))) this.kicks.inc({ reason }, 0);
    for (const reason of ["unknown_type", "invalid_payload", "malformed_frame"] satisfies RejectionKind[]) this.rejectedMessages.inc({ reason }, 0);
    const refusalReasons: string[] = ["origin", "join_rate", "connection_limit", "banned"] satisfies RefusalReason[];
    for (const problem of ["missing", "invalid", "expired"] satisfies TokenProblem[]) refusalReasons.push(`token_${problem}`);
    for (const reason of refusalReasons) this.refusals.inc({ reason }, 0);
  }

  /** Wraps a room's fixed step so each run's wall time lands in `arena_tick_duration_seconds`. */
  timed<A extends unknown[]>(step: (...args: A) => void): (...args: A) => void {
    return timedInto(this.tickSeconds, step);
  }

  /** Wraps a room's whole tick (the step and its patch) so each run's wall time lands in `arena_tick_with_patch_seconds`. */
  timedWithPatch<A extends unknown[]>(tick: (...args: A) => void): (...args: A) => void {
    return timedInto(this.wholeTickSeconds, tick);
  }

  /** A client joined (a player or a spectator): its patch bytes count from now on. */
  joined(client: Client): void {
    this.countPatchBytesTo(client);
  }

  /** A client took its held seat back; Colyseus hands the room a new Client object for it. */
  reconnected(client: Client): void {
    this.reconnects.inc();
    this.countPatchBytesTo(client);
  }

  /**
   * A connection ended without the client leaving (Colyseus' onDrop gets every
   * close but a consented leave). A close the server made with code 4002
   * (WITH_ERROR) counts as a kick; any other as a drop when the seat is held.
   */
  connectionLost(code: number | undefined, seatHeld: boolean): void {
    if (code === CloseCode.WITH_ERROR) this.kicked(code);
    else if (seatHeld) this.drops.inc();
  }

  /** The server closed a client for breaking a rule (a KickCode, or Colyseus' 4002). */
  kicked(code: number): void {
    this.kicks.inc({ reason: KICK_REASONS[code] ?? "error" });
  }

  messageRejected(kind: RejectionKind): void {
    this.rejectedMessages.inc({ reason: kind });
  }

  /** The gate or the token check turned someone away. */
  refused(reason: RefusalReason | `token_${TokenProblem}`): void {
    this.refusals.inc({ reason });
  }

  /**
   * Inputs arrived in a player's buffer, each once however many packets
   * carried it (counted by the player's input pacer, see `InputCounts`).
   */
  inputsReceived(count: number): void {
    this.receivedInputs.pending += count;
  }

  /** A spectator's inputs arrived and were dropped: spectators cannot play. */
  spectatorInputsRefused(count: number): void {
    this.inputsReceived(count);
    this.inputsDropped("spectator", count);
  }

  inputsApplied(count: number): void {
    this.appliedInputs.pending += count;
  }

  inputsDropped(reason: InputDropReason, count: number): void {
    if (count > 0) this.droppedInputs.inc({ reason }, count);
  }

  /** A chat line from a client was broadcast (`sent`) or answered with chatRejected. */
  chat(sent: boolean): void {
    this.chatMessages.inc({ result: sent ? "sent" : "rejected" });
  }

  /** What one world step reported: kills and finished matches are counted. */
  worldEvents(events: readonly WorldEvent[]): void {
    for (const event of events) {
      if (event.type === "kill") this.kills.inc();
      else if (event.type === "matchEnd") this.matches.inc();
    }
  }

  /** Patch frames to `client` add their bytes to arena_patch_bytes_total (see `countPatchBytes`). */
  private countPatchBytesTo(client: Client): void {
    countPatchBytes(client, (bytes) => {
      this.patchBytes.pending += bytes;
    });
  }
}

/** A count kept as a plain number, handed to its Prometheus counter when scraped. */
type PendingCount = { pending: number };

/** For what happens per input or per frame: prom-client's `inc` allocates on every call, the hot path here only adds. */
function pendingCounter(registers: Registry[], name: string, help: string): PendingCount {
  const count: PendingCount = { pending: 0 };
  new Counter({ name, help, registers, collect() {
    this.inc(count.pending);
    count.pending = 0;
  } });
  return count;
}

function timedInto<A extends unknown[]>(histogram: Histogram, run: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    const started = performance.now();
    run(...args);
    histogram.observe((performance.now() - started) / 1000);
  };
}

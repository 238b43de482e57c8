/**
 * Counters for a net graph, usable headless: frames and bytes each way, state
 * patches, the room clock's ping and jitter, and what the session knows
 * (pending inputs, prediction corrections, interpolation delay, tick rate,
 * the simulated network). Rates are over rolling windows. No DOM.
 */
import { Protocol } from "@colyseus/sdk";
import { frameBytes, frameCode } from "./frames.ts";
import { tapConnection, type TappableConnection } from "./sdkSeams.ts";
import type { NetworkSimulator } from "./netsim.ts";
import { RollingCounter, SPAN_MS } from "./rollingCounter.ts";
import type { Transport } from "./datagrams.ts";
import type { NetworkProfile } from "./networkProfile.ts";
import { protocolCode } from "../../shared/protocol.ts";

export { RollingCounter } from "./rollingCounter.ts";

/** A correction smaller than this is float noise, not a correction. */
const CORRECTION_FLOOR = 0.01; // u
/** How much history the graph gets. */
const HISTORY_MS = 5_000; // ms
/** Ping is sampled for the graph at most this often. */
const PING_SAMPLE_MS = 100; // ms

/** The room the counters watch: its connection (tapped) and its clock (read). */
export interface WatchedRoom {
  connection: TappableConnection;
  clock: { smoothedRtt(): number; jitter(): number };
}

/** What a prediction reconciler exposes about its corrections (the SDK's `Reconciler` does). */
export interface CorrectionSource {
  /** Advances once per reconcile. */
  readonly reconcileSeq: number;
  /** Largest |correction| of the latest reconcile, over every predicted field (world units, u/s for velocities). */
  readonly lastCorrectionMag: number;
  /** The latest reconcile's correction per field. */
  readonly lastCorrection?: Readonly<Record<string, number>>;
}

/** Values only the session knows, read when a snapshot is taken; each is optional. */
export interface SessionGauges {
  /** Inputs sent and not yet acknowledged. */
  pendingInputs?(): number;
  /** The server's fixed tick rate (Hz), once the handshake told it. */
  tickRate?(): number | undefined;
  /** How far behind the newest snapshot remote entities are drawn (ms). */
  interpolationDelayMs?(): number;
  /** The own player's reconciler, once there is one. */
  reconciler?(): CorrectionSource | undefined;
  /** The simulated network, when there is one. */
  simulator?(): NetworkSimulator | undefined;
  /** The channel the state arrives on, and the loss of the datagrams that carry it (%). */
  transport?(): Transport;
  datagramLossPercent?(): number | undefined;
}

/** Rates over one window, per second. */
export interface TrafficRates {
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  patches: number;
}

/** A plain copy of the counters at one instant; nothing in it is live. */
export interface NetStatsSnapshot {
  /** Smoothed round-trip time from input acknowledgements (ms; 0 until measured). */
  pingMs: number;
  /** Patch inter-arrival jitter (ms). */
  jitterMs: number;
  /** The server's fixed tick rate (Hz), if known. */
  tickRate: number | undefined;
  /** Per-second rates over the last second. */
  perSecond: TrafficRates;
  /** Per-second rates averaged over the last minute (or since attaching, if shorter). */
  perSecondLastMinute: TrafficRates;
  /** Everything counted since attaching. */
  totals: TrafficRates;
  pendingInputs: number | undefined;
  corrections: {
    /** Corrections of the own player's prediction in the last minute, scaled to a minute if less has passed. */
    perMinute: number;
    /** Size of the latest correction: the position's jump when known, else the largest field's (u). */
    last: number;
    /** Largest correction in the last minute (u). */
    max: number;
    total: number;
  };
  interpolationDelayMs: number | undefined;
  /** Rendered frames per second, when the caller draws frames. */
  fps: number | undefined;
  /** The simulated network, if any, with its stall count so far. */
  simulation: (NetworkProfile & { stalls: number; seed: number }) | undefined;
  /** The channel the state arrives on: the DataChannel ("datagram") or the WebSocket. */
  transport: Transport;
  /** Of the latest unreliable patches that came as datagrams, the percent lost (undefined until some came). */
  datagramLossPercent: number | undefined;
  /** Gaps between the last few seconds of state patches, oldest first (ms). */
  patchGapsMs: number[];
  /** Ping sampled over the last few seconds, oldest first (ms). */
  pingHistoryMs: number[];
}

/**
 * The net graph's counters for one room. Create it right after joining and
 * BEFORE attaching a network simulator: taps stack, so incoming frames are
 * then counted as the game receives them (after the simulated delay) and
 * outgoing ones as they reach the socket. Call {@link snapshot} once per
 * rendered frame (or as often as you need numbers): corrections are noticed
 * when it polls the reconciler, which reconciles once per frame.
 */
export class NetStats {
  private readonly room: WatchedRoom;
  private readonly gauges: SessionGauges;
  private readonly attachedAt: number;
  private readonly untap: () => void;
  private readonly counters = {
    bytesIn: new RollingCounter(), bytesOut: new RollingCounter(),
    messagesIn: new RollingCounter(), messagesOut: new RollingCounter(), patches: new RollingCounter(),
  };
  private readonly totals: TrafficRates = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0, patches: 0 };
  private readonly corrections: { at: number; size: number }[] = [];
  private correctionsTotal = 0;
  private lastCorrection = 0;
  private seenReconcileSeq: number | undefined;
  private seenReconciler: CorrectionSource | undefined;
  private lastPatchAt: number | undefined;
  private readonly patchGaps: { at: number; gap: number }[] = [];
  private readonly pings: { at: number; ping: number }[] = [];

  constructor(room: WatchedRoom, gauges: SessionGauges = {}, now: number = performance.now()) {
    this.room = room;
    this.gauges = gauges;
    this.attachedAt = now;
    this.untap = tapConnection(room.connection, {
      outgoing: (frame, forward) => {
        this.count("Out", frameBytes(frame), performance.now());
        forward(frame);
      },
      incoming: (event, forward) => {
        const at = performance.now();
        this.count("In", frameBytes(event.data), at);
        if (protocolCode(frameCode(event.data)) === Protocol.ROOM_STATE_PATCH) this.countPatch(at);
        forward(event);
      },
    });
  }

  /** Everything at `now`, as plain values. `fps` is the caller's frame rate, if it renders. */
  snapshot(now: number = performance.now(), fps?: number): NetStatsSnapshot {
    this.pollCorrections(now);
    this.samplePing(now);
    const horizon = now - SPAN_MS;
    while (this.corrections.length > 0 && this.corrections[0].at < horizon) this.corrections.shift();
    const minute = Math.min(SPAN_MS, Math.max(now - this.attachedAt, 1000));
    const simulator = this.gauges.simulator?.();
    return {
      pingMs: this.room.clock.smoothedRtt(),
      jitterMs: this.room.clock.jitter(),
      tickRate: this.gauges.tickRate?.(),
      perSecond: this.rates(now, 1000),
      perSecondLastMinute: this.rates(now, SPAN_MS),
      totals: { ...this.totals },
      pendingInputs: this.gauges.pendingInputs?.(),
      corrections: {
        perMinute: (this.corrections.length * SPAN_MS) / minute,
        last: this.lastCorrection,
        max: this.corrections.reduce((max, correction) => Math.max(max, correction.size), 0),
        total: this.correctionsTotal,
      },
      interpolationDelayMs: this.gauges.interpolationDelayMs?.(),
      fps,
      simulation: simulator && {
        ...simulator.profile,
        stalls: simulator.stats.stallsIn + simulator.stats.stallsOut,
        seed: simulator.stats.seed,
      },
      transport: this.gauges.transport?.() ?? "websocket",
      datagramLossPercent: this.gauges.datagramLossPercent?.(),
      patchGapsMs: recent(this.patchGaps, now).map((entry) => entry.gap),
      pingHistoryMs: recent(this.pings, now).map((entry) => entry.ping),
    };
  }

  /** Stops counting (the counts stay readable). */
  detach(): void {
    this.untap();
  }

  private count(direction: "In" | "Out", bytes: number, at: number): void {
    this.counters[`bytes${direction}`].add(at, bytes);
    this.counters[`messages${direction}`].add(at, 1);
    this.totals[`bytes${direction}`] += bytes;
    this.totals[`messages${direction}`] += 1;
  }

  private countPatch(at: number): void {
    this.counters.patches.add(at, 1);
    this.totals.patches += 1;
    if (this.lastPatchAt !== undefined) {
      this.patchGaps.push({ at, gap: at - this.lastPatchAt });
      prune(this.patchGaps, at);
    }
    this.lastPatchAt = at;
  }

  private rates(now: number, windowMs: number): TrafficRates {
    const rate = (counter: RollingCounter) => counter.rate(now, windowMs, this.attachedAt);
    const c = this.counters;
    return {
      bytesIn: rate(c.bytesIn), bytesOut: rate(c.bytesOut),
      messagesIn: rate(c.messagesIn), messagesOut: rate(c.messagesOut), patches: rate(c.patches),
    };
  }

  /**
   * A correction is a reconcile (its sequence number moved) that changed the
   * prediction by more than float noise. Several reconciles between two polls
   * count once, with the latest size: poll every frame.
   */
  private pollCorrections(now: number): void {
    const reconciler = this.gauges.reconciler?.();
    if (!reconciler) return;
    if (reconciler !== this.seenReconciler) {
      this.seenReconciler = reconciler;
      this.seenReconcileSeq = reconciler.reconcileSeq;
      return;
    }
    if (reconciler.reconcileSeq === this.seenReconcileSeq) return;
    this.seenReconcileSeq = reconciler.reconcileSeq;
    if (reconciler.lastCorrectionMag <= CORRECTION_FLOOR) return;
    const size = correctionSize(reconciler);
    this.lastCorrection = size;
    this.correctionsTotal++;
    this.corrections.push({ at: now, size });
  }

  private samplePing(now: number): void {
    const last = this.pings.at(-1);
    if (last && now - last.at < PING_SAMPLE_MS) return;
    this.pings.push({ at: now, ping: this.room.clock.smoothedRtt() });
    prune(this.pings, now);
  }
}

/** The position's jump when the reconciler reports per-field corrections, else its largest field's. */
function correctionSize(reconciler: CorrectionSource): number {
  const x = reconciler.lastCorrection?.x;
  const y = reconciler.lastCorrection?.y;
  if (typeof x === "number" && typeof y === "number") return Math.hypot(x, y);
  return reconciler.lastCorrectionMag;
}

function recent<T extends { at: number }>(entries: readonly T[], now: number): T[] {
  return entries.filter((entry) => entry.at > now - HISTORY_MS);
}

function prune(entries: { at: number }[], now: number): void {
  while (entries.length > 0 && entries[0].at <= now - HISTORY_MS) entries.shift();
}

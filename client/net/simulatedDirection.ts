/**
 * The network simulator's schedule (client/net/netsim.ts): when each frame of
 * one direction of one channel arrives. A stream (the WebSocket's TCP)
 * keeps order and holds everything behind a lost segment until its
 * retransmission; datagrams (the DataChannel) arrive each on its own, may
 * overtake one another, and a lost one is simply gone. No DOM.
 */
import { mulberry32, type Random } from "../../shared/rng.ts";
import type { NetworkProfile } from "./networkProfile.ts";

/**
 * Linux's floor on the TCP retransmission timeout (TCP_RTO_MIN, 200 ms).
 * Above it the timeout follows RFC 6298: SRTT + 4 × RTTVAR.
 */
const MIN_RETRANSMISSION_TIMEOUT_MS = 200; // ms
/** `setTimeout` may fire up to a millisecond before `performance.now()` reaches its due time. */
const TIMER_SLACK_MS = 1; // ms

/**
 * How long a lost segment waits before its retransmission goes out: RFC 6298's
 * SRTT + 4 × RTTVAR with the simulated round trip as SRTT and the jitter as
 * RTTVAR, never under Linux's 200 ms floor.
 */
export function retransmissionTimeoutMs(profile: NetworkProfile): number {
  return Math.max(MIN_RETRANSMISSION_TIMEOUT_MS, profile.latencyMs + 4 * profile.jitterMs);
}

/** When one frame is delivered, and whether it was lost. */
export interface ScheduledFrame {
  /** Delivery time, on the clock `sentAt` was given in (ms); meaningless for a lost datagram. */
  at: number;
  /**
   * Lost: on a stream, the frame's own segment was lost, and it (and
   * everything behind it) waited a retransmission timeout; a lost datagram is
   * never delivered.
   */
  lost: boolean;
}

/**
 * Schedules one frame in one direction, a pure function of its arguments:
 * sent at `sentAt`, delivered after half the round trip ± jitter (plus a
 * retransmission timeout if lost), but never before `previousAt`, the
 * delivery time of the frame sent before it — so order is always kept and a
 * lost frame holds back everything behind it. Draws exactly two numbers from
 * `random` per frame, so a seeded sequence does not depend on the profile.
 */
export function scheduleFrame(profile: NetworkProfile, sentAt: number, previousAt: number, random: Random): ScheduledFrame {
  const jitterDraw = random();
  const lossDraw = random();
  const lost = lossDraw * 100 < profile.lossPercent;
  const oneWay = Math.max(0, profile.latencyMs / 2 + (jitterDraw * 2 - 1) * profile.jitterMs);
  const own = sentAt + oneWay + (lost ? retransmissionTimeoutMs(profile) : 0);
  return { at: Math.max(own, previousAt), lost };
}

/**
 * Schedules one datagram, a pure function of its arguments: delivered after
 * half the round trip ± jitter, whatever was sent before it, or lost. Draws
 * the same two numbers per frame as {@link scheduleFrame}.
 */
export function scheduleDatagram(profile: NetworkProfile, sentAt: number, random: Random): ScheduledFrame {
  const jitterDraw = random();
  const lossDraw = random();
  const oneWay = Math.max(0, profile.latencyMs / 2 + (jitterDraw * 2 - 1) * profile.jitterMs);
  return { at: sentAt + oneWay, lost: lossDraw * 100 < profile.lossPercent };
}

/** How a direction's frames travel: in order over TCP, or each on its own as datagrams. */
export type DirectionKind = "stream" | "datagram";

/** One direction of one simulated channel: the seeded schedule, the frames in flight and their timer. */
export class SimulatedDirection {
  /** Frames sent this way. */
  frames = 0;
  /** Frames lost: on a stream, those that waited for a retransmission; datagrams that never arrived. */
  stalls = 0;
  private readonly random: Random;
  private readonly kind: DirectionKind;
  private lastAt = -Infinity;
  private readonly inFlight: { at: number; deliver: () => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pumping = false;

  constructor(seed: number, kind: DirectionKind = "stream") {
    this.random = mulberry32(seed);
    this.kind = kind;
  }

  /** Frames sent and not yet delivered. */
  get held(): number {
    return this.inFlight.length;
  }

  /** Schedules `deliver` for a frame sent now under `profile` (see {@link scheduleFrame} and {@link scheduleDatagram}). */
  send(profile: NetworkProfile, deliver: () => void): ScheduledFrame {
    const now = performance.now();
    const scheduled = this.kind === "stream" ? scheduleFrame(profile, now, this.lastAt, this.random) : scheduleDatagram(profile, now, this.random);
    this.frames++;
    if (scheduled.lost) this.stalls++;
    if (this.kind === "stream" || !scheduled.lost) this.enqueue(scheduled.at, deliver);
    return scheduled;
  }

  /** Schedules `deliver` right behind everything already in flight (a closing socket: nothing overtakes it). */
  sendLast(deliver: () => void): void {
    this.enqueue(Math.max(performance.now(), this.lastAt), deliver);
  }

  /** Delivers everything in flight now, in order. */
  flush(): void {
    this.stopTimer();
    this.deliverDue(Infinity);
  }

  /** Forgets everything in flight; returns how many frames that was. */
  discard(): number {
    this.stopTimer();
    const count = this.inFlight.length;
    this.inFlight.length = 0;
    return count;
  }

  private enqueue(at: number, deliver: () => void): void {
    this.lastAt = Math.max(this.lastAt, at);
    // Datagrams may overtake: keep the queue in delivery order, and the timer on its head.
    let index = this.inFlight.length;
    while (index > 0 && this.inFlight[index - 1].at > at) index--;
    this.inFlight.splice(index, 0, { at, deliver });
    if (index === 0 && this.timer !== undefined) this.stopTimer();
    if (!this.pumping && this.timer === undefined) this.arm();
  }

  private arm(): void {
    const head = this.inFlight[0];
    if (!head) return;
    this.timer = setTimeout(this.pump, Math.max(0, head.at - performance.now()));
  }

  private readonly pump = (): void => {
    this.timer = undefined;
    this.deliverDue(performance.now() + TIMER_SLACK_MS);
    this.arm();
  };

  private deliverDue(until: number): void {
    this.pumping = true;
    try {
      while (this.inFlight.length > 0 && this.inFlight[0].at <= until) {
        const { deliver } = this.inFlight.shift()!;
        try {
          deliver();
        } catch (error) {
          // The room's handler threw: report it as the socket's callback would, and keep the line moving.
          setTimeout(() => {
            throw error;
          });
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

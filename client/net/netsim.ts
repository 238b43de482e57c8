/**
 * A network-conditions simulator for a room's connection: added latency,
 * jitter and loss, in the browser (`?lag=150&jitter=20&loss=2`) and in Node
 * (tests, benchmarks). No DOM: only `setTimeout` and `performance.now()`.
 *
 * The SDK's own simulator (`@colyseus/sdk/debug`) adds delay and jitter from
 * the browser debug panel only; this one also models loss, is seeded, and
 * runs headless.
 *
 * Loss is modelled the way it looks over TCP, which a WebSocket rides on: a
 * lost segment is retransmitted, so nothing is ever missing or reordered;
 * instead the lost frame, and every frame behind it in the same direction,
 * waits for the retransmission (head-of-line blocking), then they arrive in a
 * burst.
 */
import { deriveSeed, mulberry32, type Random } from "../../shared/rng.ts";
import { tapConnection, type TappableConnection } from "./sdkSeams.ts";
import { validateNetworkProfile, type NetworkProfile } from "./networkProfile.ts";

// The profiles (named ones, limits, reading `?lag=&jitter=&loss=`) live in networkProfile.ts; offered here too.
export {
  NETWORK_PROFILES, PROFILE_LIMITS, describeNetworkProfile, parseNetworkProfile, validateNetworkProfile,
  type NetworkProfile, type NetworkProfileName, type NetworkProfileRequest,
} from "./networkProfile.ts";

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

/** When one frame is delivered, and whether it waited for a retransmission. */
export interface ScheduledFrame {
  /** Delivery time, on the clock `sentAt` was given in (ms). */
  at: number;
  /** The frame's own segment was lost: it (and everything behind it) waited a retransmission timeout. */
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

/** One direction of the simulated link: the seeded schedule, the frames in flight and their timer. */
export class SimulatedDirection {
  /** Frames sent this way. */
  frames = 0;
  /** Frames whose segment was lost and waited for a retransmission. */
  stalls = 0;
  private readonly random: Random;
  private lastAt = -Infinity;
  private readonly inFlight: { at: number; deliver: () => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pumping = false;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  /** Frames sent and not yet delivered. */
  get held(): number {
    return this.inFlight.length;
  }

  /** Schedules `deliver` for a frame sent now under `profile` (see {@link scheduleFrame}). */
  send(profile: NetworkProfile, deliver: () => void): ScheduledFrame {
    const scheduled = scheduleFrame(profile, performance.now(), this.lastAt, this.random);
    this.frames++;
    if (scheduled.lost) this.stalls++;
    this.enqueue(scheduled.at, deliver);
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
    this.lastAt = at;
    this.inFlight.push({ at, deliver });
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

/** Counters of a simulator, live (read them any time). */
export interface NetworkSimulatorStats {
  /** The seed that reproduces this run's schedule. */
  readonly seed: number;
  /** Frames sent towards the server / received from it. */
  readonly framesOut: number;
  readonly framesIn: number;
  /** Frames that waited for a retransmission, per direction. */
  readonly stallsOut: number;
  readonly stallsIn: number;
  /** Frames in flight right now, per direction. */
  readonly heldOut: number;
  readonly heldIn: number;
  /** Outgoing frames still in flight when their socket closed (a real cut loses them too). */
  readonly discardedOut: number;
}

/** A simulator attached to one room's connection. */
export interface NetworkSimulator {
  /** The conditions simulated now. */
  readonly profile: Readonly<NetworkProfile>;
  readonly stats: NetworkSimulatorStats;
  /** Changes the conditions for frames sent from now on (those in flight keep their schedule). Throws on an invalid profile. */
  setProfile(profile: NetworkProfile): void;
  /** Delivers what is in flight at once, in order, and removes the simulator. */
  detach(): void;
}

/**
 * Puts the simulated network between `room` and its socket. Pass `seed` for a
 * reproducible schedule (each direction draws from its own seeded stream);
 * without one a random seed is chosen and reported in `stats.seed`. Attach
 * after the room has joined; it keeps working across the SDK's reconnections.
 * Throws on an invalid profile (see {@link validateNetworkProfile}).
 */
export function attachNetworkSimulator(
  room: { connection: TappableConnection }, profile: NetworkProfile, seed: number = randomSeed(),
): NetworkSimulator {
  let current = checkedProfile(profile);
  const outgoing = new SimulatedDirection(deriveSeed(seed, 1));
  const incoming = new SimulatedDirection(deriveSeed(seed, 2));
  // Bumped when a socket closes: frames sent on it must not leak onto the next one.
  let socketGeneration = 0;
  let discardedOut = 0;
  const isPerfect = () => current.latencyMs === 0 && current.jitterMs === 0 && current.lossPercent === 0;

  const untap = tapConnection(room.connection, {
    outgoing(frame, forward) {
      if (isPerfect() && outgoing.held === 0) {
        outgoing.frames++;
        forward(frame);
        return;
      }
      // The SDK reuses its send buffers: the frame must be copied to outlive this call.
      const copy = new Uint8Array(frame);
      const generation = socketGeneration;
      outgoing.send(current, () => {
        if (generation === socketGeneration) forward(copy);
        else discardedOut++;
      });
    },
    incoming(event, forward) {
      if (isPerfect() && incoming.held === 0) {
        incoming.frames++;
        forward(event);
        return;
      }
      incoming.send(current, () => forward(event));
    },
    closed(event, forward) {
      socketGeneration++;
      discardedOut += outgoing.discard();
      // The room hears of the close after the frames that arrived before it.
      if (incoming.held === 0) forward(event);
      else incoming.sendLast(() => forward(event));
    },
  });

  return {
    get profile() {
      return current;
    },
    stats: {
      seed,
      get framesOut() { return outgoing.frames; },
      get framesIn() { return incoming.frames; },
      get stallsOut() { return outgoing.stalls; },
      get stallsIn() { return incoming.stalls; },
      get heldOut() { return outgoing.held; },
      get heldIn() { return incoming.held; },
      get discardedOut() { return discardedOut; },
    },
    setProfile(next) {
      current = checkedProfile(next);
    },
    detach() {
      outgoing.flush();
      incoming.flush();
      untap();
    },
  };
}

function checkedProfile(profile: NetworkProfile): NetworkProfile {
  const problem = validateNetworkProfile(profile);
  if (problem) throw new RangeError(`invalid network profile: ${problem}`);
  return { latencyMs: profile.latencyMs, jitterMs: profile.jitterMs, lossPercent: profile.lossPercent };
}

function randomSeed(): number {
  // Client code may use Math.random (only shared/ must not); the seed is reported so a run can be replayed.
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
}

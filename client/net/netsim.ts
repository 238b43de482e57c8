/**
 * A network-conditions simulator for a room's connection: added latency,
 * jitter and loss, in the browser (`?lag=150&jitter=20&loss=2`) and in Node
 * (tests, benchmarks). No DOM: only `setTimeout` and `performance.now()`.
 *
 * The SDK's own simulator (`@colyseus/sdk/debug`) adds delay and jitter from
 * the browser debug panel only; this one also models loss, is seeded, and
 * runs headless.
 *
 * Loss is modelled the way each channel really behaves. Over TCP, which a
 * WebSocket rides on, a lost segment is retransmitted, so nothing is ever
 * missing or reordered; instead the lost frame, and every frame behind it in
 * the same direction, waits for the retransmission (head-of-line blocking),
 * then they arrive in a burst. On the DataChannel (frames marked `datagram`
 * coming in, `sendUnreliable` frames going out while the channel is up) a
 * lost datagram is simply gone, and the others arrive on time.
 */
import { deriveSeed } from "../../shared/rng.ts";
import { tapConnection, type TappableConnection } from "./sdkSeams.ts";
import { validateNetworkProfile, type NetworkProfile } from "./networkProfile.ts";
import { SimulatedDirection } from "./simulatedDirection.ts";

// The schedule of one direction of one channel lives in simulatedDirection.ts; offered here too.
export {
  retransmissionTimeoutMs, scheduleDatagram, scheduleFrame, SimulatedDirection, type DirectionKind, type ScheduledFrame,
} from "./simulatedDirection.ts";

// The profiles (named ones, limits, reading `?lag=&jitter=&loss=`) live in networkProfile.ts; offered here too.
export {
  NETWORK_PROFILES, PROFILE_LIMITS, describeNetworkProfile, parseNetworkProfile, validateNetworkProfile,
  type NetworkProfile, type NetworkProfileName, type NetworkProfileRequest,
} from "./networkProfile.ts";

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
  /** Datagrams sent towards the server / received from it, and of those the ones lost. */
  readonly datagramsOut: number;
  readonly datagramsIn: number;
  readonly datagramsLostOut: number;
  readonly datagramsLostIn: number;
}

/** What the simulator must know of the channels under it. */
export interface SimulatedChannels {
  /** True while the room's `sendUnreliable` frames leave as datagrams (see client/net/datagrams.ts). */
  datagramOpen(): boolean;
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
 * Puts the simulated network between `room` and its channels. Pass `seed` for a
 * reproducible schedule (each direction of each channel draws from its own
 * seeded stream); without one a random seed is chosen and reported in
 * `stats.seed`. Attach after the room has joined, above its datagram link
 * (`channels` says when the link carries the unreliable frames); it keeps
 * working across the SDK's reconnections. Throws on an invalid profile (see
 * {@link validateNetworkProfile}).
 */
export function attachNetworkSimulator(
  room: { connection: TappableConnection }, profile: NetworkProfile, seed: number = randomSeed(),
  channels: SimulatedChannels = { datagramOpen: () => false },
): NetworkSimulator {
  let current = checkedProfile(profile);
  const outgoing = new SimulatedDirection(deriveSeed(seed, 1));
  const incoming = new SimulatedDirection(deriveSeed(seed, 2));
  const datagramsOut = new SimulatedDirection(deriveSeed(seed, 3), "datagram");
  const datagramsIn = new SimulatedDirection(deriveSeed(seed, 4), "datagram");
  // Bumped when a socket closes: frames sent on it must not leak onto the next one.
  let socketGeneration = 0;
  let discardedOut = 0;
  const isPerfect = () => current.latencyMs === 0 && current.jitterMs === 0 && current.lossPercent === 0;

  const untap = tapConnection(room.connection, {
    outgoing(frame, forward, unreliable) {
      const direction = unreliable && channels.datagramOpen() ? datagramsOut : outgoing;
      if (isPerfect() && direction.held === 0) {
        direction.frames++;
        forward(frame);
        return;
      }
      // The SDK reuses its send buffers: the frame must be copied to outlive this call.
      const copy = new Uint8Array(frame);
      if (direction === datagramsOut) {
        datagramsOut.send(current, () => forward(copy));
        return;
      }
      const generation = socketGeneration;
      outgoing.send(current, () => {
        if (generation === socketGeneration) forward(copy);
        else discardedOut++;
      });
    },
    incoming(event, forward) {
      const direction = event.datagram ? datagramsIn : incoming;
      if (isPerfect() && direction.held === 0) {
        direction.frames++;
        forward(event);
        return;
      }
      direction.send(current, () => forward(event));
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
      get datagramsOut() { return datagramsOut.frames; },
      get datagramsIn() { return datagramsIn.frames; },
      get datagramsLostOut() { return datagramsOut.stalls; },
      get datagramsLostIn() { return datagramsIn.stalls; },
    },
    setProfile(next) {
      current = checkedProfile(next);
    },
    detach() {
      for (const direction of [outgoing, incoming, datagramsOut, datagramsIn]) direction.flush();
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

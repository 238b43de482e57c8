// First: lets the reconnection test reach the client's real socket (see the module).
import { rawSocketOf } from "../../testkit/sdkOverWs.ts";
import { describe, expect, it } from "vitest";
import {
  attachNetworkSimulator, retransmissionTimeoutMs, scheduleDatagram, scheduleFrame, type ScheduledFrame,
} from "../../client/net/netsim.ts";
import type { IncomingFrame, TappableConnection } from "../../client/net/sdkSeams.ts";
import { NETWORK_PROFILES, parseNetworkProfile, type NetworkProfile } from "../../client/net/networkProfile.ts";
import type { ChatBroadcast } from "../../shared/protocol.ts";
import { mulberry32 } from "../../shared/rng.ts";
import {
  collectMessages, inputOf, playerIn, useTestServer, waitFor, type ArenaClientRoom, type TestServer,
} from "../helpers/server.ts";

/** `count` frames sent every `spacingMs` through one direction under `profile`, from a seeded stream. */
function schedule(profile: NetworkProfile, seed: number, count: number, spacingMs = 5): ScheduledFrame[] {
  const random = mulberry32(seed);
  const frames: ScheduledFrame[] = [];
  let previousAt = -Infinity;
  for (let i = 0; i < count; i++) {
    const frame = scheduleFrame(profile, i * spacingMs, previousAt, random);
    frames.push(frame);
    previousAt = frame.at;
  }
  return frames;
}

const isNonDecreasing = (values: readonly number[]) => values.every((value, i) => i === 0 || value >= values[i - 1]);

/** Joins and waits for the own player to be in the decoded state. */
async function joinPlayer(server: TestServer, name: string): Promise<ArenaClientRoom> {
  const room = await server.connect(name);
  await waitFor(() => playerIn(room) !== undefined, { message: `${name} in its own state` });
  return room;
}

/**
 * Sends chat lines "0", "1", … from `room`, one every `spacingMs` (paced, as a
 * player types, so frames are in flight together), and resolves once all of
 * them have come back as broadcasts; returns what came back, in arrival order,
 * with arrival times.
 */
async function chatRoundTrip(room: ArenaClientRoom, count: number, spacingMs: number, timeoutMs: number) {
  const received = collectMessages<ChatBroadcast>(room, "chat");
  const arrivals: number[] = [];
  room.onMessage("chat", () => arrivals.push(performance.now()));
  let sent = 0;
  const pacer = setInterval(() => {
    if (sent < count) room.send("chat", { text: String(sent++) });
  }, spacingMs);
  try {
    await waitFor(() => received.length >= count, { timeoutMs, message: () => `${count} chat lines back (got ${received.length})` });
  } finally {
    clearInterval(pacer);
  }
  return { texts: received.map((line) => line.text), arrivals };
}

/** Sends one input per tick (`tickHz`), moving left and right, until stopped. */
function playEveryTick(room: ArenaClientRoom, tickHz: number): () => void {
  const input = inputOf(room);
  let sent = 0;
  const timer = setInterval(() => {
    input.data.moveX = Math.floor(sent++ / 15) % 2 === 0 ? 1 : -1;
    input.send();
  }, 1000 / tickHz);
  return () => clearInterval(timer);
}

const numbered = (count: number) => Array.from({ length: count }, (_, i) => String(i));

describe("network simulator", () => {
  describe("schedule", () => {
    it("is the same for the same seed, and differs for another seed", () => {
      const profile = NETWORK_PROFILES.bad;
      expect(schedule(profile, 42, 500)).toStrictEqual(schedule(profile, 42, 500));
      expect(schedule(profile, 43, 500)).not.toStrictEqual(schedule(profile, 42, 500));
    });

    it("delays each direction by half the round trip when there is no jitter or loss", () => {
      const frames = schedule({ latencyMs: 100, jitterMs: 0, lossPercent: 0 }, 1, 20);
      frames.forEach((frame, i) => expect(frame.at).toBe(i * 5 + 50));
    });

    it("never reorders, even where jitter alone would", () => {
      const profile = { latencyMs: 60, jitterMs: 100, lossPercent: 0 };
      const frames = schedule(profile, 7, 300, 2);
      expect(isNonDecreasing(frames.map((frame) => frame.at))).toBe(true);
      // The same draws without holding back: later frames would overtake earlier ones.
      const random = mulberry32(7);
      const unordered = Array.from({ length: 300 }, (_, i) => scheduleFrame(profile, i * 2, -Infinity, random).at);
      expect(isNonDecreasing(unordered)).toBe(false);
    });

    it("holds a lost frame and everything behind it until the retransmission timeout has passed", () => {
      const profile = { latencyMs: 40, jitterMs: 0, lossPercent: 5 };
      const frames = schedule(profile, 3, 400);
      const lost = frames.findIndex((frame) => frame.lost);
      expect(lost).toBeGreaterThanOrEqual(0);
      const rto = retransmissionTimeoutMs(profile);
      expect(frames[lost].at).toBe(lost * 5 + 20 + rto);
      // The next frames, sent after it, arrive with it in one burst.
      expect(frames[lost + 1].at).toBe(frames[lost].at);
      const stalls = frames.filter((frame) => frame.lost).length;
      expect(stalls).toBeGreaterThan(5);
      expect(stalls).toBeLessThan(40);
    });

    it("waits at least 200 ms for a retransmission, longer on slow or jittery links (RFC 6298)", () => {
      expect(retransmissionTimeoutMs({ latencyMs: 5, jitterMs: 0, lossPercent: 1 })).toBe(200);
      expect(retransmissionTimeoutMs({ latencyMs: 250, jitterMs: 40, lossPercent: 5 })).toBe(410);
    });
  });

  describe("datagrams", () => {
    it("deliver each on its own schedule: a lost one is gone and holds nothing back", () => {
      const profile: NetworkProfile = { latencyMs: 100, jitterMs: 20, lossPercent: 10 };
      const random = mulberry32(7);
      const frames = Array.from({ length: 400 }, (_, i) => ({ sentAt: i * 5, ...scheduleDatagram(profile, i * 5, random) }));
      const lost = frames.filter((frame) => frame.lost).length;
      expect(lost).toBeGreaterThan(20);
      expect(lost).toBeLessThan(70);
      // No retransmission wait: every frame that arrives does so within one way's delay and jitter of its sending.
      for (const frame of frames.filter((each) => !each.lost)) expect(frame.at - frame.sentAt).toBeLessThanOrEqual(70);
      // Jitter alone may reorder datagrams.
      expect(isNonDecreasing(frames.filter((frame) => !frame.lost).map((frame) => frame.at))).toBe(false);
    });

    it("drop the frames that came on the DataChannel and hold back the WebSocket's behind a lost one", async () => {
      const arrived: IncomingFrame[] = [];
      const connection: TappableConnection = {
        send: () => {}, sendUnreliable: () => {},
        events: { onmessage: (event: IncomingFrame) => arrived.push(event), onclose: () => {} },
      };
      const simulator = attachNetworkSimulator({ connection }, { latencyMs: 2, jitterMs: 0, lossPercent: 50 }, 3);
      for (let i = 0; i < 100; i++) connection.events.onmessage!({ data: new ArrayBuffer(1), datagram: true });
      for (let i = 0; i < 100; i++) connection.events.onmessage!({ data: new ArrayBuffer(2) });
      await waitFor(() => arrived.filter((event) => !event.datagram).length === 100, { timeoutMs: 20_000, message: "every WebSocket frame" });
      const datagrams = arrived.filter((event) => event.datagram).length;
      expect(datagrams).toBe(100 - simulator.stats.datagramsLostIn);
      expect(simulator.stats.datagramsLostIn).toBeGreaterThan(30);
      expect(simulator.stats.stallsIn).toBeGreaterThan(30);
      simulator.detach();
    });
  });

  describe("profile from the page address", () => {
    it("is absent when the address asks for none", () => {
      expect(parseNetworkProfile("")).toStrictEqual({ ok: true, profile: undefined });
      expect(parseNetworkProfile("?renderer=canvas&netgraph=1")).toStrictEqual({ ok: true, profile: undefined });
    });

    it.each([
      ["?lag=150&jitter=20&loss=2", { latencyMs: 150, jitterMs: 20, lossPercent: 2 }],
      ["?lag=80", { latencyMs: 80, jitterMs: 0, lossPercent: 0 }],
      ["?loss=0.5", { latencyMs: 0, jitterMs: 0, lossPercent: 0.5 }],
      ["?net=mobile", NETWORK_PROFILES.mobile],
      ["?net=bad&loss=0", { ...NETWORK_PROFILES.bad, lossPercent: 0 }],
    ])("reads %s", (search, profile) => {
      expect(parseNetworkProfile(search)).toStrictEqual({ ok: true, profile });
    });

    it.each([
      ["?lag=abc", "?lag="],
      ["?lag=", "?lag="],
      ["?lag=-5", "?lag="],
      ["?jitter=1e9", "?jitter="],
      ["?loss=80", "?loss="],
      ["?lag=Infinity", "?lag="],
      ["?net=dialup", "dialup"],
    ])("refuses %s with a sentence naming it", (search, named) => {
      const request = parseNetworkProfile(search);
      expect(request.ok).toBe(false);
      if (!request.ok) expect(request.error).toContain(named);
    });

    it("refuses an invalid profile passed in code", () => {
      const room = { connection: { send() {}, sendUnreliable() {}, events: {} } };
      expect(() => attachNetworkSimulator(room, { latencyMs: -1, jitterMs: 0, lossPercent: 0 })).toThrow(/latencyMs/);
    });
  });

  describe("on a real connection", () => {
    // Numbered chat lines are the probe here: lift the chat rate limit for them.
    // Chat lines every 4 ms: far above the frame rate limit (which closes a flooder), to load the simulated link.
    const server = useTestServer({ reconnectSeconds: 10, chatBurst: 1000, security: { maxMessagesPerSecond: 1000 } });

    it("adds about the simulated round trip to the measured one", async () => {
      const direct = await joinPlayer(server(), "Direct");
      const delayed = await joinPlayer(server(), "Delayed");
      attachNetworkSimulator(delayed, { latencyMs: 100, jitterMs: 0, lossPercent: 0 }, 1);
      const stops = [playEveryTick(direct, server().config.tickHz), playEveryTick(delayed, server().config.tickHz)];
      // Each client's round-trip samples (one per acknowledged input), compared at their least:
      // a busy machine's stalls lengthen some samples on both paths (and hold the simulator's
      // timers late), and the least of each is the path itself.
      const samples = { direct: [] as number[], delayed: [] as number[] };
      const sample = () => {
        if (direct.clock.rtt() > 0) samples.direct.push(direct.clock.rtt());
        if (delayed.clock.rtt() > 0) samples.delayed.push(delayed.clock.rtt());
      };
      try {
        await waitFor(() => {
          sample();
          return inputOf(direct).lastProcessed >= 30 && inputOf(delayed).lastProcessed >= 30;
        }, { timeoutMs: 5000, message: "30 inputs acknowledged on both clients" });
      } finally {
        for (const stop of stops) stop();
      }
      const added = Math.min(...samples.delayed) - Math.min(...samples.direct);
      const seen = `least RTT ${Math.min(...samples.direct)} ms direct, ${Math.min(...samples.delayed)} ms delayed`;
      expect(added, seen).toBeGreaterThan(60);
      expect(added, seen).toBeLessThan(250);
    });

    it("keeps every message in order under heavy jitter", async () => {
      const room = await joinPlayer(server(), "Jittery");
      const simulator = attachNetworkSimulator(room, { latencyMs: 60, jitterMs: 100, lossPercent: 0 }, 2);
      const { texts } = await chatRoundTrip(room, 100, 4, 5000);
      expect(texts).toStrictEqual(numbered(100));
      expect(simulator.stats.framesOut).toBeGreaterThanOrEqual(100);
    });

    it("under 5 % loss stalls now and then, and loses or reorders nothing", async () => {
      const room = await joinPlayer(server(), "Lossy");
      const simulator = attachNetworkSimulator(room, { latencyMs: 20, jitterMs: 5, lossPercent: 5 }, 3);
      const { texts, arrivals } = await chatRoundTrip(room, 300, 4, 8000);
      expect(texts).toStrictEqual(numbered(300));
      expect(simulator.stats.stallsOut + simulator.stats.stallsIn).toBeGreaterThan(0);
      // A stall shows as a gap of about a retransmission timeout between two lines sent 4 ms apart.
      const longestGap = Math.max(...arrivals.slice(1).map((at, i) => at - arrivals[i]));
      expect(longestGap).toBeGreaterThan(150);
    });

    it("keeps working across the SDK's automatic reconnection", async () => {
      const room = await joinPlayer(server(), "Cut");
      room.reconnection.minUptime = 0;
      const simulator = attachNetworkSimulator(room, { latencyMs: 80, jitterMs: 20, lossPercent: 0 }, 4);
      let reconnects = 0;
      room.onReconnect(() => reconnects++);
      rawSocketOf(room).terminate();
      await waitFor(() => reconnects === 1, { timeoutMs: 5000, message: "the room to reconnect" });
      const framesBefore = simulator.stats.framesIn;
      const { texts } = await chatRoundTrip(room, 20, 4, 5000);
      expect(texts).toStrictEqual(numbered(20));
      expect(simulator.stats.framesIn).toBeGreaterThan(framesBefore);
    });

    it("once detached, passes frames straight through again", async () => {
      const room = await joinPlayer(server(), "Detached");
      const send = room.connection.send;
      const simulator = attachNetworkSimulator(room, NETWORK_PROFILES.broadband, 5);
      expect(room.connection.send).not.toBe(send);
      simulator.detach();
      expect(room.connection.send).toBe(send);
      const { texts } = await chatRoundTrip(room, 10, 2, 2000);
      expect(texts).toStrictEqual(numbered(10));
      expect(simulator.stats.heldOut + simulator.stats.heldIn).toBe(0);
    });
  });
});

import { rawSocketOf } from "../../testkit/sdkOverWs.ts";
import { describe, expect, it } from "vitest";
import { KickCode } from "../../shared/protocol.ts";
import {
  nextMessage, sendInput, useTestServer, waitFor, waitForTicks, type ArenaClientRoom, type TestServer,
} from "../helpers/server.ts";

/**
 * One line of the text exposition format: `name{label="value",…} value`. The
 * value is what Go's ParseFloat reads, which takes NaN in any case: prom-client
 * writes `Nan` (e.g. the event-loop lag mean before its first sample).
 */
const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.]+(?:e[+-]?[0-9]+)?|[Nn][Aa][Nn]|[+-]Inf)$/;

interface Scrape {
  /** Every sample by its name and labels as written, e.g. `arena_chat_messages_total{result="sent"}`. */
  samples: Map<string, number>;
  /** Metric families declared by `# TYPE` lines, with their type. */
  types: Map<string, string>;
  contentType: string | null;
}

/** GET /metrics, parsed strictly: a line that is neither a comment nor a sample fails the test. */
async function scrape(server: TestServer): Promise<Scrape> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  const scraped: Scrape = { samples: new Map(), types: new Map(), contentType: response.headers.get("content-type") };
  for (const line of (await response.text()).split("\n")) {
    if (line === "") continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) scraped.types.set(type[1], type[2]);
    if (line.startsWith("#")) continue;
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    scraped.samples.set(sample[1] + (sample[2] ?? ""), Number(sample[3]));
  }
  return scraped;
}

/** A sample's value; a missing sample fails the test (it would be a renamed or unregistered metric). */
function valueOf(scraped: Scrape, sample: string): number {
  const value = scraped.samples.get(sample);
  if (value === undefined) throw new Error(`no sample ${sample} in the scrape`);
  return value;
}

/** The SDK skips reconnecting during the first 5 s of a room by default; this client must not. */
function reconnectAtOnce(room: ArenaClientRoom): ArenaClientRoom {
  room.reconnection.minUptime = 0;
  return room;
}

/** Sends one input from each room per server tick, for `ticks` ticks. */
async function playFor(server: TestServer, rooms: ArenaClientRoom[], ticks: number): Promise<void> {
  for (let tick = 0; tick < ticks; tick++) {
    for (const room of rooms) sendInput(room, { moveX: tick % 20 < 10 ? 1 : -1, moveY: 0, aim: 0, fire: false });
    await waitForTicks(server, rooms[0].roomId, 1);
  }
}

describe("GET /metrics", () => {
  describe("the exposition", () => {
    const server = useTestServer();

    it("answers 200 in the Prometheus text format, every line a comment or a sample", async () => {
      const scraped = await scrape(server());
      expect(scraped.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(scraped.samples.size).toBeGreaterThan(20);
    });

    it("declares Arena's metrics with their types, and Node's process metrics", async () => {
      const { types } = await scrape(server());
      const arena = Object.fromEntries([...types].filter(([name]) => name.startsWith("arena_")));
      expect(arena).toEqual({
        arena_rooms: "gauge",
        arena_connected_clients: "gauge",
        arena_players: "gauge",
        arena_spectators: "gauge",
        arena_bots: "gauge",
        arena_tick_duration_seconds: "histogram",
        arena_tick_with_patch_seconds: "histogram",
        arena_patch_bytes_total: "counter",
        arena_inputs_received_total: "counter",
        arena_inputs_applied_total: "counter",
        arena_inputs_dropped_total: "counter",
        arena_reconnects_total: "counter",
        arena_drops_total: "counter",
        arena_kicks_total: "counter",
        arena_messages_rejected_total: "counter",
        arena_refused_total: "counter",
        arena_chat_messages_total: "counter",
        arena_matches_total: "counter",
        arena_kills_total: "counter",
        arena_cluster_processes: "gauge",
        arena_cluster_rooms: "gauge",
        arena_cluster_connected_clients: "gauge",
        arena_registry_up: "gauge",
        arena_registry_outages_total: "counter",
        arena_rooms_migrated_total: "counter",
        arena_room_move_pause_seconds: "histogram",
        arena_datagram_channels: "gauge",
        arena_datagram_channels_total: "counter",
      });
      expect(types.get("process_cpu_seconds_total")).toBe("counter");
      expect(types.get("process_resident_memory_bytes")).toBe("gauge");
      expect(types.get("nodejs_heap_size_used_bytes")).toBe("gauge");
    });

    // Tests boot one server after another in this process: each has a registry of its own.
    it("starts every server from zero (a registry per server, not the global one)", async () => {
      const scraped = await scrape(server());
      expect(valueOf(scraped, "arena_rooms")).toBe(0);
      expect(valueOf(scraped, "arena_inputs_applied_total")).toBe(0);
      expect(valueOf(scraped, "arena_tick_duration_seconds_count")).toBe(0);
      // Without Redis the registry is this process's memory: always up.
      expect(valueOf(scraped, "arena_registry_up")).toBe(1);
      expect(valueOf(scraped, "arena_registry_outages_total")).toBe(0);
    });
  });

  describe("while two players play", () => {
    const server = useTestServer({ reconnectSeconds: 10 });

    it("counts the players, their inputs, the ticks and the patch bytes", async () => {
      const ann = await server().connect("Ann");
      const bob = await server().connect("Bob");
      expect(bob.roomId).toBe(ann.roomId);

      await playFor(server(), [ann, bob], server().config.tickHz); // 1 s of ticks
      const inputs = [ann, bob].map((room) => server().serverRoom(room.roomId).inputs.get(room.sessionId));
      await waitFor(() => inputs.every((queue) => queue.size === 0), { message: "the server to apply every input sent" });

      const first = await scrape(server());
      expect(valueOf(first, "arena_rooms")).toBe(1);
      expect(valueOf(first, "arena_players")).toBe(2);
      expect(valueOf(first, "arena_connected_clients")).toBe(2);
      expect(valueOf(first, "arena_spectators")).toBe(0);
      expect(valueOf(first, "arena_bots")).toBe(0);
      // One process: the deployment is this process.
      expect([valueOf(first, "arena_cluster_processes"), valueOf(first, "arena_cluster_rooms"), valueOf(first, "arena_cluster_connected_clients")]).toEqual([1, 1, 2]);
      expect(valueOf(first, "arena_inputs_received_total")).toBe(60);
      expect(valueOf(first, "arena_inputs_applied_total")).toBeGreaterThanOrEqual(20);
      expect(valueOf(first, "arena_tick_duration_seconds_count")).toBeGreaterThanOrEqual(25);
      expect(valueOf(first, "arena_tick_with_patch_seconds_count")).toBeGreaterThanOrEqual(25);
      expect(valueOf(first, "arena_tick_duration_seconds_sum")).toBeGreaterThan(0);
      expect(valueOf(first, 'arena_tick_duration_seconds_bucket{le="+Inf"}')).toBe(valueOf(first, "arena_tick_duration_seconds_count"));
      expect(valueOf(first, "arena_patch_bytes_total")).toBeGreaterThan(0);
      // Every input received is either applied or dropped for a reason (none pending: checked above).
      const dropped = ["backlog", "buffer", "spectator"].reduce((sum, reason) => sum + valueOf(first, `arena_inputs_dropped_total{reason="${reason}"}`), 0);
      expect(valueOf(first, "arena_inputs_applied_total") + dropped).toBe(60);

      await playFor(server(), [ann, bob], 3);
      const second = await scrape(server());
      expect(valueOf(second, "arena_patch_bytes_total")).toBeGreaterThan(valueOf(first, "arena_patch_bytes_total"));
      expect(valueOf(second, "arena_tick_duration_seconds_count")).toBeGreaterThan(valueOf(first, "arena_tick_duration_seconds_count"));
    });

    it("counts a connection cut as a drop, then its return as a reconnect", async () => {
      const ann = reconnectAtOnce(await server().connect("Ann"));
      await server().connect("Bob");
      let reconnected = false;
      ann.onReconnect(() => { reconnected = true; });

      rawSocketOf(ann).terminate();
      await waitFor(() => reconnected, { timeoutMs: 5000, message: "Ann to reconnect" });

      const scraped = await scrape(server());
      expect(valueOf(scraped, "arena_drops_total")).toBe(1);
      expect(valueOf(scraped, "arena_reconnects_total")).toBe(1);
      for (const reason of ["error", "invalid_messages", "message_flood"]) expect(valueOf(scraped, `arena_kicks_total{reason="${reason}"}`)).toBe(0);
      expect(valueOf(scraped, "arena_players")).toBe(2);
      expect(valueOf(scraped, "arena_connected_clients")).toBe(2);
    });

    it("counts unknown messages as rejected, and the client kicked for too many of them as a kick, not a drop", async () => {
      const ann = await server().connect("Ann");
      let closeCode: number | undefined;
      ann.onLeave((code) => { closeCode = code; });
      const { maxInvalidMessages } = server().config.security;

      for (let i = 0; i <= maxInvalidMessages; i++) (ann as unknown as { send(type: string): void }).send("noSuchMessage");
      await waitFor(() => closeCode !== undefined, { message: "the server to close Ann's connection" });

      expect(closeCode).toBe(KickCode.invalidMessages);
      const scraped = await scrape(server());
      expect(valueOf(scraped, 'arena_messages_rejected_total{reason="unknown_type"}')).toBe(maxInvalidMessages + 1);
      expect(valueOf(scraped, 'arena_kicks_total{reason="invalid_messages"}')).toBe(1);
      expect(valueOf(scraped, "arena_drops_total")).toBe(0);
      expect(valueOf(scraped, "arena_players")).toBe(0);
    });

    it("counts chat lines sent and rejected", async () => {
      const ann = await server().connect("Ann");
      const before = await scrape(server());
      expect(valueOf(before, 'arena_chat_messages_total{result="sent"}')).toBe(0);

      const echo = new Promise<void>((resolve) => ann.onMessage("chat", (line: { from: string }) => { if (line.from !== "") resolve(); }));
      ann.send("chat", { text: "gg" });
      await echo;
      const rejected = nextMessage(ann, "chatRejected");
      ann.send("chat", { text: "   " });
      await rejected;

      const after = await scrape(server());
      expect(valueOf(after, 'arena_chat_messages_total{result="sent"}')).toBe(1);
      expect(valueOf(after, 'arena_chat_messages_total{result="rejected"}')).toBe(1);
    });
  });

  describe("with bots and a spectator", () => {
    const server = useTestServer({ minPlayers: 3 });

    it("counts people, bots and spectators apart; CCU is the people connected", async () => {
      const ann = await server().connect("Ann");
      const serverRoom = server().serverRoom(ann.roomId);
      await waitFor(() => serverRoom.world.players.size === 3, { message: "bots to fill the room to 3 players" });
      const spectator = await (await server().client()).joinById(ann.roomId, { spectate: true, name: "Sam" });
      try {
        await waitFor(() => serverRoom.state.spectators === 1, { message: "the spectator to be seated" });
        const scraped = await scrape(server());
        expect(valueOf(scraped, "arena_players")).toBe(1);
        expect(valueOf(scraped, "arena_bots")).toBe(2);
        expect(valueOf(scraped, "arena_spectators")).toBe(1);
        expect(valueOf(scraped, "arena_connected_clients")).toBe(2);
      } finally {
        await spectator.leave(true);
      }
    });
  });
});

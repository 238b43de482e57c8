// First: the benchmark's bots need the SDK on the `ws` package (see the module).
import "../../testkit/sdkOverWs.ts";
import { Client, type Room } from "@colyseus/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { BaselineServer } from "../../bench/baseline/baselineServer.ts";
import { createPlainSchemaServer } from "../../bench/baseline/plainSchemaServer.ts";
import { createFloorServer } from "../../bench/baseline/floorServer.ts";
import { createSeedsServer } from "../../bench/baseline/seedsServer.ts";
import type { SeedsStateMessage, SeedsWelcomeMessage } from "../../testkit/seedsWire.ts";
import { connectBot, everyTick, type NetBot, type ServerKind } from "../../testkit/netBots.ts";
import { ROOM_NAME, type ArenaView } from "../../shared/protocol.ts";
import { makeRules } from "../../shared/rules.ts";
import { waitFor } from "../helpers/server.ts";

/**
 * The benchmark's baselines (npm run bench) must really play the game: the
 * shared rules run, bots' inputs move their players, and state reaches the
 * clients. Behaviour only: the benchmark itself measures, this never times.
 * One of the two test files allowed to import bench/ (with loadtest.test.ts):
 * the code under test here is the benchmark's baselines, not a shared helper.
 */
const rules = makeRules({ matchSeconds: 3600 });
const options = { host: "127.0.0.1", port: 0, rules, seed: 1, maxPlayers: 16 };

/** What an observer saw of a player: where it was first seen, and now. */
interface Sighting {
  firstX: number;
  firstY: number;
  x: number;
  y: number;
}

const moved = (seen: Sighting | undefined) => seen !== undefined && Math.hypot(seen.x - seen.firstX, seen.y - seen.firstY) >= 30;

function sight(sightings: Map<string, Sighting>, id: string, x: number, y: number): void {
  const seen = sightings.get(id);
  if (seen) Object.assign(seen, { x, y });
  else sightings.set(id, { firstX: x, firstY: y, x, y });
}

describe("benchmark baselines", () => {
  let server: BaselineServer | undefined;
  let bots: NetBot[] = [];
  let stopPlaying: (() => void) | undefined;
  const cleanups: Array<() => unknown> = [];

  afterEach(async () => {
    stopPlaying?.();
    stopPlaying = undefined;
    await Promise.allSettled(bots.map((bot) => bot.close()));
    bots = [];
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await server?.close();
    server = undefined;
  });

  /** Starts `server` and two of the benchmark's bots playing on it with the shared bot brain. */
  async function playOn(kind: ServerKind, started: BaselineServer): Promise<string> {
    server = started;
    const url = `http://127.0.0.1:${await started.listen()}`;
    for (const name of ["Bench 1", "Bench 2"]) bots.push(await connectBot(kind, { url, name, rules, seed: 3 }));
    stopPlaying = everyTick(rules.tickHz, (tick) => bots.forEach((bot) => bot.play(tick)));
    return url;
  }

  describe("the seeds' method (full JSON state over plain ws)", () => {
    it("runs the shared game, and sends every client the whole state every tick", async () => {
      const url = await playOn("seeds", createSeedsServer(options));
      const observer = new WebSocket(`${url.replace("http", "ws")}/?name=Observer`);
      cleanups.push(() => observer.terminate());
      const sightings = new Map<string, Sighting>();
      const states: SeedsStateMessage[] = [];
      let ownId = "";
      observer.on("message", (data: Buffer) => {
        const message = JSON.parse(data.toString("utf8")) as SeedsWelcomeMessage | SeedsStateMessage;
        if (message.type === "welcome") {
          ownId = message.id;
          return;
        }
        states.push(message);
        for (const [id, player] of Object.entries(message.players)) sight(sightings, id, player.x, player.y);
      });

      await waitFor(() => bots.every((bot) => moved(sightings.get(bot.id))), {
        timeoutMs: 8000, message: () => `both bots to move 30 u (saw ${JSON.stringify([...sightings])})`,
      });
      expect(ownId).not.toBe("");
      // Full state, not deltas: every message names every player, and one comes per tick.
      const last = states.slice(-10);
      for (const state of last) expect(Object.keys(state.players).sort()).toEqual([ownId, ...bots.map((bot) => bot.id)].sort());
      expect(last.at(-1)!.tick - last[0].tick).toBe(last.length - 1);
      expect(last.at(-1)!.phase).toBe("playing");
      for (const bot of bots) {
        expect(bot.traffic().statesReceived).toBeGreaterThan(0);
        expect(bot.traffic().sentBytes).toBeGreaterThan(0);
      }
    });
  });

  describe("the seeds' method with more players than a room seats", () => {
    it("opens another room (another world) for the players beyond maxPlayers", async () => {
      server = createSeedsServer({ ...options, maxPlayers: 2 });
      const url = `ws://127.0.0.1:${await server.listen()}`;
      const clients: Array<{ id: string; latest?: SeedsStateMessage }> = [];
      for (const name of ["A", "B", "C"]) {
        const socket = new WebSocket(`${url}/?name=${name}`);
        cleanups.push(() => socket.terminate());
        const client: { id: string; latest?: SeedsStateMessage } = { id: "" };
        clients.push(client);
        await new Promise<void>((resolve, reject) => {
          socket.once("error", reject);
          socket.on("message", (data: Buffer) => {
            const message = JSON.parse(data.toString("utf8")) as SeedsWelcomeMessage | SeedsStateMessage;
            if (message.type === "welcome") {
              client.id = message.id;
              resolve();
            } else client.latest = message;
          });
        });
      }
      const [a, b, c] = clients;
      const seen = (client: typeof a) => Object.keys(client.latest?.players ?? {}).sort();
      await waitFor(() => seen(a).length === 2 && seen(b).length === 2 && seen(c).length === 1, {
        timeoutMs: 8000, message: () => `two rooms (saw ${JSON.stringify(clients.map(seen))})`,
      });
      expect(seen(a)).toEqual([a.id, b.id].sort());
      expect(seen(b)).toEqual(seen(a));
      expect(seen(c)).toEqual([c.id]);
    });
  });

  describe("the floor (a bare ws server, one fixed frame per client per tick)", () => {
    it("sends every client frames of the given size at the tick rate, and drops whatever clients send", async () => {
      await playOn("floor", createFloorServer({ ...options, frameBytes: 123 }));
      await waitFor(() => bots.every((bot) => bot.traffic().statesReceived >= rules.tickHz), {
        timeoutMs: 8000, message: () => `a second of frames (saw ${bots.map((bot) => bot.traffic().statesReceived)})`,
      });
      for (const bot of bots) {
        expect(new Set(bot.stateSizes())).toEqual(new Set([123]));
        expect(bot.traffic().sentBytes).toBeGreaterThan(0);
        expect(bot.lostWithCode()).toBeUndefined();
      }
    });
  });

  describe("the plain Colyseus schema room", () => {
    it("runs the shared game in a Colyseus room that clients join as \"arena\"", async () => {
      const url = await playOn("plain-schema", createPlainSchemaServer(options));
      const observer: Room<any, ArenaView> = await new Client(url).joinOrCreate<ArenaView>(ROOM_NAME, { name: "Observer" });
      cleanups.push(() => observer.leave(true).catch(() => undefined));
      const sightings = new Map<string, Sighting>();
      observer.onStateChange((state) => state.players?.forEach((player, id) => sight(sightings, id, player.x, player.y)));

      await waitFor(() => bots.every((bot) => moved(sightings.get(bot.id))), {
        timeoutMs: 8000, message: () => `both bots to move 30 u (saw ${JSON.stringify([...sightings])})`,
      });
      expect(observer.state.players.size).toBe(3);
      expect(observer.state.phase).toBe("playing");
      expect(observer.state.players.get(bots[0].id)?.hp).toBeGreaterThan(0);
      for (const bot of bots) {
        expect(bot.traffic().statesReceived).toBeGreaterThan(0);
        expect(bot.traffic().sentBytes).toBeGreaterThan(0);
      }
    });
  });
});

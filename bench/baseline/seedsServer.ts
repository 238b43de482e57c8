/**
 * Baseline (b), "the seeds' method": the naive way to network this game. A
 * plain `ws` WebSocket server runs the same shared `stepWorld` at the same
 * tick rate (one world per room of `maxPlayers`) and, every tick, sends
 * every client the FULL state (the public contract's fields) as JSON;
 * clients send their inputs as JSON. No deltas, no
 * binary encoding. The state is serialised once per tick and the same string
 * goes to everyone (kinder to the baseline's CPU than serialising per client).
 * A benchmark fixture, not product code.
 *
 * Wire: connect to `ws://host:port/?name=…`; the server answers
 * `{ type: "welcome", id, tickHz }`, then `{ type: "state", … }` every tick
 * (see `SeedsStateMessage`). Clients send `{ type: "input", moveX, moveY, aim, fire }`.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { cleanName, generatedName } from "../../shared/names.ts";
import { spawnPlayer } from "../../shared/spawning.ts";
import { createWorld, stepWorld } from "../../shared/world.ts";
import { newPlayer, type WorldEvent, type WorldState } from "../../shared/worldState.ts";
import type { ProjectileView } from "../../shared/protocol.ts";
import { hashString } from "../../shared/rng.ts";
import type { MatchRules } from "../../shared/rules.ts";
import type { BaselineServer, BaselineServerOptions } from "./baselineServer.ts";
import { fixedStep } from "./fixedStep.ts";
import type { SeedsPlayer, SeedsStateMessage, SeedsWelcomeMessage } from "../../testkit/seedsWire.ts";
import { QueuedInputs } from "./inputQueue.ts";

/**
 * The seeds' JSON server; `listen()` resolves with the bound port. Players
 * fill one room (a world of its own) up to `maxPlayers` before the next opens,
 * as quick play does; every room steps on the same timer.
 */
export function createSeedsServer(options: BaselineServerOptions): BaselineServer {
  const { rules } = options;
  const rooms: SeedsRoom[] = [];
  const startedAt = performance.now();
  let wss: WebSocketServer | undefined;
  let loop: { stop(): void } | undefined;

  const seat = (socket: WebSocket, requested: string | null) => {
    let room = rooms.find((candidate) => candidate.world.players.size < options.maxPlayers);
    if (!room) rooms.push(room = new SeedsRoom(createWorld(options.seed + rooms.length, rules), rules));
    room.seat(socket, requested);
  };

  const tick = () => {
    const tickStartedMs = Math.round(performance.now() - startedAt);
    for (const room of rooms) room.tick(tickStartedMs);
  };

  return {
    listen: () => new Promise<number>((resolve, reject) => {
      const server = new WebSocketServer({ host: options.host, port: options.port, perMessageDeflate: false });
      wss = server;
      server.once("error", reject);
      server.once("listening", () => {
        loop = fixedStep(tick, rules.tickHz);
        resolve((server.address() as AddressInfo).port);
      });
      server.on("connection", (socket, request) => {
        seat(socket, new URL(request.url ?? "/", "http://localhost").searchParams.get("name"));
      });
    }),
    close: () => new Promise<void>((resolve) => {
      loop?.stop();
      for (const room of rooms) for (const socket of room.sockets.values()) socket.terminate();
      if (wss) wss.close(() => resolve());
      else resolve();
    }),
  };
}

/** One game of the seeds' server: its world, its players' sockets and inputs. */
class SeedsRoom {
  readonly world: WorldState;
  readonly sockets = new Map<string, WebSocket>();
  private readonly rules: MatchRules;
  private readonly inputs = new QueuedInputs();
  private readonly events: WorldEvent[] = [];
  /** When each projectile in flight was fired (ms since the server started): the world keeps ticks, the wire times. */
  private readonly bornMs = new Map<string, number>();

  constructor(world: WorldState, rules: MatchRules) {
    this.world = world;
    this.rules = rules;
  }

  seat(socket: WebSocket, requested: string | null): void {
    const { world, rules } = this;
    const id = randomBytes(6).toString("base64url").slice(0, 9);
    const player = newPlayer(cleanName(requested) ?? generatedName(hashString(id)), world.players.size % 16);
    spawnPlayer(world, id, player, rules);
    world.players.set(id, player);
    this.sockets.set(id, socket);
    socket.send(JSON.stringify({ type: "welcome", id, tickHz: rules.tickHz } satisfies SeedsWelcomeMessage));
    socket.on("message", (data) => {
      let message: { type?: unknown };
      try {
        message = JSON.parse(String(data)) as { type?: unknown };
      } catch {
        return; // not JSON: ignored, as a naive server would
      }
      if (message.type === "input") this.inputs.push(id, message);
    });
    socket.on("close", () => {
      this.sockets.delete(id);
      world.players.delete(id);
      this.inputs.forget(id);
    });
  }

  tick(tickStartedMs: number): void {
    const { world, bornMs } = this;
    stepWorld(world, this.inputs.forTick(), this.rules, this.events);
    this.inputs.clear();
    this.events.length = 0;
    for (const id of world.projectiles.keys()) if (!bornMs.has(id)) bornMs.set(id, tickStartedMs);
    for (const id of bornMs.keys()) if (!world.projectiles.has(id)) bornMs.delete(id);
    const frame = JSON.stringify(seedsStateMessage(world, bornMs));
    for (const socket of this.sockets.values()) socket.send(frame);
  }
}

/** The full-state message of `world` (the public contract's fields), as the seeds' server sends it every tick. */
export function seedsStateMessage(world: WorldState, bornMs: ReadonlyMap<string, number> = new Map()): SeedsStateMessage {
  const players: Record<string, SeedsPlayer> = {};
  world.players.forEach((p, id) => {
    players[id] = {
      name: p.name, x: p.x, y: p.y, vx: p.vx, vy: p.vy, aim: p.aim, hp: p.hp, score: p.score, deaths: p.deaths,
      alive: p.alive, shielded: p.shielded, connected: p.connected, bot: p.bot, color: p.color,
    };
  });
  const projectiles: Record<string, ProjectileView> = {};
  world.projectiles.forEach((shot, id) => {
    projectiles[id] = { x: shot.x, y: shot.y, vx: shot.vx, vy: shot.vy, owner: shot.owner, bornMs: bornMs.get(id) ?? 0 };
  });
  return {
    type: "state", tick: world.tick, phase: world.phase, timeLeft: world.timeLeft, matchNumber: world.matchNumber,
    spectators: 0, players, projectiles,
  };
}

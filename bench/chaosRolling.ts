/**
 * Rolling restarts under play (`npm run chaos -- --rolling`): several game
 * server processes on a Redis of the run's own, bots playing in rooms spread
 * over them, and each process replaced in turn, `--rounds` times: a successor
 * starts on the same port (it shares it), the old process gets SIGTERM and its
 * rooms move to the successor mid-match. With `--new-addresses` each
 * successor listens at a loopback address of its own instead (127.0.0.5, .6,
 * …, after the first processes' 127.0.0.2-4), with its own PUBLIC_ADDRESS:
 * rooms move to whichever live process has the fewest players, and the bots
 * follow them through the matchmaker as the browser client does. With
 * `--scale-down` no process is replaced: an admin's POST /api/admin/drain
 * removes processes one by one down to one. Prints rooms moved, seats lost,
 * scores lost, state-hash mismatches, each player's pause (p50/p99/max) and
 * the inputs lost in the moves; writes bench/results/chaos-rolling.json
 * (chaos-rolling-new-addresses.json, chaos-scale-down.json).
 *
 *   --procs 3 --bots 96 --rooms 6 --rounds 3 --settle 3
 *   --database URL  the PostgreSQL the processes keep player records in (DATABASE_URL,
 *                   else postgres://postgres@127.0.0.1:5432/postgres), as a cluster must
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import type { Room } from "@colyseus/sdk";
import { guestClient } from "../client/net/auth.ts";
import { configureReconnection } from "../client/net/reconnection.ts";
import { followRoomMoves } from "../client/net/roomFollow.ts";
import { ROOM_NAME, type ArenaView, type PlayerInput } from "../shared/protocol.ts";
import { mulberry32 } from "../shared/rng.ts";
import { startOwnRedis } from "../testkit/redisServer.ts";
import { percentile, progress, table, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { freePort, startServerProcess, type ServerProcess } from "../testkit/serverProcess.ts";
import { sendWanderingInput } from "./lib/wander.ts";

const TICK_MS = 1000 / 30;
/** How long a round waits for every bot of a moved room to be back before it counts the rest as lost. */
const BACK_DEADLINE_MS = 30_000;

interface Bot {
  name: string;
  room: Room;
  sessionId: string;
  input: PlayerInput;
  /** Set while the bot's room is moving: when its connection dropped, the last patch before, and its score then. */
  away?: { at: number; frozenAt: number; score: number };
  /** When the last patch arrived. */
  patchAt: number;
  /** Set when the room closed under the bot (not a leave of its own). */
  lostWith?: number;
  inputsWhileAway: number;
}

/** Runs the rolling-restart chaos; resolves with the exit status (0 when every goal is met). */
export async function runRollingChaos(args: readonly string[]): Promise<number> {
  const newAddresses = args.includes("--new-addresses");
  const scaleDown = args.includes("--scale-down");
  const argv = args.filter((arg) => arg !== "--new-addresses" && arg !== "--scale-down");
  const { flags: options, positional } = toolFlags("chaos --rolling", argv, {
    procs: 3, bots: 96, rooms: 6, rounds: 3, settle: 3, seed: 1,
    database: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  });
  if (positional.length > 0) usageError("chaos --rolling", `unexpected argument ${JSON.stringify(positional[0])}`);
  // The SDK narrates every reconnection on console.info.
  console.info = () => {};
  const show = progress();
  const random = mulberry32(options.seed);
  const redis = await startOwnRedis();
  const env = {
    REDIS_URL: redis.url, DATABASE_URL: options.database, AUTH_SECRET: randomBytes(32).toString("base64url"),
    MIN_PLAYERS: "0", MAX_PLAYERS: String(Math.ceil(options.bots / options.rooms)), MATCH_SECONDS: "3600", RECONNECT_SECONDS: "60",
  };
  const adminPassword = randomBytes(16).toString("base64url");
  // In place every process keeps 127.0.0.1 and its port; otherwise each has an address of its own.
  let nextHost = 2;
  const hostFor = () => (newAddresses || scaleDown ? `127.0.0.${nextHost++}` : "127.0.0.1");
  const startAt = async (port: number, host: string) => {
    const server = await startServerProcess({ ...env, ADMIN_PASSWORD: adminPassword, HOST: host, PORT: String(port), PUBLIC_ADDRESS: `${host}:${port}` });
    return { server, url: `http://${host}:${port}` };
  };
  const ports: number[] = [];
  const live: Array<{ server: ServerProcess; url: string }> = [];
  const every: ServerProcess[] = [];
  // A run that fails midway leaves no server or Redis of its own behind.
  process.once("exit", () => {
    for (const { child } of every) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (redis.pid !== undefined) process.kill(redis.pid, "SIGKILL");
  });
  for (let i = 0; i < options.procs; i++) {
    ports.push(await freePort());
    live.push(await startAt(ports[i]!, hostFor()));
  }
  every.push(...live.map(({ server }) => server));
  /** The processes a load balancer would send a request to: live, not draining. */
  const routable = new Set(live);
  const matchmaker = () => [...routable][0]!.url;

  const bots: Bot[] = [];
  const roomIds: string[] = [];
  /** Per player and move: from the last patch before the move to the first one after (the world stood still that long). */
  const pausesMs: number[] = [];
  /** Per player and move: from the connection dropping to the SDK's reconnection. */
  const reconnectsMs: number[] = [];
  let scoresLost = 0;
  let seatsMoved = 0;
  const join = async (roomIndex: number, through: string, name: string) => {
    const client = await guestClient(through, name);
    const room = roomIds[roomIndex] === undefined ? await client.create(ROOM_NAME, { name }) : await client.joinById(roomIds[roomIndex]!, { name });
    roomIds[roomIndex] ??= room.roomId;
    configureReconnection(room); // the browser client's own policy
    if (newAddresses || scaleDown) followRoomMoves(room, matchmaker); // and its following of a moved room
    const bot: Bot = { name, room, sessionId: room.sessionId, input: { moveX: 0, moveY: 0, aim: 0, fire: false }, inputsWhileAway: 0, patchAt: 0 };
    room.onMessage("*", () => {});
    room.onStateChange(() => { bot.patchAt = performance.now(); });
    room.onDrop(() => { bot.away = { at: performance.now(), frozenAt: bot.patchAt, score: scoreOf(bot) }; });
    room.onReconnect(() => {
      if (!bot.away) return;
      reconnectsMs.push(performance.now() - bot.away.at);
      seatsMoved++;
      // The state resync follows the reconnection: the score is read, and the pause ends, on the next patch.
      const { score, frozenAt } = bot.away;
      bot.away = undefined;
      room.onStateChange.once(() => {
        pausesMs.push(performance.now() - frozenAt);
        if (room.sessionId !== bot.sessionId || scoreOf(bot) < score) scoresLost++;
      });
    });
    room.onLeave((code) => { bot.lostWith ??= code; });
    bots.push(bot);
  };
  // Rooms are created through the first process; placement spreads them over all of them.
  for (let roomIndex = 0; roomIndex < options.rooms; roomIndex++) await join(roomIndex, live[0]!.url, `Host ${roomIndex}`);
  for (let index = options.rooms; index < options.bots; index++) {
    await join(index % options.rooms, live[index % live.length]!.url, `Bot ${index}`);
    show(`seating bots ${index + 1}/${options.bots}`);
  }

  const play = setInterval(() => {
    for (const bot of bots) {
      if (bot.lostWith !== undefined) continue;
      if (bot.away) {
        bot.inputsWhileAway++;
        continue;
      }
      sendWanderingInput(bot.room, bot.input, random);
    }
  }, TICK_MS);

  await sleep(options.settle * 1000);
  const roomsPerProcess = await Promise.all(live.map(async ({ url }) => ((await (await fetch(`${url}/healthz`)).json()) as { rooms: number }).rooms));
  /** Drains `old` (SIGTERM, or the admin's route through another process), then waits for every bot to be back. */
  const drain = async (old: { server: ServerProcess; url: string }) => {
    routable.delete(old);
    if (scaleDown) {
      const processId = ((await (await fetch(`${old.url}/healthz`)).json()) as { processId: string }).processId;
      await fetch(`${matchmaker()}/api/admin/drain`, {
        method: "POST", body: JSON.stringify({ processId }),
        headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`admin:${adminPassword}`).toString("base64")}` },
      });
    } else {
      old.server.child.kill("SIGTERM");
    }
    await old.server.exited;
    const deadline = performance.now() + BACK_DEADLINE_MS;
    while (bots.some((bot) => bot.away && bot.lostWith === undefined) && performance.now() < deadline) await sleep(50);
    await sleep(options.settle * 1000);
  };
  if (scaleDown) {
    while (live.length > 1) {
      show(`scaling down: ${live.length} → ${live.length - 1} processes`);
      await drain(live.shift()!);
    }
  }
  for (let round = 1; round <= (scaleDown ? 0 : options.rounds); round++) {
    for (let i = 0; i < live.length; i++) {
      show(`round ${round}/${options.rounds}: replacing process ${i + 1}/${live.length}`);
      const port = newAddresses ? await freePort() : ports[i]!;
      const successor = await startAt(port, hostFor());
      every.push(successor.server);
      routable.add(successor);
      const old = live[i]!;
      live[i] = successor;
      await drain(old);
    }
  }
  clearInterval(play);
  process.stderr.write("\n");

  const logged = (msg: string) => every.flatMap((server) => server.logs.filter((line) => line.msg === msg));
  const departures = logged("room moved");
  const arrivals = logged("room arrived");
  const hashMismatches = logged("room arrived with another state hash").length
    + departures.filter((gone) => !arrivals.some((came) => came.roomId === gone.roomId && came.hash === gone.hash)).length;
  const figures = {
    mode: scaleDown ? "scale-down" : newAddresses ? "new-addresses" : "in-place",
    processes: options.procs, bots: options.bots, rooms: options.rooms, rounds: scaleDown ? 0 : options.rounds,
    restarts: scaleDown ? options.procs - 1 : options.rounds * options.procs,
    roomsPerProcess,
    roomsMoved: departures.length,
    fallbacks: logged("room not moved: draining it here").length,
    seatsMoved,
    seatsLost: bots.filter((bot) => bot.lostWith !== undefined || bot.away !== undefined).length,
    scoresLost,
    hashMismatches,
    pauseMs: spread(pausesMs),
    reconnectMs: spread(reconnectsMs),
    // How long each room stood still on its old process before its clients were sent on.
    handoverMs: spread(departures.map((line) => Number(line.handoverMs))),
    // Of it: stopping, packing and leaving the registry; the new process's restore (from the request to its answer).
    detachedMs: spread(departures.map((line) => Number(line.detachedMs))),
    restoreMs: spread(departures.map((line) => Number(line.restoreMs))),
    // The new process's steps: claiming the lease, creating the room, holding its seats, going live (p50 each).
    restoreSteps: Object.fromEntries(["claimMs", "createMs", "holdMs", "liveMs"].map((step) => [step,
      Math.round(percentile(departures.map((line) => Number((line.steps as Record<string, number> | undefined)?.[step] ?? 0)), 0.5))])),
    // Inputs the old process received after the room stopped, which no step applied.
    inputsLost: departures.reduce((sum, line) => sum + Number(line.inputsLost ?? 0), 0),
    // Input ticks the bots spent away (their players stood still; nothing was sent).
    inputTicksAway: bots.reduce((sum, bot) => sum + bot.inputsWhileAway, 0),
    // The machine's 1-minute load average at the end (other work on it lengthens every pause).
    loadAverage: Math.round(loadavg()[0]! * 10) / 10,
    serverErrorLines: every.reduce((sum, server) => sum + server.logs.filter((line) => line.level === "error").length, 0),
  };
  console.log(table([
    ["processes / bots / rooms", `${figures.processes} / ${figures.bots} / ${figures.rooms}`],
    [scaleDown ? "processes drained (3 → 1)" : `restarts (each process, in turn, × rounds${newAddresses ? ", each at a new address" : ""})`,
      scaleDown ? figures.restarts : `${figures.restarts} (${figures.rounds} rounds)`],
    ["rooms moved / drained in place instead", `${figures.roomsMoved} / ${figures.fallbacks}`],
    ["seats moved", figures.seatsMoved],
    ["seats lost (goal 0)", figures.seatsLost],
    ["scores lost (goal 0)", figures.scoresLost],
    ["state-hash mismatches (goal 0)", figures.hashMismatches],
    ["handover: room stopped before its clients were sent on, p50 / max", `${figures.handoverMs.p50} / ${figures.handoverMs.max} ms`],
    ["  of it: packed and out of the registry / restored by the new process", `${figures.detachedMs.p50} / ${figures.restoreMs.p50} ms (p50)`],
    ["  the restore: lease claimed / room created / seats held / live (p50)", Object.values(figures.restoreSteps).map((ms) => `${ms}`).join(" / ") + " ms"],
    ["pause per player p50 / p99 / max (goal p99 < 1 s)", `${figures.pauseMs.p50} / ${figures.pauseMs.p99} / ${figures.pauseMs.max} ms`],
    ["  of it: drop to reconnection p50 / p99 / max", `${figures.reconnectMs.p50} / ${figures.reconnectMs.p99} / ${figures.reconnectMs.max} ms`],
    ["inputs lost in the moves (received, never applied)", figures.inputsLost],
    ["input ticks spent away (nothing sent)", figures.inputTicksAway],
    ["error lines the processes logged (goal 0)", figures.serverErrorLines],
    ["load average at the end (1 min)", figures.loadAverage],
  ]));
  console.log(`results: ${writeResult(scaleDown ? "chaos-scale-down" : newAddresses ? "chaos-rolling-new-addresses" : "chaos-rolling", figures)}`);

  await Promise.allSettled(bots.map((bot) => bot.room.leave(true)));
  await Promise.all(live.map(({ server }) => server.stop()));
  await redis.close();
  const goalsMet = figures.seatsLost === 0 && figures.scoresLost === 0 && figures.hashMismatches === 0 && figures.pauseMs.p99 < 1000;
  return goalsMet && figures.serverErrorLines === 0 ? 0 : 1;
}

function spread(values: readonly number[]): { p50: number; p99: number; max: number } {
  return { p50: Math.round(percentile(values, 0.5)), p99: Math.round(percentile(values, 0.99)), max: Math.round(Math.max(0, ...values)) };
}

function scoreOf(bot: Bot): number {
  return (bot.room.state as ArenaView).players?.get(bot.sessionId)?.score ?? 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

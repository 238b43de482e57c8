/**
 * Redis outage run (`npm run chaos -- --redis`): several game server processes
 * on a Redis of the run's own, bots playing in rooms spread over them, and
 * Redis killed for `--outage` seconds and started again, empty, `--outages`
 * times. Prints matches that ended, processes that exited, patches per second
 * in the rooms before, during and after each outage, the time from Redis'
 * return to the first successful join and to a complete lobby listing, and the
 * join refusals with their answers; writes bench/results/chaos-redis.json.
 *
 *   --procs 3 --bots 96 --rooms 6 --outage 30 --outages 2 --window 10
 *   --database URL  the PostgreSQL the processes keep player records in (DATABASE_URL,
 *                   else postgres://postgres@127.0.0.1:5432/postgres), as a cluster must
 */
// First: the SDK must load on the ws package, so connections can be cut.
import { rawSocketOf } from "../testkit/sdkOverWs.ts";
import { randomBytes } from "node:crypto";
import type { Room } from "@colyseus/sdk";
import { GuestAuth, guestClient } from "../client/net/auth.ts";
import { configureReconnection } from "../client/net/reconnection.ts";
import { LOBBY_ROOM_NAME, ROOM_NAME, type PlayerInput } from "../shared/protocol.ts";
import { mulberry32 } from "../shared/rng.ts";
import { startOwnRedis } from "../testkit/redisServer.ts";
import { columnTable, progress, table, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { freePort, startServerProcess, type ServerProcess } from "../testkit/serverProcess.ts";
import { sendWanderingInput } from "./lib/wander.ts";

const TICK_MS = 1000 / 30;
/** How often matchmaking is asked while Redis is away, and after its return until it answers. */
const PROBE_EVERY_MS = { outage: 2000, healing: 200 };

interface Bot {
  room: Room;
  roomIndex: number;
  input: PlayerInput;
  patches: number;
  /** Set when the room closed under the bot (not a leave of its own). */
  lostWith?: number;
  cutAt?: number;
}

/** Runs the outage chaos; resolves with the exit status (0 when no match ended and no process exited). */
export async function runRedisChaos(argv: readonly string[]): Promise<number> {
  const { flags: options, positional } = toolFlags("chaos --redis", argv, {
    procs: 3, bots: 96, rooms: 6, outage: 30, outages: 2, window: 10, seed: 1,
    database: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  });
  if (positional.length > 0) usageError("chaos --redis", `unexpected argument ${JSON.stringify(positional[0])}`);
  // The SDK narrates every reconnection on console.info.
  console.info = () => {};
  const show = progress();
  const random = mulberry32(options.seed);
  const redis = await startOwnRedis();
  const authSecret = randomBytes(32).toString("base64url");
  const servers: ServerProcess[] = [];
  for (let i = 0; i < options.procs; i++) {
    const port = await freePort();
    servers.push(await startServerProcess({
      PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, REDIS_URL: redis.url, DATABASE_URL: options.database, AUTH_SECRET: authSecret,
      MIN_PLAYERS: "0", MAX_PLAYERS: String(Math.ceil(options.bots / options.rooms)), MATCH_SECONDS: "3600", RECONNECT_SECONDS: "60",
    }));
  }
  const urls = servers.map((server) => server.url);
  const token = await new GuestAuth(urls[0]!).token();

  // Rooms are created through the first process; placement spreads them over all of them.
  const bots: Bot[] = [];
  const roomIds: string[] = [];
  const join = async (roomIndex: number, through: string, name: string) => {
    const client = await guestClient(through, name);
    const room = roomIds[roomIndex] === undefined ? await client.create(ROOM_NAME, { name }) : await client.joinById(roomIds[roomIndex]!, { name });
    roomIds[roomIndex] ??= room.roomId;
    configureReconnection(room);
    const bot: Bot = { room, roomIndex, input: { moveX: 0, moveY: 0, aim: 0, fire: false }, patches: 0 };
    room.onMessage("*", () => {});
    room.onStateChange(() => { bot.patches++; });
    room.onLeave((code) => { bot.lostWith ??= code; });
    room.onReconnect(() => { bot.cutAt = undefined; });
    bots.push(bot);
  };
  for (let roomIndex = 0; roomIndex < options.rooms; roomIndex++) await join(roomIndex, urls[0]!, `Host ${roomIndex}`);
  for (let index = options.rooms; index < options.bots; index++) {
    await join(index % options.rooms, urls[index % urls.length]!, `Bot ${index}`);
    show(`seating bots ${index + 1}/${options.bots}`);
  }

  const play = setInterval(() => {
    for (const bot of bots) {
      if (bot.lostWith !== undefined || bot.cutAt !== undefined) continue;
      sendWanderingInput(bot.room, bot.input, random);
    }
  }, TICK_MS);

  /** Patches per second each room's first bot received over the next `seconds`. */
  const patchRates = async (seconds: number): Promise<number[]> => {
    const observers = roomIds.map((_, roomIndex) => bots.find((bot) => bot.roomIndex === roomIndex && bot.cutAt === undefined)!);
    const before = observers.map((bot) => bot.patches);
    await sleep(seconds * 1000);
    return observers.map((bot, index) => (bot.patches - before[index]!) / seconds);
  };

  const refusals = new Map<string, number>();
  const phases: Array<{ phase: string; patchesPerSecond: number[] }> = [];
  const returns: Array<{ firstJoinSeconds: number; completeLobbySeconds: number }> = [];
  let cuts = 0;
  // Let the crowd settle after seating before the first measurement.
  await sleep(3000);
  const roomsPerProcess = await Promise.all(urls.map(async (url) => ((await (await fetch(`${url}/healthz`)).json()) as { rooms: number }).rooms));
  show("playing before the first outage");
  phases.push({ phase: "before", patchesPerSecond: await patchRates(options.window) });
  for (let outage = 1; outage <= options.outages; outage++) {
    show(`outage ${outage}: Redis killed for ${options.outage} s`);
    await redis.kill();
    const probing = probeWhile(() => redis.pid === undefined, urls, roomIds, token, PROBE_EVERY_MS.outage, refusals);
    // One bot per room loses its connection during the outage and must get back to its seat.
    await sleep(2000);
    for (let roomIndex = 0; roomIndex < roomIds.length; roomIndex++) {
      const bot = bots.find((candidate) => candidate.roomIndex === roomIndex && candidate.patches > 0 && candidate !== bots[roomIndex])!;
      bot.cutAt = performance.now();
      rawSocketOf(bot.room).terminate();
      cuts++;
    }
    phases.push({ phase: `during outage ${outage}`, patchesPerSecond: await patchRates(Math.max(1, options.outage - 4)) });
    await sleep(2000);
    await redis.start();
    const returnedAt = performance.now();
    await probing;
    show(`outage ${outage}: Redis is back; waiting for a join and the lobby`);
    const [firstJoin, completeLobby] = await Promise.all([
      untilJoined(urls, returnedAt), untilLobbyLists(urls, roomIds, returnedAt),
    ]);
    returns.push({ firstJoinSeconds: round(firstJoin), completeLobbySeconds: round(completeLobby) });
    phases.push({ phase: `after outage ${outage}`, patchesPerSecond: await patchRates(options.window) });
  }
  clearInterval(play);
  process.stderr.write("\n");

  const endedRooms = new Set(bots.filter((bot) => bot.lostWith !== undefined).map((bot) => bot.roomIndex));
  const figures = {
    processes: options.procs, bots: options.bots, rooms: options.rooms, outageSeconds: options.outage, outages: options.outages,
    roomsPerProcess,
    matchesEnded: endedRooms.size,
    seatsLost: bots.filter((bot) => bot.lostWith !== undefined).length,
    processesExited: servers.filter((server) => server.child.exitCode !== null || server.child.signalCode !== null).length,
    connectionsCut: cuts,
    connectionsNotBack: bots.filter((bot) => bot.cutAt !== undefined).length,
    patchesPerSecond: phases.map(({ phase, patchesPerSecond }) => ({ phase, mean: round(mean(patchesPerSecond)), min: round(Math.min(...patchesPerSecond)) })),
    returns,
    refusals: [...refusals].map(([answer, count]) => ({ answer, count })),
    registryLogLines: servers.map((server) => server.logs.filter((line) => String(line.msg).startsWith("the room registry")).length),
    // Errors any process logged (an unhandled rejection would be one): goal 0.
    serverErrorLines: servers.reduce((sum, server) => sum + server.logs.filter((line) => line.level === "error").length, 0),
  };
  console.log(table([
    ["processes / bots / rooms", `${figures.processes} / ${figures.bots} / ${figures.rooms}`],
    ["rooms in each process", roomsPerProcess.join(" / ")],
    ["outages (Redis killed, restarted empty)", `${figures.outages} × ${figures.outageSeconds} s`],
    ["matches that ended (goal 0)", figures.matchesEnded],
    ["seats lost (goal 0)", figures.seatsLost],
    ["processes that exited (goal 0)", figures.processesExited],
    ["error lines the processes logged (goal 0)", figures.serverErrorLines],
    ["connections cut during outages / not back", `${figures.connectionsCut} / ${figures.connectionsNotBack}`],
  ]));
  console.log(`\n${columnTable(["phase", "patches/s per room (mean)", "lowest room"],
    figures.patchesPerSecond.map(({ phase, mean: average, min }) => [phase, String(average), String(min)]))}`);
  console.log(`\n${columnTable(["return", "first successful join", "complete lobby listing (goal ≤ 10 s)"],
    returns.map((back, index) => [`after outage ${index + 1}`, `${back.firstJoinSeconds} s`, `${back.completeLobbySeconds} s`]))}`);
  console.log(`\n${columnTable(["join answers during the outages", "count"], figures.refusals.map(({ answer, count }) => [answer, String(count)]))}`);
  console.log(`results: ${writeResult("chaos-redis", figures)}`);

  await Promise.allSettled(bots.map((bot) => bot.room.leave(true)));
  await Promise.all(servers.map((server) => server.stop()));
  await redis.close();
  return figures.matchesEnded === 0 && figures.processesExited === 0 && figures.connectionsNotBack === 0 && figures.serverErrorLines === 0 ? 0 : 1;
}

/**
 * While `away()`, every `everyMs`: one join the way players join, in turn
 * (quick play, a room by id, the lobby, a spectator seat), round robin over
 * `urls`; counts the answers by what they said.
 */
async function probeWhile(
  away: () => boolean, urls: readonly string[], roomIds: readonly string[], token: string, everyMs: number, answers: Map<string, number>,
): Promise<void> {
  const joins = [
    ["quick play", `/matchmake/joinOrCreate/${ROOM_NAME}`],
    ["join by id", `/matchmake/joinById/${roomIds[0]}`],
    ["lobby", `/matchmake/joinOrCreate/${LOBBY_ROOM_NAME}`],
    ["watch", `/watch/${roomIds[0]}`],
  ] as const;
  for (let i = 0; away(); i++) {
    const [what, path] = joins[i % joins.length]!;
    const response = await fetch(`${urls[i % urls.length]}${path}`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: "{}",
    }).catch(() => undefined);
    const body = response ? await response.json().catch(() => ({})) as { error?: string } : {};
    const answer = response ? `${what}: ${response.status}, Retry-After ${response.headers.get("retry-after") ?? "-"}, "${body.error ?? "(a seat)"}"` : `${what}: no answer`;
    answers.set(answer, (answers.get(answer) ?? 0) + 1);
    await sleep(everyMs);
  }
}

/** Seconds from `since` to the first quick play that seats someone (and leaves again). */
async function untilJoined(urls: readonly string[], since: number): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      const room = await (await guestClient(urls[i % urls.length]!, "Probe")).joinOrCreate(ROOM_NAME, { name: "Probe" });
      room.onMessage("*", () => {});
      await room.leave(true);
      return (performance.now() - since) / 1000;
    } catch {
      await sleep(PROBE_EVERY_MS.healing);
    }
  }
}

/** Seconds from `since` until a lobby joined through each process in turn lists every room in `roomIds`. */
async function untilLobbyLists(urls: readonly string[], roomIds: readonly string[], since: number): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      const lobby = await (await guestClient(urls[i % urls.length]!)).joinOrCreate(LOBBY_ROOM_NAME);
      const listed = await new Promise<Set<string>>((resolve) => {
        lobby.onMessage("rooms", (list: Array<{ roomId: string }>) => resolve(new Set(list.map(({ roomId }) => roomId))));
        lobby.onMessage("*", () => {});
      });
      await lobby.leave(true);
      if (roomIds.every((roomId) => listed.has(roomId))) return (performance.now() - since) / 1000;
    } catch {
      // Not yet.
    }
    await sleep(PROBE_EVERY_MS.healing);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

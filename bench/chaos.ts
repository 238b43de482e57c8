/**
 * Reconnect stress run (`npm run chaos -- --bots 20 --cuts 200`): bots play on
 * a real server process while their sockets are cut at random; every cut must
 * end with the bot back in the same seat with its score. Prints a progress
 * line, then a table; writes bench/results/chaos.json.
 *
 * `npm run chaos -- --redis [...]`: the Redis outage run instead (bench/chaosRedis.ts).
 * `npm run chaos -- --rolling [...]`: rolling restarts, rooms moving mid-match (bench/chaosRolling.ts);
 * with `--new-addresses`, each successor at an address of its own; `--scale-down`: 3 processes drained to 1.
 */
import { rawSocketOf } from "../testkit/sdkOverWs.ts";

if (process.argv.includes("--rolling") || process.argv.includes("--scale-down")) {
  const { runRollingChaos } = await import("./chaosRolling.ts");
  process.exit(await runRollingChaos(process.argv.slice(2).filter((arg) => arg !== "--rolling")));
}
if (process.argv.includes("--redis")) {
  const { runRedisChaos } = await import("./chaosRedis.ts");
  process.exit(await runRedisChaos(process.argv.slice(2).filter((arg) => arg !== "--redis")));
}
import type { Room } from "@colyseus/sdk";
import { guestClient } from "../client/net/auth.ts";
import { configureReconnection } from "../client/net/reconnection.ts";
import { ROOM_NAME, type ArenaView, type PlayerInput } from "../shared/protocol.ts";
import { mulberry32 } from "../shared/rng.ts";
import { numericFlags, percentile, progress, table, writeResult } from "./lib/report.ts";
import { startServerProcess } from "../testkit/serverProcess.ts";
import { sendWanderingInput } from "./lib/wander.ts";

const options = numericFlags(process.argv.slice(2), { bots: 20, cuts: 200, interval: 100, seed: 1, reconnect: 20 });
const TICK_MS = 1000 / 30;
// The SDK narrates every reconnection on console.info; 200 cuts would bury the progress line.
console.info = () => {};

interface Bot {
  name: string;
  room: Room;
  sessionId: string;
  input: PlayerInput;
  /** Set while a cut is being recovered from. */
  cut?: { at: number; sessionId: string; score: number };
  left: boolean;
}

interface CutOutcome {
  resumed: boolean;
  sameSeat: boolean;
  scoreKept: boolean;
  ms: number;
}

const random = mulberry32(options.seed);
const server = await startServerProcess({ RECONNECT_SECONDS: String(options.reconnect), MAX_PLAYERS: "16" });
const outcomes: CutOutcome[] = [];
let vanished = 0;

const stateOf = (room: Room) => room.state as ArenaView;

async function startBot(index: number): Promise<Bot> {
  const name = `Chaos ${index}`;
  const room = await (await guestClient(server.url, name)).joinOrCreate(ROOM_NAME, { name });
  configureReconnection(room); // the browser client's own policy
  room.onMessage("*", () => {});
  const bot: Bot = { name, room, sessionId: room.sessionId, input: { moveX: 0, moveY: 0, aim: 0, fire: false }, left: false };
  room.onLeave(() => { bot.left = true; });
  room.onReconnect(() => {
    const cut = bot.cut;
    if (!cut) return;
    bot.cut = undefined;
    const me = stateOf(room).players.get(room.sessionId);
    outcomes.push({
      resumed: true,
      sameSeat: room.sessionId === cut.sessionId && me !== undefined,
      scoreKept: (me?.score ?? -1) >= cut.score,
      ms: performance.now() - cut.at,
    });
  });
  return bot;
}

const bots: Bot[] = [];
for (let i = 0; i < options.bots; i++) bots.push(await startBot(i));

// Everyone plays: wander, turn every second or so, fire now and then; one input per tick.
const play = setInterval(() => {
  for (const bot of bots) {
    if (bot.left || bot.cut) continue;
    sendWanderingInput(bot.room, bot.input, random);
  }
  // Nobody may ever see a cut player vanish from the state.
  for (const watcher of bots) {
    if (watcher.cut || watcher.left) continue;
    for (const other of bots) {
      if (other.cut && other.room.roomId === watcher.room.roomId && !stateOf(watcher.room).players.get(other.cut.sessionId)) vanished++;
    }
  }
}, TICK_MS);

const show = progress();
const started = performance.now();
let cutsMade = 0;
while (cutsMade < options.cuts) {
  await new Promise((resolve) => setTimeout(resolve, options.interval));
  const candidates = bots.filter((bot) => !bot.cut && !bot.left);
  if (candidates.length === 0) continue;
  const bot = candidates[Math.floor(random() * candidates.length)];
  const score = stateOf(bot.room).players.get(bot.room.sessionId)?.score ?? 0;
  bot.cut = { at: performance.now(), sessionId: bot.room.sessionId, score };
  rawSocketOf(bot.room).terminate();
  cutsMade++;
  show(`cuts ${cutsMade}/${options.cuts}  resumed ${outcomes.length}  recovering ${bots.filter((b) => b.cut).length}  lost ${bots.filter((b) => b.left).length}`);
}

// Give the last cuts their chance, within the seat window.
const deadline = performance.now() + options.reconnect * 1000;
while (bots.some((bot) => bot.cut && !bot.left) && performance.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
clearInterval(play);
process.stderr.write("\n");

const times = outcomes.map((outcome) => outcome.ms);
const lost = bots.filter((bot) => bot.left).length + bots.filter((bot) => bot.cut && !bot.left).length;
const figures = {
  bots: options.bots,
  cuts: cutsMade,
  resumed: outcomes.length,
  resumedSameSeat: outcomes.filter((outcome) => outcome.sameSeat && outcome.scoreKept).length,
  lostSeats: lost,
  vanishedObservations: vanished,
  resumeMsP50: Math.round(percentile(times, 0.5)),
  resumeMsP99: Math.round(percentile(times, 0.99)),
  resumeMsMax: Math.round(Math.max(...times)),
  seconds: Math.round((performance.now() - started) / 100) / 10,
};
console.log(table([
  ["bots", figures.bots],
  ["cuts", figures.cuts],
  ["resumed with the same seat and score", figures.resumedSameSeat],
  ["lost seats (goal 0)", figures.lostSeats],
  ["times a cut player vanished for another (goal 0)", figures.vanishedObservations],
  ["time to resume p50", `${figures.resumeMsP50} ms`],
  ["time to resume p99", `${figures.resumeMsP99} ms`],
  ["time to resume max", `${figures.resumeMsMax} ms`],
  ["run time", `${figures.seconds} s`],
]));
console.log(`results: ${writeResult("chaos", figures)}`);

await Promise.allSettled(bots.map((bot) => bot.room.leave(true)));
await server.stop();
process.exit(figures.lostSeats === 0 && figures.resumedSameSeat === figures.cuts ? 0 : 1);

/**
 * Reconnect stress run (`npm run chaos -- --bots 20 --cuts 200`): bots play on
 * a real server process while their sockets are cut at random; every cut must
 * end with the bot back in the same seat with its score. Prints a progress
 * line, then a table; writes bench/results/chaos.json.
 *
 *   --transport T      datagrams (the default, as the browser plays): every bot keeps
 *                      a DataChannel, which must open again after each resume, and
 *                      channels are also cut alone (bench/lib/chaosDatagrams.ts);
 *                      websocket: the WebSocket alone; mixed: every other bot on datagrams
 *   --channel-cuts N   channels cut alone, besides the --cuts socket cuts (half of --cuts,
 *                      in proportion to the bots on datagrams: 0 on the WebSocket alone)
 *   --bots, --cuts, --interval ms between cuts, --seed, --reconnect seconds a seat is held
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
import type { InputHandle, Room } from "@colyseus/sdk";
import { guestClient } from "../client/net/auth.ts";
import { openInputs } from "../client/net/prediction.ts";
import { configureReconnection } from "../client/net/reconnection.ts";
import { ROOM_NAME, type ArenaView, type PlayerInput } from "../shared/protocol.ts";
import { mulberry32 } from "../shared/rng.ts";
import { percentile, progress, table, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { startServerProcess } from "../testkit/serverProcess.ts";
import { datagramsFor, TRANSPORT_MIXES, type TransportMix } from "../testkit/datagrams.ts";
import { ChaosChannels, channelGoalsMet, channelRows } from "./lib/chaosDatagrams.ts";
import { sendWanderingInput } from "./lib/wander.ts";

const { flags: options, positional } = toolFlags("chaos", process.argv.slice(2), {
  bots: 20, cuts: 200, interval: 100, seed: 1, reconnect: 20, transport: "datagrams", "channel-cuts": -1,
});
if (positional.length > 0) usageError("chaos", `unexpected argument ${JSON.stringify(positional[0])}`);
const transport = options.transport as TransportMix;
if (!TRANSPORT_MIXES.includes(transport)) usageError("chaos", `--transport takes ${TRANSPORT_MIXES.join(", ")}`);
// By default, half as many channel cuts as socket cuts, scaled by the share of bots on datagrams: a channel
// cut again within 30 s of opening waits twice as long to come back as the last time (the link's back-off),
// so more cuts a bot would measure mostly the back-off.
const botsOnDatagrams = Array.from({ length: options.bots }, (_, index) => datagramsFor(transport, index)).filter((choice) => choice !== "websocket").length;
const channelCuts = options["channel-cuts"] >= 0 ? options["channel-cuts"] : Math.round((options.cuts / 2) * (botsOnDatagrams / options.bots));
if (channelCuts > 0 && botsOnDatagrams === 0) usageError("chaos", "--channel-cuts needs bots on datagrams (--transport datagrams or mixed)");
/** Ceilings, not measures: for the channels to open before the first cut, and to come back at the end (a link's back-off reaches 60 s). */
const CHANNELS_OPEN_DEADLINE_MS = 30_000;
const CHANNELS_BACK_DEADLINE_MS = 80_000;
const TICK_MS = 1000 / 30;
// The SDK narrates every reconnection on console.info; 200 cuts would bury the progress line.
console.info = () => {};

interface Bot {
  name: string;
  room: Room;
  sessionId: string;
  input: PlayerInput;
  /** The browser's input channel: unreliable, so it rides the DataChannel while there is one. */
  inputs: InputHandle<PlayerInput>;
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
const channels = new ChaosChannels(transport);
const outcomes: CutOutcome[] = [];
let vanished = 0;

const stateOf = (room: Room) => room.state as ArenaView;

async function startBot(index: number): Promise<Bot> {
  const name = `Chaos ${index}`;
  const room = await (await guestClient(server.url, name)).joinOrCreate(ROOM_NAME, { name });
  channels.attach(room, index);
  configureReconnection(room); // the browser client's own policy
  room.onMessage("*", () => {});
  const input = { moveX: 0, moveY: 0, aim: 0, fire: false };
  const bot: Bot = { name, room, sessionId: room.sessionId, input, inputs: openInputs(room), left: false };
  room.onLeave(() => { bot.left = true; });
  room.onReconnect(() => {
    channels.resumed(room);
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
    sendWanderingInput(bot.room, bot.input, random, bot.inputs);
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
const channelsOpen = await channels.opened(CHANNELS_OPEN_DEADLINE_MS);
if (channelCuts > 0 && channelsOpen === 0) {
  // Nothing to cut: the server answers no channel (DATAGRAMS=off?) or UDP is blocked.
  process.stderr.write(`chaos: no DataChannel opened within ${CHANNELS_OPEN_DEADLINE_MS / 1000} s\n`);
  await server.stop();
  process.exit(1);
}
const started = performance.now();
let cutsMade = 0;
while (cutsMade < options.cuts || channels.cutsMade < channelCuts) {
  await new Promise((resolve) => setTimeout(resolve, options.interval));
  const candidates = bots.filter((bot) => !bot.cut && !bot.left && !channels.busy(bot.room));
  // Socket or channel cut, in proportion to what is left of each.
  const socketCutsLeft = options.cuts - cutsMade;
  if (random() * (socketCutsLeft + channelCuts - channels.cutsMade) >= socketCutsLeft) {
    channels.cutOne(candidates.map((bot) => bot.room), random);
  } else if (candidates.length > 0) {
    const bot = candidates[Math.floor(random() * candidates.length)];
    const score = stateOf(bot.room).players.get(bot.room.sessionId)?.score ?? 0;
    bot.cut = { at: performance.now(), sessionId: bot.room.sessionId, score };
    rawSocketOf(bot.room).terminate();
    cutsMade++;
  }
  const channelLine = channelCuts > 0 ? `  channel cuts ${channels.cutsMade}/${channelCuts}  channels awaited ${channels.pending()}` : "";
  show(`cuts ${cutsMade}/${options.cuts}  resumed ${outcomes.length}  recovering ${bots.filter((b) => b.cut).length}  lost ${bots.filter((b) => b.left).length}${channelLine}`);
}

// Give the last cuts their chance, within the seat window, and the channels theirs, within the links' back-off.
const seatDeadline = performance.now() + options.reconnect * 1000;
const channelDeadline = performance.now() + CHANNELS_BACK_DEADLINE_MS;
while ((bots.some((bot) => bot.cut && !bot.left) && performance.now() < seatDeadline)
  || (channels.pending() > 0 && performance.now() < channelDeadline)) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
clearInterval(play);
const channelFigures = channels.stop();
process.stderr.write("\n");

const times = outcomes.map((outcome) => outcome.ms);
const lost = bots.filter((bot) => bot.left).length + bots.filter((bot) => bot.cut && !bot.left).length;
const figures = {
  transport,
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
  ...(channelFigures.bots > 0 ? { datagrams: channelFigures } : {}),
};
console.log(table([
  ["transport", transport],
  ["bots", figures.bots],
  ["cuts", figures.cuts],
  ["resumed with the same seat and score", figures.resumedSameSeat],
  ["lost seats (goal 0)", figures.lostSeats],
  ["times a cut player vanished for another (goal 0)", figures.vanishedObservations],
  ["time to resume p50", `${figures.resumeMsP50} ms`],
  ["time to resume p99", `${figures.resumeMsP99} ms`],
  ["time to resume max", `${figures.resumeMsMax} ms`],
  ...(channelFigures.bots > 0 ? channelRows(channelFigures) : []),
  ["run time", `${figures.seconds} s`],
]));
console.log(`results: ${writeResult("chaos", figures)}`);

await Promise.allSettled(bots.map((bot) => bot.room.leave(true)));
await server.stop();
process.exit(figures.lostSeats === 0 && figures.resumedSameSeat === figures.cuts && channelGoalsMet(channelFigures) ? 0 : 1);

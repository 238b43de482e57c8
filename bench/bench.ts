/**
 * `npm run bench [-- --seconds 10]`: Arena against the naive baselines, on
 * this machine, in one run. Prints progress, then tables; writes
 * bench/results/bench.json and the chart bench/results/bench.svg.
 *
 * 1. Bandwidth and server CPU per client: 16 network bots (the shared bot
 *    brain, one input per tick) in one room of each server, 30 Hz: Arena (its
 *    own server process), the seeds' method (full JSON state every tick over
 *    plain `ws`), a plain Colyseus schema (`number` fields, message inputs)
 *    and the floor (a bare `ws` server sending each client one frame of
 *    Arena's median patch size per tick and dropping the inputs, which its
 *    bots send at Arena's input size); bench/baseline/ has all three. Each
 *    server runs as its own process, pinned to CPU 0, with every client in
 *    this process on CPU 1 (when `taskset` exists and there are two cores).
 *    Then the same with 10 rooms of 16 (160 clients) for Arena, the seeds'
 *    method and the floor. CPU per client is compared as Arena / floor and
 *    Arena / seeds', side by side: every server is measured `--passes` times,
 *    in turn, and keeps its least disturbed pass (bench/lib/passes.ts).
 * 2. Tick cost of a 16-player room with ~100 projectiles, in-process: the
 *    shared step on plain objects, and Arena's room tick (the step on its plain
 *    world, publishing into its schema state, the patch encode)
 *    (bench/lib/tickCost.ts); and what it costs in bytes that a stopped
 *    player's lost last position leaves nobody stale, three ways
 *    (bench/lib/lastWrite.ts).
 * 3. Input → own-echo latency with Arena's client net layer, measured by the
 *    16th player of Arena's room in part 1 (bench/lib/echoLatency.ts).
 * 4. Arena again with every client's unreliable frames (positions, inputs) on
 *    a WebRTC DataChannel of its own (node-datachannel) instead of the
 *    WebSocket, in one room and in many, measured in turn with the others:
 *    bytes and server CPU per client against Arena on the WebSocket alone.
 *
 *   --seconds S            measured seconds per server with one room (15)
 *   --warmup S             seconds of play before measuring (20: a server runs for hours, and V8
 *                          takes tens of seconds to optimise a lightly loaded server's hot code;
 *                          until then its compiler's work would be counted as the server's)
 *   --rooms N              rooms of 16 in the many-rooms runs; 0 to skip them (10)
 *   --rooms-seconds S      measured seconds per many-rooms run (10)
 *   --patch-hz N           also Arena's room with N patches a second over the same tick, with its echo latency; 0 to skip (20)
 *   --ticks N              measured ticks per pass in part 2 (2000)
 *   --repetitions N        passes per world in part 2; the one with the lowest p99 is reported (3)
 *   --passes N             times each server is measured in parts 1 and 1b, in turn; each keeps its
 *                          pass with the least server CPU, the least disturbed by the machine's other work (2)
 *   --seed S               bots' randomness and the baselines' match seed (1)
 *   --transport T          both: Arena on the WebSocket alone and on datagrams (the default); websocket: the former only
 *   --scale                the scale-out benchmark instead (bench/scale.ts: 1, 2, 3 processes on Redis)
 *   --room-size LIST       the room-size benchmark instead (bench/roomSize.ts: large rooms of LIST players against the arena's 16)
 */
import "../testkit/sdkOverWs.ts";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { DEFAULT_TICK_HZ } from "../shared/constants.ts";
import { benchChart } from "./lib/benchChart.ts";
import { benchGoals, benchRatios, ratio, saturatedSide, type ServerCpuRatios } from "./lib/benchGoals.ts";
import { renderChart } from "./lib/chart.ts";
import { runLoad, type LoadResult } from "./lib/load.ts";
import { columnTable, progress, toolFlags, usageError, writeResult } from "./lib/report.ts";
import { cpuTimes, stealShare } from "./lib/processCpu.ts";
import { pinClientsLeavingCpu0 } from "../testkit/serverProcess.ts";
import { measureTickCost, type TickTimes } from "./lib/tickCost.ts";
import { measureLastWriteCost } from "./lib/lastWrite.ts";
import { recordGame } from "./lib/tickRecording.ts";
import { makeRules } from "../shared/rules.ts";
import { botRoster } from "../shared/simulation.ts";
import { bestOfPasses } from "./lib/passes.ts";
import { ARENA_ON_DATAGRAMS_NAME, SERVER_NAMES, serverLabel } from "./lib/serverNames.ts";

// `--scale` and `--room-size` are benchmarks of their own (bench/scale.ts, bench/roomSize.ts), which exit when done.
if (process.argv.includes("--scale")) await import("./scale.ts");
if (process.argv.includes("--room-size")) await import("./roomSize.ts");

const { flags, positional } = toolFlags("bench", process.argv.slice(2), {
  seconds: 15, warmup: 20, rooms: 10, "rooms-seconds": 10, "patch-hz": 20, ticks: 2000, repetitions: 3, passes: 2, seed: 1, transport: "both",
});
if (positional.length > 0) usageError("bench", `unexpected argument ${JSON.stringify(positional[0])}`);
if (!Number.isInteger(flags.rooms) || flags.rooms < 0 || flags.rooms > 32) usageError("bench", "--rooms must be a whole number from 0 to 32");
if (!Number.isInteger(flags.passes) || flags.passes < 1 || flags.passes > 5) usageError("bench", "--passes must be a whole number from 1 to 5");
if (flags.transport !== "both" && flags.transport !== "websocket") usageError("bench", "--transport takes both or websocket");
/** Arena with every client on datagrams, measured beside the others as a server of its own. */
const ON_DATAGRAMS = "arena-datagrams";
const withDatagrams = flags.transport === "both";

const PLAYERS = 16;
const TICK_HZ = DEFAULT_TICK_HZ;
const PROJECTILES = 100;
const show = progress();
const say = (line: string) => process.stderr.write(`${line}\n`);
const coreCount = cpus().length;
const loadBefore = loadavg()[0];

// Server on CPU 0, every client (this process, all its threads) on CPU 1.
const serverCpus = pinClientsLeavingCpu0();
const pinned = serverCpus !== undefined;
const pinning = pinned
  ? "servers pinned to CPU 0 and clients to CPU 1 with taskset"
  : "not pinned (taskset missing or fewer than 2 cores): servers and clients share the cores";
say(`bench: ${coreCount} cores (${cpus()[0]?.model ?? "unknown CPU"}), ${pinning}; load average ${loadBefore.toFixed(2)}`);

// 2. Tick cost first, while nothing else of ours runs.
const clientCore = pinned ? 1 : undefined;
const cpuBeforeTicks = cpuTimes(clientCore);
const tickCost = measureTickCost({
  ticks: flags.ticks, warmUpTicks: 300, players: PLAYERS, projectiles: PROJECTILES, seed: flags.seed, tickHz: TICK_HZ,
  repetitions: flags.repetitions,
  onProgress: show,
});
const tickCostSteal = stealShare(cpuBeforeTicks, cpuTimes(clientCore));

// 2b. What keeping a stopped player's lost last position from leaving anyone stale costs, three ways, on one recorded game.
const lastWriteGame = { rules: makeRules({ tickHz: TICK_HZ, matchSeconds: 3600 }), roster: botRoster(flags.seed, PLAYERS), seed: flags.seed, warmUpTicks: 300 };
const lastWrite = measureLastWriteCost(lastWriteGame, recordGame(lastWriteGame, 2100, 10).recording);

// 1 and 3. One room of 16 players on each server; the floor sends Arena's median patch and takes Arena's input size.
const load = (kind: LoadResult["kind"], rooms: number, seconds: number, extra: Partial<Parameters<typeof runLoad>[0]> = {}) => runLoad({
  kind, rooms, playersPerRoom: PLAYERS, tickHz: TICK_HZ, warmUpSeconds: flags.warmup, seconds, seed: flags.seed,
  serverCpus, onProgress: show, ...extra,
});
// Each set of servers `--passes` times, in turn; each server keeps its least disturbed pass (bench/lib/passes.ts).
// The floor's frames and inputs are the size of Arena's, from Arena's first pass (Arena goes first).
let arenaFrames: { frameBytes: number; inputBytes: number } | undefined;
const floorOptions = () => {
  if (!arenaFrames) throw new Error("the floor's frame size comes from Arena's first pass: measure Arena first");
  return { floor: arenaFrames };
};
const oneRoomKinds = withDatagrams
  ? ["arena", ON_DATAGRAMS, "floor", "seeds", "plain-schema"] as const
  : ["arena", "floor", "seeds", "plain-schema"] as const;
const oneRoom = await bestOfPasses<(typeof oneRoomKinds)[number]>(oneRoomKinds, flags.passes, async (kind) => {
  if (kind === ON_DATAGRAMS) return load("arena", 1, flags.seconds, { latencyProbe: true, transport: "datagrams" });
  if (kind !== "arena") return load(kind, 1, flags.seconds, kind === "floor" ? floorOptions() : {});
  const run = await load("arena", 1, flags.seconds, { latencyProbe: true });
  arenaFrames ??= { frameBytes: Math.max(1, run.medianStateBytes), inputBytes: Math.max(1, run.inputBytes) };
  return run;
});
const floorFrames = floorOptions().floor;
const { arena, floor, seeds, "plain-schema": plainSchema } = oneRoom.best;
const arenaOnDatagrams = (oneRoom.best as Partial<Record<string, LoadResult>>)[ON_DATAGRAMS];
const patchHz = flags["patch-hz"];
const fewerPatches = patchHz > 0 && patchHz < TICK_HZ
  ? await load("arena", 1, flags.seconds, { latencyProbe: true, env: { PATCH_HZ: String(patchHz) } })
  : undefined;

// 1b. Many rooms of 16: Arena, the seeds' method and the floor, with the same frame sizes.
const manyRoomsKinds = withDatagrams ? ["arena", ON_DATAGRAMS, "floor", "seeds"] as const : ["arena", "floor", "seeds"] as const;
const manyRooms = flags.rooms === 0 ? undefined : await bestOfPasses<(typeof manyRoomsKinds)[number]>(manyRoomsKinds, flags.passes, (kind) => kind === ON_DATAGRAMS
  ? load("arena", flags.rooms, flags["rooms-seconds"], { transport: "datagrams" })
  : load(kind, flags.rooms, flags["rooms-seconds"], kind === "floor" ? floorOptions() : {}));
const many = manyRooms?.best;
const manyOnDatagrams = (many as Partial<Record<string, LoadResult>> | undefined)?.[ON_DATAGRAMS];
process.stderr.write("\n");

const loadAfter = loadavg()[0];
const runs = { tickHz: TICK_HZ, rooms: flags.rooms, tickCost, arena, arenaOnDatagrams, floor, seeds, plainSchema, many, manyOnDatagrams, wire: lastWrite.wire };
const ratios = benchRatios(runs);
const goals = benchGoals(runs, ratios);

// Tables.
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const oneIn = (share: number) => `1/${(1 / share).toFixed(1)} (${share.toFixed(3)})`;
const percent = (share: number) => `${share < 0.1 && share > 0 ? (share * 100).toFixed(1) : Math.round(share * 100)} %`;
const loadRow = (run: LoadResult) => [
  serverLabel(run), kB(run.receivedBytesPerClientSecond), kB(run.sentBytesPerClientSecond),
  `${kB(run.socketReadPerClientSecond)} / ${kB(run.socketWrittenPerClientSecond)}`,
  `${run.serverCpuMicrosPerClientSecond} µs`, `${run.serverUserMicrosPerClientSecond} µs`, percent(run.serverCoreShare),
  percent(run.serverSystemShare), percent(run.stealShare), percent(run.clientCoreShare),
  String(run.statesPerClientSecond), String(run.meanProjectiles),
];
const loadHeader = ["server", "received/client/s", "sent/client/s", "at the socket (in/out)", "server CPU/client/s", "of it user", "server core", "of it kernel", "stolen", "bots' core", "states/client/s", "projectiles"];
const cpuLine = (r: ServerCpuRatios) =>
  `   server CPU per client: Arena / floor ${r.arenaToFloor.all} (user time ${r.arenaToFloor.user}), Arena / seeds' ${r.arenaToSeeds.all} (user time ${r.arenaToSeeds.user})`;
console.log(`\n1. Bandwidth and server CPU per client: ${PLAYERS} bots in one room, ${TICK_HZ} Hz, ${flags.seconds} s measured after ${flags.warmup} s`);
console.log(columnTable(loadHeader, [arena, ...(arenaOnDatagrams ? [arenaOnDatagrams] : []), plainSchema, seeds, floor].map(loadRow)));
const passesLine = (cpu: Record<string, number[]>) =>
  `   best of ${flags.passes} passes each; server CPU per client of every pass: ${Object.entries(cpu).map(([kind, micros]) => `${kind === ON_DATAGRAMS ? ARENA_ON_DATAGRAMS_NAME : SERVER_NAMES[kind as LoadResult["kind"]]} ${micros.join(", ")} µs`).join("; ")}`;
if (flags.passes > 1) console.log(passesLine(oneRoom.cpuPerPass));
console.log(`   the floor sent ${floorFrames.frameBytes}-byte frames (Arena's median patch) and its bots ${floorFrames.inputBytes}-byte inputs (Arena's)`);
console.log(cpuLine(ratios.oneRoom));
if (arena.serverMetrics) {
  console.log(`   Arena's own /metrics over the same window: ${kB(arena.serverMetrics.patchBytesPerClientSecond)} of patches per client per s, mean room tick ${arena.serverMetrics.meanTickMicros} µs`);
}
console.log(`   Arena / seeds': received ${oneIn(ratios.receivedArenaToSeeds)} (goal ≤ 1/20: ${goals.bandwidthVsSeeds.met ? "met" : "NOT met"}), sent ${oneIn(ratios.sentArenaToSeeds)}, server CPU ${ratios.serverCpuArenaToSeeds} (user time ${ratios.serverUserCpuArenaToSeeds})`);
console.log(`   Arena / plain schema: received ${ratios.receivedArenaToPlainSchema}, sent ${ratios.sentArenaToPlainSchema}, server CPU ${ratios.serverCpuArenaToPlainSchema} (user time ${ratios.serverUserCpuArenaToPlainSchema})`);

const us = (value: number) => `${value} µs`;
const tickRow = (label: string, times: TickTimes, bytes?: number) => [
  label, us(times.p50Us), us(times.p99Us), us(times.meanUs), String(times.ticksPerSecond), bytes === undefined ? "" : `${bytes} B`,
];
console.log(`\n2. Tick cost: ${PLAYERS} players, ${tickCost.meanProjectiles} projectiles on average, ${tickCost.ticks} ticks in-process, best p99 of ${tickCost.repetitions} passes (same state in every world: ${tickCost.sameState ? "yes" : "NO"}; stolen ${percent(tickCostSteal)})`);
console.log(columnTable(["part", "p50", "p99", "mean", "ticks/s", "bytes/tick"], [
  tickRow("stepWorld, plain objects", tickCost.plainStep),
  tickRow("stepWorld, Arena room (plain world)", tickCost.arenaStep),
  tickRow("Arena publish to schema + patch encode", tickCost.arenaEncode, tickCost.arenaPatchBytes),
  tickRow("Arena tick (step + encode)", tickCost.arenaTick, tickCost.arenaPatchBytes),
  tickRow("plain schema tick (step + encode)", tickCost.plainSchemaTick, tickCost.plainSchemaPatchBytes),
  tickRow("seeds' tick (step + JSON.stringify)", tickCost.seedsTick, tickCost.seedsStateBytes),
  tickRow("bot brain, 16 decisions", tickCost.botBrain),
]));
console.log(`   goal: Arena tick p99 < 1 ms: ${goals.tickP99.met ? "met" : "NOT met"}; with t.float64() everywhere a patch would be ${tickCost.float64PatchBytes} B`);
console.log(`   a stopped player's last position, bytes per client per tick on the unreliable channel (reliable: ${lastWrite.reliable} B): sent once ${lastWrite.once} B, ` +
  `repeated for 100 ms (Arena) ${lastWrite.repeats} B, a keyframe every 100 ms ${lastWrite.keyframe} B`);
console.log(`   the same game's state, bytes per client per tick with every frame's header: before datagrams (everything reliable) ${lastWrite.wire.before} B, ` +
  `Arena on the WebSocket alone ${lastWrite.wire.websocket} B (${ratio(lastWrite.wire.websocket, lastWrite.wire.before)} ×), on datagrams ${lastWrite.wire.datagrams} B (${ratio(lastWrite.wire.datagrams, lastWrite.wire.before)} ×)`);

console.log(`\n3. Input → own echo on loopback (ArenaSession, the 16th player of Arena's room above)`);
if (arena.latency) {
  console.log(columnTable(["p50", "p99", "max", "inputs"], [[`${arena.latency.p50Ms} ms`, `${arena.latency.p99Ms} ms`, `${arena.latency.maxMs} ms`, String(arena.latency.samples)]]));
}
console.log(`   goal: p99 ≤ ${Math.round(1000 / TICK_HZ + 5)} ms (one tick + 5 ms; it includes waiting for the next tick and patch): ${goals.echoP99.met ? "met" : "NOT met"}`);

const saturation = many && { arena: saturatedSide(many.arena, TICK_HZ), floor: saturatedSide(many.floor, TICK_HZ), seeds: saturatedSide(many.seeds, TICK_HZ) };
if (fewerPatches) {
  console.log(`\n   Arena with ${patchHz} patches a second over the ${TICK_HZ} Hz tick: server CPU ${fewerPatches.serverCpuMicrosPerClientSecond} µs/client/s (${ratio(fewerPatches.serverCpuMicrosPerClientSecond, floor.serverCpuMicrosPerClientSecond)} × the ${TICK_HZ} Hz floor), received ${kB(fewerPatches.receivedBytesPerClientSecond)}/client/s, input → echo p50 ${fewerPatches.latency?.p50Ms} ms, p99 ${fewerPatches.latency?.p99Ms} ms`);
}
if (many && ratios.manyRooms) {
  console.log(`\n4. ${flags.rooms} rooms of ${PLAYERS} bots (${many.arena.clients} clients), ${flags["rooms-seconds"]} s measured each`);
  console.log(columnTable(loadHeader, [many.arena, ...(manyOnDatagrams ? [manyOnDatagrams] : []), many.seeds, many.floor].map(loadRow)));
  if (flags.passes > 1) console.log(passesLine(manyRooms!.cpuPerPass));
  console.log(cpuLine(ratios.manyRooms));
  console.log(`   saturated: Arena ${saturation!.arena}; seeds' ${saturation!.seeds}; floor ${saturation!.floor}`);
}
if (ratios.datagrams) {
  const d = ratios.datagrams;
  console.log(`\n5. Arena on datagrams over Arena on the WebSocket alone, same run: one room, received ${d.oneRoom.received}, server CPU ${d.oneRoom.cpu.all} (user time ${d.oneRoom.cpu.user})` +
    (d.manyRooms ? `; ${flags.rooms} rooms, received ${d.manyRooms.received}, server CPU ${d.manyRooms.cpu.all} (user time ${d.manyRooms.cpu.user}; goal ≤ 1.5: ${goals.cpuDatagrams?.met ? "met" : "NOT met"})` : ""));
  console.log(`   state bytes per client on datagrams, one recorded game encoded both ways: ${d.sameGame.datagrams} × before datagrams (goal ≤ 1.15: ${goals.bytesDatagramsSameGame?.met ? "met" : "NOT met"})`);
  console.log(`   received per client on datagrams ${d.receivedToBefore} × Arena's before datagrams (goal ≤ 1.15: ${goals.bytesDatagrams?.met ? "met" : "NOT met"}); the bots' state arrived on their DataChannels: ${Math.round(arenaOnDatagrams!.datagramShare * 100)} % (one room)${manyOnDatagrams ? `, ${Math.round(manyOnDatagrams.datagramShare * 100)} % (${flags.rooms} rooms)` : ""}`);
}
console.log(`\n${coreCount} cores, ${pinning}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after.`);
console.log("Other work on the machine, and on a virtual machine the time the hypervisor steals (\"stolen\"), skew the CPU and timing figures.");

const date = new Date().toISOString().slice(0, 10);
const resultPath = writeResult("bench", {
  tickHz: TICK_HZ, players: PLAYERS, seconds: flags.seconds, warmUpSeconds: flags.warmup, seed: flags.seed, pinning,
  loadAverage: { before: loadBefore, after: loadAfter },
  bandwidth: { arena, arenaOnDatagrams, plainSchema, seeds, floor }, floorFrames,
  passes: { count: flags.passes, oneRoomCpu: oneRoom.cpuPerPass, manyRoomsCpu: manyRooms?.cpuPerPass }, fewerPatches: fewerPatches && { patchHz, ...fewerPatches }, ratios, tickCost: { ...tickCost, stealShare: tickCostSteal }, latency: arena.latency,
  lastWrite,
  manyRooms: many && {
    rooms: flags.rooms, arena: { ...many.arena, saturated: saturation!.arena }, seeds: { ...many.seeds, saturated: saturation!.seeds }, floor: { ...many.floor, saturated: saturation!.floor },
    arenaOnDatagrams: manyOnDatagrams && { ...manyOnDatagrams, saturated: saturatedSide(manyOnDatagrams, TICK_HZ) },
  },
  goals,
});
const chartPath = join(dirname(resultPath), "bench.svg");
writeFileSync(chartPath, renderChart(benchChart({
  date, cores: coreCount, cpu: cpus()[0]?.model ?? "unknown CPU", pinning, arena, plainSchema, seeds, floor, tickCost, many, tickHz: TICK_HZ,
  fewerPatches: fewerPatches && { patchHz, run: fewerPatches },
})));
console.log(`chart: ${chartPath}`);
console.log(`results: ${resultPath}`);
process.exit(0);

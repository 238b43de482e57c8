/**
 * Markdown tables for each benchmark's results file (bench/results/NAME.json), as
 * `npm run bench:report` puts them in docs/benchmarks.md. Each renderer reads only
 * the fields its benchmark writes; a results file of an unknown name is listed by
 * its date alone, so a new benchmark never breaks the page.
 */

import { ARENA_ON_DATAGRAMS_NAME, SERVER_NAMES, serverLabel } from "../bench/lib/serverNames.ts";
import { goalText, ROOM_SIZE_HEADER, roomSizeRows, type RoomSizeGoal, type RoomSizeRun } from "../bench/lib/roomSizeFigures.ts";
import type { ServerKind } from "../testkit/netBots.ts";
import { ROBUSTNESS_RENDERERS } from "./benchRobustnessTables.ts";
import { errorCount, fixed, kB, ms, pct, table, type Json } from "./benchTableCells.ts";

/** The tables for one results file, headed by when and where it was measured. */
export function renderResults(name: string, result: unknown): string {
  const data = result as Json;
  const render = RENDERERS[name];
  const body = render ? render(data) : `See \`bench/results/${name}.json\`.`;
  return `${provenance(data)}\n\n${body}`;
}

function provenance(data: Json): string {
  const date = typeof data.date === "string" ? data.date.slice(0, 10) : "undated";
  const machine = [data.cores ? `${data.cores} cores` : undefined, data.cpu, data.node ? `Node ${data.node}` : undefined]
    .filter(Boolean).join(", ");
  return `_Measured ${date}${machine ? ` on ${machine}` : ""}._`;
}

/** What the tables call the server a results entry measured. */
const labelOf = (run: Json) => serverLabel(run as { kind: ServerKind; transport?: string });

/** The bytes three ways of keeping a stopped player's lost last position from leaving a client stale cost (bench/lib/lastWrite.ts). */
function lastWriteText(cost: Json | undefined): string {
  if (!cost) return "";
  const more = (bytes: number) => `${fixed(bytes, 1)} B (+${fixed(((bytes - cost.once) / (cost.once + cost.reliable)) * 100, 1)} % of a client's patches)`;
  return `\n\nA stopped player's last position, in bytes per client per tick on the unreliable channel, in a recorded game of 16 bots ` +
    `(reliable patches ${fixed(cost.reliable, 1)} B): sent once ${fixed(cost.once, 1)} B (a lost last write stays), repeated in the patches of the next 100 ms ` +
    `(Arena) ${more(cost.repeats)}, a keyframe of every player every 100 ms ${more(cost.keyframe)}.` +
    (cost.wire ? ` The same game's state, in bytes per client per tick with every frame's header: before datagrams, everything in the reliable patches, ` +
      `${fixed(cost.wire.before, 1)} B; Arena on the WebSocket alone ${fixed(cost.wire.websocket, 1)} B (${fixed(cost.wire.websocket / cost.wire.before, 3)} ×); ` +
      `on datagrams ${fixed(cost.wire.datagrams, 1)} B (${fixed(cost.wire.datagrams / cost.wire.before, 3)} ×).` : "");
}

const RENDERERS: Record<string, (data: Json) => string> = {
  bench(data) {
    const { arena, arenaOnDatagrams, plainSchema, seeds, floor } = data.bandwidth;
    const t = data.tickCost;
    const tick = (x: Json) => `${fixed(x.p50Us, 0)} / ${fixed(x.p99Us, 0)} µs`;
    const us = (micros: number) => `${Math.round(micros)} µs/s`;
    const cpuRow = (label: string, pick: (run: Json) => number, runs: Json[]) => [label, ...runs.map((run) => (run ? us(pick(run)) : "–"))];
    // Arena on datagrams, when the run measured it, stands beside Arena on the WebSocket alone.
    const onDatagrams = (runs: Json[], extra: Json | undefined) => (extra ? [runs[0], extra, ...runs.slice(1)] : runs);
    const oneRoom = onDatagrams([arena, plainSchema, seeds, floor], arenaOnDatagrams);
    const datagramsCell = (cell: string) => (arenaOnDatagrams ? [cell] : []);
    const echo = (run: Json | undefined) => (run?.latency ? `${run.latency.p50Ms} / ${run.latency.p99Ms} ms` : "");
    const main = table(["16 players, 30 Hz, one room", ...oneRoom.map(labelOf)], [
      ["received per client", ...oneRoom.map((run) => (run ? kB(run.receivedBytesPerClientSecond) : "–"))],
      ["sent per client", ...oneRoom.map((run) => (run ? kB(run.sentBytesPerClientSecond) : "–"))],
      cpuRow("server CPU per client (user + system)", (run) => run.serverCpuMicrosPerClientSecond, oneRoom),
      cpuRow("server CPU per client (user time)", (run) => run.serverUserMicrosPerClientSecond, oneRoom),
      [`tick p50 / p99 (in-process, ~${t.meanProjectiles} projectiles)`, tick(t.arenaTick), ...datagramsCell(tick(t.arenaTick)), tick(t.plainSchemaTick), tick(t.seedsTick), "–"],
      ["input → own echo p50 / p99", `${data.latency.p50Ms} / ${data.latency.p99Ms} ms`, ...datagramsCell(echo(arenaOnDatagrams)), "", "", ""],
    ]);
    const ratioText = (r: Json | undefined) => r
      ? `Arena / floor ${fixed(r.arenaToFloor.all, 2)} (user time ${fixed(r.arenaToFloor.user, 2)}), Arena / seeds' ${fixed(r.arenaToSeeds.all, 2)} (user time ${fixed(r.arenaToSeeds.user, 2)})`
      : "–";
    const frames = data.floorFrames ? ` The floor sent ${data.floorFrames.frameBytes}-byte frames (Arena's median patch) and took ${data.floorFrames.inputBytes}-byte inputs.` : "";
    const fewer = data.fewerPatches as Json | undefined;
    const fewerText = !fewer ? "" : `\n\nArena with ${fewer.patchHz} patches a second over the ${data.tickHz} Hz tick, same run: server CPU ${us(fewer.serverCpuMicrosPerClientSecond)} per client ` +
      `(${fixed(fewer.serverCpuMicrosPerClientSecond / floor.serverCpuMicrosPerClientSecond, 2)} × the ${data.tickHz} Hz floor; ${data.tickHz} patches: ${fixed(arena.serverCpuMicrosPerClientSecond / floor.serverCpuMicrosPerClientSecond, 2)} ×), ` +
      `received ${kB(fewer.receivedBytesPerClientSecond)}, input → own echo p50 / p99 ${fewer.latency?.p50Ms} / ${fewer.latency?.p99Ms} ms (${data.tickHz} patches: ${data.latency.p50Ms} / ${data.latency.p99Ms} ms).`;
    const many = data.manyRooms as Json | undefined;
    const manyRuns: Json[] = many ? onDatagrams([many.arena, many.seeds, many.floor], many.arenaOnDatagrams) : [];
    const manyTable = !many ? "" : `\n\n${table([`${many.rooms} rooms of 16 (${many.arena.clients} clients)`, ...manyRuns.map(labelOf)], [
      ["received per client", ...manyRuns.map((run) => kB(run.receivedBytesPerClientSecond))],
      cpuRow("server CPU per client (user + system)", (run) => run.serverCpuMicrosPerClientSecond, manyRuns),
      cpuRow("server CPU per client (user time)", (run) => run.serverUserMicrosPerClientSecond, manyRuns),
      ["server core", ...manyRuns.map((run) => pct(run.serverCoreShare))],
      ["bots' core", ...manyRuns.map((run) => pct(run.clientCoreShare))],
      ["states per client", ...manyRuns.map((run) => `${run.statesPerClientSecond}/s`)],
      ["saturated", ...manyRuns.map((run) => run.saturated)],
    ])}\n\nServer CPU per client, ${many.rooms} rooms: ${ratioText(data.ratios.manyRooms)}.`;
    const d = data.ratios.datagrams as Json | undefined;
    const datagramsText = !d ? "" : `\n\nArena on datagrams over Arena on the WebSocket alone, same run: one room, received ${fixed(d.oneRoom.received, 2)}, ` +
      `server CPU ${fixed(d.oneRoom.cpu.all, 2)} (user time ${fixed(d.oneRoom.cpu.user, 2)})` +
      (d.manyRooms ? `; ${many?.rooms} rooms, received ${fixed(d.manyRooms.received, 2)}, server CPU ${fixed(d.manyRooms.cpu.all, 2)} (user time ${fixed(d.manyRooms.cpu.user, 2)})` : "") +
      `. Received per client on datagrams: ${fixed(d.receivedToBefore, 2)} × Arena's figure before positions rode the unreliable channel.`;
    const goals = Object.values(data.goals as Record<string, Json>).map((g) => `- ${g.goal}: ${g.met ? "met" : "not met"}`).join("\n");
    const passes = data.passes as Json | undefined;
    const passList = (cpu: Record<string, number[]>) => Object.entries(cpu)
      .map(([kind, micros]) => `${kind === "arena-datagrams" ? ARENA_ON_DATAGRAMS_NAME : SERVER_NAMES[kind as ServerKind] ?? kind} ${micros.join(", ")}`).join("; ");
    const passText = passes && passes.count > 1
      ? `\n\nEvery server was measured ${passes.count} times, in turn, and each keeps its pass with the least CPU. Server CPU per client of every pass, µs/s: ` +
        `one room: ${passList(passes.oneRoomCpu)}${passes.manyRoomsCpu ? `; ${many?.rooms} rooms: ${passList(passes.manyRoomsCpu)}` : ""}.`
      : "";
    return `${main}\n\nServer CPU per client, one room: ${ratioText(data.ratios.oneRoom)}.${frames} Arena step alone ${tick(t.plainStep)}; patch ${t.arenaPatchBytes} bytes a tick. ` +
      `Load average ${data.loadAverage.before} before, ${data.loadAverage.after} after.${fewerText}${manyTable}${datagramsText}${lastWriteText(data.lastWrite)}${passText}\n\n${goals}`;
  },

  profile: renderProfile,
  "profile-before": renderProfile,
  "profile-floor": renderProfile,

  "netcheck-patch20": (data) => `${data.patchHz} patches a second over a ${data.tickHz} Hz tick, ${data.seconds} s per profile.\n\n${RENDERERS.netcheck(data)}`,

  netcheck(data) {
    // Results from before the datagram channel have no transport: the WebSocket carried everything.
    const transport = (row: Json) => row.transport === "datagrams"
      ? `datagrams${row.on.datagramShare < 0.995 ? ` (${pct(row.on.datagramShare)} of frames)` : ""}`
      : "WebSocket";
    const rows = (data.rows as Json[]).map((row) => {
      const { on, off } = row;
      const profile = data.profiles[row.profile];
      return [
        `${row.profile} (${profile.latencyMs} ms ±${profile.jitterMs}, ${profile.lossPercent} % loss)`, transport(row),
        `${Math.round(on.pingMs)} ms`, on.driftMax, pct(on.starvedShare),
        `${pct(on.fairness)} (${on.granted}/${on.onScreenHits})`, `${pct(off.fairness)} (${off.granted}/${off.onScreenHits})`,
        `${Math.round(on.meanInterpolationDelayMs)} ms`,
      ];
    });
    const load = data.loadAverage ? `\n\nLoad average ${fixed(data.loadAverage.before, 2)} before, ${fixed(data.loadAverage.after, 2)} after.` : "";
    return table(["profile", "unreliable frames on", "ping", "own-player drift", "extrapolated frames", "fair hits, lag comp on", "fair hits, off", "interpolation delay"], rows) + load;
  },

  loadtest(data) {
    return table(["clients / rooms", "seconds", "CCU", "tick p50 / p99", "echo p50 / p99", "in / out per client", "patches/s", "errors", "bots' core / server's core"], [[
      `${data.clients} / ${data.rooms}`, fixed(data.seconds, 0), data.ccu, `${data.tickP50Ms} / ${data.tickP99Ms} ms`,
      `${data.echoP50Ms} / ${data.echoP99Ms} ms`, `${kB(data.receivedBytesPerClientSecond)} / ${kB(data.sentBytesPerClientSecond)}`,
      `${data.statesPerClientSecond} of ${data.tickHz}`, errorCount(data),
      `${pct(data.clientCoreShare)} / ${pct(data.serverCoreShare)}`,
    ]]) + `\n\nBottleneck: ${data.bottleneck}.`;
  },

  scale(data) {
    return table(["processes", "rooms per process", "core share per process", "server CPU per client", "tick p99", "mean tick", "states per client", "projected CCU", "scaling"],
      (data.runs as Json[]).map((run) => [
        run.processes, run.roomsPerProcess.join("/"), run.coreShares.map((s: number) => s.toFixed(2)).join("/"),
        ms(run.serverCpuMicrosPerClientSecond), `≤ ${run.tickP99Ms} ms`, `${run.meanTickMicros} µs`, `${run.statesPerClientSecond}/s`,
        run.projectedClients, `${(run.projectedClients / data.runs[0].projectedClients).toFixed(2)}×`,
      ])) + `\n\nLoad average ${data.loadAverageBefore} before the run.`;
  },

  pageload(data) {
    const network = data.network;
    const kB = (bytes: number | undefined) => (bytes === undefined ? "–" : `${(bytes / 1000).toFixed(1)} kB`);
    const ms = (value: number | undefined) => (value === undefined || value === null ? "–" : `${Math.round(value)} ms`);
    const rows = (data.rows as Json[]).map((row) => [
      row.variant, row.visit, kB(row.transferredBytes), kB(row.bytesBeforeMenu), kB(row.scriptBytes),
      `${Math.round(row.playableMenuMs)} ms (${Math.round(row.playableMenuMsRange[0])}–${Math.round(row.playableMenuMsRange[1])})`,
      ms(row.gamesListedMs), ms(row.engineReadyMs), ms(row.quickPlayToMatchMs),
    ]);
    const scripts = data.scripts;
    const chunks = scripts.chunks
      ? ` By chunk, brotli: ${Object.entries(scripts.chunks as Record<string, Json>).map(([chunk, size]) => `${chunk} ${(size.brotli / 1000).toFixed(1)} kB`).join(", ")}.`
      : "";
    const load = data.loadAverage ? ` One-minute load average ${data.loadAverage.before.toFixed(1)} before the runs, ${data.loadAverage.after.toFixed(1)} after.` : "";
    return `${network.name}: ${network.downloadBitsPerSecond / 1e6} Mbit/s down, ${network.uploadBitsPerSecond / 1e6} Mbit/s up, ${network.latencyMs} ms round trip; median of ${data.runs} visits each, the variants in turn in every run.${load}\n\n`
      + table(["served", "visit", "transferred", "before the menu works", "of it scripts", "to a playable menu, median (range)", "list of games", "engine", "Quick Play → first frame"], rows)
      + `\n\nThe built scripts: ${(scripts.plain / 1000).toFixed(0)} kB minified, ${(scripts.gzip / 1000).toFixed(0)} kB gzip, ${(scripts.brotli / 1000).toFixed(0)} kB brotli.${chunks}`;
  },

  clientfps(data) {
    return table(["renderer, viewport", "fps", "frame time p50 / p99 / max", "frames over 20 ms", "main thread busy per frame (script)", "projectiles in flight p50 (min–max)", "players in the match / drawn"], [[
      `${data.renderer}, ${data.viewport.width}×${data.viewport.height}`, fixed(data.fps), `${fixed(data.frameMs.p50)} / ${fixed(data.frameMs.p99)} / ${fixed(data.frameMs.max)} ms`,
      `${data.framesOver20Ms} of ${data.frames}`, `${fixed(data.mainThreadBusyMsPerFrame)} ms (${fixed(data.scriptMsPerFrame)} ms)`,
      `${data.projectilesInFlight.p50} (${data.projectilesInFlight.min}–${data.projectilesInFlight.max})`, `${data.playersInMatch.p50} / ${data.playersDrawn.p50}`,
    ]]) + `\n\n${data.seconds} s measured after ${data.warmup} s of play; headless Chromium paces frames to 60 Hz, so 16.7 ms is the floor.`;
  },

  storage(data) {
    const backends = data.backends as Array<{ label: string; timings: Array<{ operation: string; p50: number; p99: number }> }>;
    const head = `${data.matches.toLocaleString("en")} stored matches (${data.linesPerMatch} lines each) on ${data.profiles.toLocaleString("en")} profiles, ${data.runs} runs per query.`;
    const rows = backends[0]!.timings.map((timing, i) => [timing.operation,
      ...backends.map((backend) => `${fixed(backend.timings[i]!.p50, 2)} / ${fixed(backend.timings[i]!.p99, 2)} ms`)]);
    const replay = data.replay;
    const bytes = `A recorded match (${replay.players} players, ${replay.source}): ${replay.rawBytes.toLocaleString("en")} bytes raw, `
      + `${replay.storedBytes.toLocaleString("en")} bytes stored (${pct(replay.storedBytes / replay.rawBytes)}).`;
    return [head, table(["p50 / p99", ...backends.map((backend) => backend.label)], rows), bytes].join("\n\n");
  },
};

/** `npm run sim -- --matches N --workers N`: how long a balance run took, in wall time and CPU time, on a machine this loaded. */
function renderBalance(data: Json): string {
  return table(["balance run", ""], [
    ["matches", `${data.matches.toLocaleString("en")} × ${data.bots} bots, ${data.matchSeconds} s each, ${data.ruleSets.join(" and ")}`],
    ["worker threads", data.workers],
    ["wall time", `${fixed(data.seconds)} s (${Math.round(data.realTime).toLocaleString("en")}× real time)`],
    ["CPU time, all threads", `${fixed(data.cpuSeconds)} s (${Math.round((1000 * data.cpuSeconds) / data.matches)} ms a match)`],
    ["load average (1 min) before, after", data.loadAverage ? `${fixed(data.loadAverage.before, 2)}, ${fixed(data.loadAverage.after, 2)}` : "–"],
  ]);
}

/** `npm run profile`: what the process spent (user, system, per thread) beside where the samples fell (V8's, or perf's with --perf). */
function renderProfile(data: Json): string {
  const msOf = (micros: number) => `${Math.round(micros / 1000)} ms`;
  const total = data.processMicros.user + data.processMicros.system;
  const perClient = (micros: number) => `${Math.round(micros / data.players / data.seconds)} µs`;
  const threads = table(["thread", "user", "system"], (data.threads as Json[]).filter((t) => t.userMicros + t.systemMicros > 0)
    .map((t) => [t.name, msOf(t.userMicros), msOf(t.systemMicros)]));
  const server = { floor: "The floor (bare ws)", seeds: "The seeds' method" }[data.server as string] ?? "Arena";
  const rooms = data.rooms > 1 ? ` in ${data.rooms} rooms` : "";
  const warmUp = data.warmUpSeconds !== undefined ? ` after ${data.warmUpSeconds} s of play` : "";
  const process = `${server}, ${data.players} players${rooms}, ${data.seconds} s measured${warmUp}, load average ${fixed(data.loadAverage, 2)}. The server process: ` +
    `${msOf(data.processMicros.user)} user + ${msOf(data.processMicros.system)} system = ${msOf(total)} (${data.processMicrosPerClientSecond} µs per client per second)`;
  if (data.perf) {
    const areas = table(["area (perf, CPU time of every thread)", "of the samples", "per client per second"], (data.perf.areas as Json[])
      .map((area) => [area.name, `${fixed(area.share * 100, 1)} %`, perClient(area.share * total)]));
    return `${process}; perf took ${data.perf.samples} samples.\n\n${threads}\n\n${areas}`;
  }
  const areas = table(["area (V8 profile samples)", "self time", "per client per second"], (data.samples.areas as Json[])
    .map((area) => [area.name, msOf(area.selfMicros), perClient(area.selfMicros)]));
  return `${process}; the samples saw ${msOf(data.samples.busyMicros)} of it busy.\n\n${threads}\n\n${areas}`;
}

/** `npm run bench -- --room-size`: the arena's 16 players, then each large room with interest management on and off, and the goals. */
function renderRoomSize(data: Json): string {
  const runs = [data.arena, ...data.large] as RoomSizeRun[];
  const goals = (data.goals as RoomSizeGoal[]).map((goal) => `- ${goalText(goal)}`).join("\n");
  return `${data.seconds} s measured per room after ${data.warmUpSeconds} s of play, ${data.tickHz} Hz, ${data.transport}; ${data.pinning}; ` +
    `load average ${fixed(data.loadAverage.before, 2)} before, ${fixed(data.loadAverage.after, 2)} after.\n\n` +
    `${table([...ROOM_SIZE_HEADER], roomSizeRows(runs))}\n\nGoals, the largest room with interest management against the arena of the same run:\n\n${goals}`;
}

RENDERERS["sim-balance"] = renderBalance;
RENDERERS["room-size"] = renderRoomSize;
// The large mode's runs of the same tools (`--large`, `--mode large`): the same tables.
RENDERERS["clientfps-large"] = (data) => RENDERERS.clientfps!(data) +
  (data.inPage ? `\n\nThe large mode: ${data.playersInMatch.p50} players on the large map; the page holds the ${data.inPage.players} players and ${data.inPage.projectiles} projectiles of its view (p50).` : "");
RENDERERS["netcheck-large"] = RENDERERS.netcheck!;
Object.assign(RENDERERS, ROBUSTNESS_RENDERERS);

/** Names of the results files this module knows how to render. */
export const KNOWN_RESULTS = Object.keys(RENDERERS);

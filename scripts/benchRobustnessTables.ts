/**
 * The robustness runs' tables in docs/benchmarks.md: hostile clients, connections
 * cut (chaos), Redis outages, a rolling restart, and the soak's memory under a
 * long load. Registered with the other renderers in scripts/benchTables.ts.
 */

import { errorCount, fixed, pct, table, type Json } from "./benchTableCells.ts";

/** How `npm run hostile -- --transport` put the honest players on their channels. */
const HONEST_TRANSPORT: Record<string, string> = { mixed: "every other one on datagrams", datagrams: "all on datagrams", websocket: "all on the WebSocket" };

/** The renderers of bench/results/{hostile,chaos,chaos-redis,chaos-rolling,soak}.json. */
export const ROBUSTNESS_RENDERERS: Record<string, (data: Json) => string> = {
  hostile(data) {
    const attacks = table(["attack", "tried", "answered as documented", "offender cut off"],
      (data.attacks as Json[]).map((a) => [a.name, a.tried, a.documented, a.disconnected]));
    const latency = table(["", "no attack", "under attack"], [
      ["honest players' input→echo p50", `${data.latency.baseline.p50Ms} ms`, `${data.latency.underAttack.p50Ms} ms`],
      ["honest players' input→echo p99", `${data.latency.baseline.p99Ms} ms`, `${data.latency.underAttack.p99Ms} ms`],
    ]);
    const honest = data.transport ? `${data.honest} honest players (${HONEST_TRANSPORT[data.transport as string] ?? data.transport})` : `${data.honest} honest players`;
    return `${honest}, ${data.hostile} hostile clients, ${data.seconds} s of attack after ${data.baselineSeconds} s of baseline.\n\n${attacks}\n\n${latency}\n\n` +
      `Server alive: ${data.serverAlive ? "yes" : "no"}, errors logged: ${data.serverErrors}; resident memory ${data.rssMegabytes.before} → ${data.rssMegabytes.after} MB, heap in use ${data.heapUsedMegabytes.before} → ${data.heapUsedMegabytes.after} MB.`;
  },

  chaos(data) {
    const cuts = table(["bots", "cuts", "resumed in the same seat", "seats lost", "players vanished from a view", "resume p50 / p99 / max"], [[
      data.bots, data.cuts, data.resumedSameSeat, data.lostSeats, data.vanishedObservations,
      `${data.resumeMsP50} / ${data.resumeMsP99} / ${data.resumeMsMax} ms`,
    ]]);
    const channels = data.datagrams as Json | undefined;
    if (!channels) return data.transport ? `${cuts}\n\nThe bots on the WebSocket alone (\`--transport ${data.transport}\`).` : cuts;
    const reasons = Object.entries(channels.uncutFailureReasons ?? {}).map(([reason, count]) => `${count} ${reason}`);
    const uncut = reasons.length > 0 ? ` (${reasons.join(", ")})` : "";
    return `${cuts}\n\n${table(
      ["bots on datagrams", "channels back after a resume", "resume → channel open p50 / p99", "channel cuts", "played on in the seat", "channels back after a cut", "cut → channel open p50 / p99 / max", "never back"],
      [[
        `${channels.bots} of ${data.bots}`, channels.reopenedAfterResume, `${channels.reopenMsP50} / ${channels.reopenMsP99} ms`, channels.channelCuts,
        channels.fallbacksInSeat, channels.recovered, `${channels.recoverMsP50} / ${channels.recoverMsP99} / ${channels.recoverMsMax} ms`,
        channels.notBackAfterResume + channels.notRecovered,
      ]],
    )}\n\n\`--transport ${data.transport}\`; channels that failed with no cut: ${channels.failedUncut}${uncut}.`;
  },

  "chaos-redis"(data) {
    const summary = table(["processes", "bots in rooms", "outages", "matches ended", "seats lost", "processes exited", "error lines logged", "connections cut / back"], [[
      data.processes, `${data.bots} in ${data.rooms}`, `${data.outages} × ${data.outageSeconds} s`, data.matchesEnded, data.seatsLost,
      data.processesExited, data.serverErrorLines ?? "–", `${data.connectionsCut} / ${data.connectionsCut - data.connectionsNotBack}`,
    ]]);
    const patches = table(["phase", "patches/s per room, mean", "lowest room"],
      (data.patchesPerSecond as Json[]).map((row) => [row.phase, fixed(row.mean), fixed(row.min)]));
    const returns = table(["Redis back (empty)", "first successful join", "complete lobby listing"],
      (data.returns as Json[]).map((row, index) => [`after outage ${index + 1}`, `${fixed(row.firstJoinSeconds)} s`, `${fixed(row.completeLobbySeconds)} s`]));
    const answers = table(["join during an outage", "times"], (data.refusals as Json[]).map((row) => [row.answer.replaceAll("|", "\\|"), row.count]));
    return `${summary}\n\n${patches}\n\n${returns}\n\n${answers}`;
  },

  "chaos-rolling"(data) {
    return table(["processes", "bots in rooms", "restarts", "rooms moved (drained instead)", "seats lost", "scores lost", "hash mismatches", "pause per player p50 / p99 / max", "of it: drop to reconnection", "inputs lost", "error lines logged"], [[
      data.processes, `${data.bots} in ${data.rooms}`, `${data.restarts} (${data.rounds} rounds)`, `${data.roomsMoved} (${data.fallbacks})`,
      data.seatsLost, data.scoresLost, data.hashMismatches, `${data.pauseMs.p50} / ${data.pauseMs.p99} / ${data.pauseMs.max} ms`,
      `${data.reconnectMs.p50} / ${data.reconnectMs.p99} / ${data.reconnectMs.max} ms`, data.inputsLost, data.serverErrorLines,
    ]]) + `\n\nEach room stood still on its old process for ${data.handoverMs.p50} ms (median; at most ${data.handoverMs.max} ms) while it was handed over, before its clients were sent on`
      + (data.restoreSteps ? `; of it, the new process restored it in ${data.restoreMs.p50} ms (lease claimed ${data.restoreSteps.claimMs}, room created ${data.restoreSteps.createMs}, seats held ${data.restoreSteps.holdMs}, live ${data.restoreSteps.liveMs} ms; medians). ` : ". ")
      + `${data.seatsMoved} seats moved with their rooms; the bots spent ${data.inputTicksAway} input ticks away in all (standing still, nothing sent). The machine's load average at the end of the run: ${data.loadAverage ?? "–"}.`;
  },

  soak(data) {
    const memory = data.soak as Json;
    const curve = table(["seconds", "resident", "heap used", "CCU", "MB per CCU"], (memory.samples as Json[]).map((sample) => [
      sample.atSeconds, `${sample.residentMegabytes} MB`, `${sample.heapUsedMegabytes} MB`, sample.ccu,
      sample.ccu > 0 ? fixed(sample.residentMegabytes / sample.ccu, 2) : "–",
    ]));
    const idle = memory.idle ? `Idle, before anyone joined: ${memory.idle.residentMegabytes} MB resident, ${memory.idle.heapUsedMegabytes} MB heap. ` : "";
    const aboveIdle = memory.megabytesPerCcuAboveIdle !== undefined ? `, ${Math.round(memory.megabytesPerCcuAboveIdle * 1000)} kB per client above the idle server` : "";
    const matches = data.matchSeconds ? `, matches of ${data.matchSeconds} s each recorded and stored at its end` : "";
    return `${data.clients} clients in ${data.rooms} rooms for ${fixed(data.seconds, 0)} s${matches}, load average ${fixed(data.loadAverage, 2)} at the start; ` +
      `${errorCount(data)} errors; server ${pct(data.serverCoreShare)} of a core, bots ${pct(data.clientCoreShare)}.\n\n${curve}\n\n` +
      `${idle}After the ${memory.warmUpSeconds} s warm-up ${memory.residentAfterWarmUpMegabytes} MB, at the end ${memory.residentAtEndMegabytes} MB: ` +
      `growth ${fixed(memory.growthAfterWarmUp * 100, 1)} %. ${memory.megabytesPerCcu} MB per connected client${aboveIdle} (MB = 10^6 bytes).` +
      (memory.oneRoom && memory.megabytesPerAddedCcuAtEnd !== undefined
        ? `\n\nOne room of ${memory.oneRoom.ccu} alone, after ${memory.oneRoom.playedSeconds} s of play: ${memory.oneRoom.residentMegabytes} MB resident, ` +
          `${memory.oneRoom.heapUsedMegabytes} MB heap. Each client joined after it added ${Math.round(memory.megabytesPerAddedCcuAfterWarmUp * 1000)} kB ` +
          `after the warm-up and ${Math.round(memory.megabytesPerAddedCcuAtEnd * 1000)} kB at the end.`
        : "");
  },
};

/**
 * `npm run netcheck [-- --seconds 20] [--transport both|datagrams|websocket] [--mode arena|large]`:
 * Arena's netcode measured under four network profiles (see testkit/netcheck.ts
 * for what is measured and how), with the unreliable frames on a DataChannel
 * and on the WebSocket alone, side by side. Prints a table and writes
 * bench/results/netcheck.json; with `--patch-hz N` below the tick rate, the
 * server sends N patches a second and the results go to
 * bench/results/netcheck-patchN.json. With `--mode large`, in the large mode's
 * room (its map, its interest management), written to netcheck-large.json.
 */
import { NETWORK_PROFILES, type NetworkProfileName } from "../client/net/netsim.ts";
import { runNetcheck, type NetcheckResult, type NetcheckTransport } from "../testkit/netcheck.ts";
import { loadavg } from "node:os";
import { DEFAULT_TICK_HZ } from "../shared/constants.ts";
import { columnTable, progress, toolFlags, usageError, writeResult } from "./lib/report.ts";

const { flags: options } = toolFlags("netcheck", process.argv.slice(2), {
  seconds: 20, seed: 7, "patch-hz": DEFAULT_TICK_HZ, transport: "both", mode: "arena",
});
const mode = options.mode === "large" || options.mode === "arena" ? options.mode : usageError("netcheck", "--mode takes arena or large");
const TRANSPORTS: Record<string, NetcheckTransport[]> = { both: ["datagrams", "websocket"], datagrams: ["datagrams"], websocket: ["websocket"] };
const transports = TRANSPORTS[options.transport] ?? usageError("netcheck", `--transport takes ${Object.keys(TRANSPORTS).join(", ")}`);
const patchHz = options["patch-hz"];
const show = progress();
const rows: Array<{ profile: NetworkProfileName; transport: NetcheckTransport; on: NetcheckResult; off: NetcheckResult }> = [];
// Server and clients share this process: other work on the machine delays their timers, and every figure with them.
const loadBefore = loadavg()[0];

for (const profile of Object.keys(NETWORK_PROFILES) as NetworkProfileName[]) {
  for (const transport of transports) {
    const run = (lagCompensation: boolean) => runNetcheck({
      profile: NETWORK_PROFILES[profile], seconds: options.seconds, lagCompensation, seed: options.seed, patchHz, transport, mode,
      onProgress: (line) => show(`${profile}, ${transport}, lag compensation ${lagCompensation ? "on" : "off"}: ${line}`),
    });
    rows.push({ profile, transport, on: await run(true), off: await run(false) });
  }
}
process.stderr.write("\n");

const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : "n/a");
const header = ["profile", "transport", "ping", "drift max", "extrapolated frames", "fair hits (lag comp on)", "fair hits (off)", "interp delay"];
console.log(columnTable(header, rows.map(({ profile, transport, on, off }) => [
  profile,
  transport === "datagrams" ? `datagrams (${percent(on.datagramShare)} of frames)` : transport,
  `${Math.round(on.pingMs)} ms`,
  `${on.driftMax.toPrecision(2)} u`,
  percent(on.starvedShare),
  `${percent(on.fairness)} (${on.granted}/${on.onScreenHits})`,
  `${percent(off.fairness)} (${off.granted}/${off.onScreenHits})`,
  `${Math.round(on.meanInterpolationDelayMs)} ms`,
])));
const name = `netcheck${mode === "large" ? "-large" : ""}${patchHz === DEFAULT_TICK_HZ ? "" : `-patch${patchHz}`}`;
const loadAverage = { before: loadBefore, after: loadavg()[0] };
console.log(`load average ${loadAverage.before.toFixed(2)} before, ${loadAverage.after.toFixed(2)} after`);
console.log(`results: ${writeResult(name, { seconds: options.seconds, mode, patchHz, tickHz: DEFAULT_TICK_HZ, profiles: NETWORK_PROFILES, rows, loadAverage })}`);
process.exit(0);

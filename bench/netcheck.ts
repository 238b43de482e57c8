/**
 * `npm run netcheck [-- --seconds 20]`: Arena's netcode measured under four
 * network profiles (see testkit/netcheck.ts for what is measured and how).
 * Prints a table and writes bench/results/netcheck.json; with `--patch-hz N`
 * below the tick rate, the server sends N patches a second and the results
 * go to bench/results/netcheck-patchN.json.
 */
import { NETWORK_PROFILES, type NetworkProfileName } from "../client/net/netsim.ts";
import { runNetcheck, type NetcheckResult } from "../testkit/netcheck.ts";
import { DEFAULT_TICK_HZ } from "../shared/constants.ts";
import { numericFlags, progress, writeResult } from "./lib/report.ts";

const options = numericFlags(process.argv.slice(2), { seconds: 20, seed: 7, "patch-hz": DEFAULT_TICK_HZ });
const patchHz = options["patch-hz"];
const show = progress();
const rows: Array<{ profile: NetworkProfileName; on: NetcheckResult; off: NetcheckResult }> = [];

for (const profile of Object.keys(NETWORK_PROFILES) as NetworkProfileName[]) {
  const run = (lagCompensation: boolean) => runNetcheck({
    profile: NETWORK_PROFILES[profile], seconds: options.seconds, lagCompensation, seed: options.seed, patchHz,
    onProgress: (line) => show(`${profile}, lag compensation ${lagCompensation ? "on" : "off"}: ${line}`),
  });
  rows.push({ profile, on: await run(true), off: await run(false) });
}
process.stderr.write("\n");

const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : "n/a");
const header = ["profile", "ping", "drift max", "extrapolated frames", "fair hits (lag comp on)", "fair hits (off)", "interp delay"];
const lines = rows.map(({ profile, on, off }) => [
  profile,
  `${Math.round(on.pingMs)} ms`,
  `${on.driftMax.toPrecision(2)} u`,
  percent(on.starvedShare),
  `${percent(on.fairness)} (${on.granted}/${on.onScreenHits})`,
  `${percent(off.fairness)} (${off.granted}/${off.onScreenHits})`,
  `${Math.round(on.meanInterpolationDelayMs)} ms`,
]);
const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ");
console.log(format(header));
console.log(widths.map((width) => "-".repeat(width)).join("  "));
for (const line of lines) console.log(format(line));
const name = patchHz === DEFAULT_TICK_HZ ? "netcheck" : `netcheck-patch${patchHz}`;
console.log(`results: ${writeResult(name, { seconds: options.seconds, patchHz, tickHz: DEFAULT_TICK_HZ, profiles: NETWORK_PROFILES, rows })}`);
process.exit(0);

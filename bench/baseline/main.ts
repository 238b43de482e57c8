/**
 * Runs one baseline server as its own process, so the benchmark can measure
 * its CPU time alone: `node bench/baseline/main.ts seeds|plain-schema|floor|datagram-floor`.
 * Reads PORT (0 = free), HOST, TICK_HZ, MATCH_SECONDS, MAX_PLAYERS, SEED,
 * (plain-schema) PLAIN_NUMBER_TYPE (`number` or `float64`) and (floor,
 * datagram-floor) FLOOR_FRAME_BYTES from the environment; logs `{"msg":"listening","url":…}` on stderr as the
 * Arena server does, and exits on SIGTERM/SIGINT.
 */
import { makeRules } from "../../shared/rules.ts";
import type { BaselineServer, BaselineServerOptions } from "./baselineServer.ts";
import type { PlainNumberType } from "./plainSchema.ts";
import { createPlainSchemaServer } from "./plainSchemaServer.ts";
import { createSeedsServer } from "./seedsServer.ts";
import { createFloorServer } from "./floorServer.ts";
import { createDatagramFloorServer } from "./datagramFloorServer.ts";

type Options = BaselineServerOptions & { numberType?: PlainNumberType; frameBytes?: number };
const kinds: Record<string, (options: Options) => BaselineServer> = {
  seeds: createSeedsServer,
  "plain-schema": createPlainSchemaServer,
  floor: createFloorServer,
  "datagram-floor": createDatagramFloorServer,
};

const kind = process.argv[2] ?? "";
const create = kinds[kind];
if (!create) {
  process.stderr.write(`usage: node bench/baseline/main.ts ${Object.keys(kinds).join("|")}\n`);
  process.exit(2);
}
const env = process.env;
const server = create({
  host: env.HOST ?? "127.0.0.1",
  port: Number(env.PORT ?? 0),
  rules: makeRules({ tickHz: Number(env.TICK_HZ ?? 30), matchSeconds: Number(env.MATCH_SECONDS ?? 3600) }),
  seed: Number(env.SEED ?? 1),
  maxPlayers: Number(env.MAX_PLAYERS ?? 16),
  numberType: env.PLAIN_NUMBER_TYPE === "float64" ? "float64" : "number",
  frameBytes: env.FLOOR_FRAME_BYTES ? Number(env.FLOOR_FRAME_BYTES) : undefined,
});
const port = await server.listen();
process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "listening", baseline: kind, url: `http://127.0.0.1:${port}/` }) + "\n");
const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

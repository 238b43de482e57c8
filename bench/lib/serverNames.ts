import type { ServerKind } from "../../testkit/netBots.ts";

/** What the benchmark's tables, chart and docs call each server. */
export const SERVER_NAMES: Readonly<Record<ServerKind, string>> = {
  arena: "Arena",
  "plain-schema": "plain Colyseus schema",
  seeds: "seeds' method (JSON)",
  floor: "floor (bare ws)",
};

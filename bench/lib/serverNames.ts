import type { ServerKind } from "../../testkit/netBots.ts";

/** What the benchmark's tables, chart and docs call each server. */
export const SERVER_NAMES: Readonly<Record<ServerKind, string>> = {
  arena: "Arena",
  "plain-schema": "plain Colyseus schema",
  seeds: "seeds' method (JSON)",
  floor: "floor (bare ws)",
};

/** What the tables call Arena with every client's unreliable frames on a DataChannel (the other servers have none). */
export const ARENA_ON_DATAGRAMS_NAME = "Arena, datagrams";

/** The name of a measured server: Arena on datagrams by its own name, every other by its kind's. */
export function serverLabel(run: { kind: ServerKind; transport?: string }): string {
  return run.kind === "arena" && run.transport === "datagrams" ? ARENA_ON_DATAGRAMS_NAME : SERVER_NAMES[run.kind];
}

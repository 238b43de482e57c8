import { Counter, Histogram, type Registry } from "prom-client";

/** How a room's move ended, as `arena_rooms_migrated_total` labels it. */
export type MoveResult = "moved" | "written_for_restart" | "restored_at_boot" | "fallback" | "hash_mismatch";

/** Pause buckets (s): a move should cost a player well under a second; the SDK's backoff can stretch it to a few. */
const PAUSE_SECONDS_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10];

/** The metrics of rooms moving between processes (docs/hosting.md, "Deploys"). */
export class MoveMetrics {
  private readonly results: Counter<"result">;
  private readonly pause: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.results = new Counter({
      name: "arena_rooms_migrated_total",
      help: "Rooms moved on drain: result=moved (to a live process, old side), written_for_restart (for the next process at this address), restored_at_boot (new side of an in-place restart), fallback (no move: drained here with 4001), hash_mismatch (restored, state hash differs from the one written).",
      labelNames: ["result"],
      registers,
    });
    this.pause = new Histogram({
      name: "arena_room_move_pause_seconds",
      help: "Per player of a moved room: from the room stopping on its old home to the player's client being back in it on the new one.",
      buckets: PAUSE_SECONDS_BUCKETS,
      registers,
    });
    for (const result of ["moved", "written_for_restart", "restored_at_boot", "fallback", "hash_mismatch"] satisfies MoveResult[]) {
      this.results.inc({ result }, 0);
    }
  }

  counted(result: MoveResult): void {
    this.results.inc({ result });
  }

  /** A player of a moved room is back, `seconds` after the room stopped. */
  paused(seconds: number): void {
    this.pause.observe(seconds);
  }
}

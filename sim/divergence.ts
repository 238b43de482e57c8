/**
 * The divergence finder: when two runs of the rules disagree (a replay and its
 * recording, a re-run from the same seed, the server and a client's
 * prediction, two versions of the rules), it names the first tick and the
 * first field that differ, with both values, rather than a hash.
 */
import type { WorldSnapshot } from "../shared/replay.ts";
import { worldFromSnapshot } from "../shared/replayRun.ts";
import type { WorldState } from "../shared/worldState.ts";

/** One field that differs: its path (`players.p1.x`, `projectiles.7.vy`, `phase`) and the value on each side. */
export interface Difference {
  field: string;
  a: unknown;
  b: unknown;
}

/** The first difference between two runs, and the tick after which it was seen. */
export interface Divergence extends Difference {
  tick: number;
}

/** A run the finder can step: its world, and one more tick of it (a step that throws is a difference too). */
export interface Run {
  readonly world: WorldState;
  step(): void;
}

const WORLD_FIELDS = ["tick", "seed", "phase", "phaseEndTick", "timeLeft", "matchNumber", "nextProjectileId"] as const;
/** A player's fields in the order they are compared: those a difference usually shows first come first. */
const PLAYER_FIELDS = [
  "alive", "connected", "x", "y", "vx", "vy", "aim", "hp", "shielded", "score", "deaths",
  "shieldUntilTick", "respawnTick", "reloadTicks", "name",
] as const;
const PROJECTILE_FIELDS = ["owner", "x", "y", "vx", "vy", "expireTick", "lagMs"] as const;

/**
 * The first field in which two worlds (or snapshots) differ, comparing the
 * world's clock, then players and projectiles in id order, field by field;
 * numbers bit for bit (−0 is not 0); `undefined` when they are the same.
 * A player or projectile on one side only is reported as `present`/`absent`.
 */
export function firstDifference(a: WorldState | WorldSnapshot, b: WorldState | WorldSnapshot): Difference | undefined {
  const left = asWorld(a);
  const right = asWorld(b);
  for (const field of WORLD_FIELDS) {
    if (!Object.is(left[field], right[field])) return { field, a: left[field], b: right[field] };
  }
  return firstInCollection("players", left.players, right.players, PLAYER_FIELDS)
    ?? firstInCollection("projectiles", left.projectiles, right.projectiles, PROJECTILE_FIELDS);
}

/**
 * Steps two runs side by side for at most `ticks` ticks, comparing them
 * before the first step and after each; the first divergence, or `undefined`
 * when they stayed the same.
 */
export function findDivergence(a: Run, b: Run, ticks: number): Divergence | undefined {
  for (let done = 0; ; done++) {
    const difference = firstDifference(a.world, b.world);
    if (difference) return { tick: a.world.tick, ...difference };
    if (done === ticks) return undefined;
    const tick = a.world.tick;
    const failedA = failureOf(a);
    const failedB = failureOf(b);
    if (failedA !== failedB) return { tick, field: "step", a: failedA ?? "stepped", b: failedB ?? "stepped" };
    if (failedA !== undefined) return undefined;
  }
}

/** Steps a run; what it threw, if it did. */
function failureOf(run: Run): string | undefined {
  try {
    run.step();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A divergence in words: "tick 12: players.p1.x is 800 in the recording, 796.5 in the re-run". */
export function describeDivergence(divergence: Divergence, aName = "a", bName = "b"): string {
  const { tick, field, a, b } = divergence;
  return `tick ${tick}: ${field} is ${show(a)} in ${aName}, ${show(b)} in ${bName}`;
}

function show(value: unknown): string {
  return Object.is(value, -0) ? "-0" : typeof value === "string" ? JSON.stringify(value) : String(value);
}

function asWorld(world: WorldState | WorldSnapshot): WorldState {
  return world.players instanceof Map ? world as WorldState : worldFromSnapshot(world as WorldSnapshot);
}

function firstInCollection<T extends object>(
  name: string, left: ReadonlyMap<string, T>, right: ReadonlyMap<string, T>, fields: readonly (keyof T & string)[],
): Difference | undefined {
  const ids = [...new Set([...left.keys(), ...right.keys()])].sort(byId);
  for (const id of ids) {
    const l = left.get(id);
    const r = right.get(id);
    if (!l || !r) return { field: `${name}.${id}`, a: l ? "present" : "absent", b: r ? "present" : "absent" };
    for (const field of fields) {
      if (!Object.is(l[field], r[field])) return { field: `${name}.${id}.${field}`, a: l[field], b: r[field] };
    }
  }
  return undefined;
}

/** Ids in a stable order: numbers (projectile ids) by value, then strings. */
function byId(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isInteger(na) && Number.isInteger(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

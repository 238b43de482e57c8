import {
  DEFAULT_TICK_HZ, FIRE_COOLDOWN_SECONDS, MATCH_SECONDS, PLAYER_ACCEL, PLAYER_FRICTION, PLAYER_MAX_HP, PLAYER_MAX_SPEED,
  PROJECTILE_DAMAGE, PROJECTILE_LIFETIME_SECONDS, PROJECTILE_SPEED, RESPAWN_SECONDS, SCOREBOARD_SECONDS,
  SPAWN_PROTECTION_SECONDS, SPAWN_SAFE_DISTANCE,
} from "./constants.ts";
import { ARENA_MAP, type ArenaMap } from "./map.ts";

/**
 * The tuning values a rule set may change from the constants (balance runs'
 * `--set name=value`, scenarios, fuzz cases). Every one defaults to its
 * constant in `constants.ts`, so rules made without them play the game as it
 * ships, to the bit.
 */
export interface Tuning {
  fireCooldownSeconds: number;
  projectileDamage: number;
  projectileSpeed: number;
  projectileLifetimeSeconds: number;
  playerMaxHp: number;
  playerMaxSpeed: number;
  playerAccel: number;
  playerFriction: number;
  respawnSeconds: number;
  spawnProtectionSeconds: number;
  spawnSafeDistance: number;
}

/** Each tuning value's default and the range it may be set in (the wire's ranges bound the speeds). */
export const TUNING: { readonly [K in keyof Tuning]: { readonly value: number; readonly min: number; readonly max: number; readonly unit: string } } = {
  fireCooldownSeconds: { value: FIRE_COOLDOWN_SECONDS, min: 0, max: 10, unit: "s" },
  projectileDamage: { value: PROJECTILE_DAMAGE, min: 0, max: 1000, unit: "hp" },
  projectileSpeed: { value: PROJECTILE_SPEED, min: 1, max: 1000, unit: "u/s" },
  projectileLifetimeSeconds: { value: PROJECTILE_LIFETIME_SECONDS, min: 0, max: 10, unit: "s" },
  playerMaxHp: { value: PLAYER_MAX_HP, min: 1, max: 10_000, unit: "hp" },
  playerMaxSpeed: { value: PLAYER_MAX_SPEED, min: 1, max: 500, unit: "u/s" },
  playerAccel: { value: PLAYER_ACCEL, min: 0, max: 100_000, unit: "u/s²" },
  playerFriction: { value: PLAYER_FRICTION, min: 0, max: 1000, unit: "1/s" },
  respawnSeconds: { value: RESPAWN_SECONDS, min: 0, max: 60, unit: "s" },
  spawnProtectionSeconds: { value: SPAWN_PROTECTION_SECONDS, min: 0, max: 60, unit: "s" },
  spawnSafeDistance: { value: SPAWN_SAFE_DISTANCE, min: 0, max: 2000, unit: "u" },
};

/**
 * Bugs planted on purpose, to show that the fuzzer finds and shrinks what it
 * should (test/sim/fuzz.test.ts). Never set in play; a recording made with
 * one carries it, so its replay shows the bug again.
 */
export interface PlantedFaults {
  /** Movement ignores walls: players walk into and through them. */
  wallCheckOff?: boolean;
  /** A sign error in the protection check: a protected player hit gains the damage (past full hp). */
  shieldHeals?: boolean;
  /** The facing a step stores depends on state outside the world (which world the process stepped last). */
  hiddenState?: boolean;
}

/** What movement reads of the rules (a `MatchRules` will do). */
export interface MovementRules {
  readonly playerAccel: number;
  readonly playerFriction: number;
  readonly playerMaxSpeed: number;
  readonly faults?: PlantedFaults;
}

/**
 * The rules of one room's game, with durations resolved to whole ticks once so
 * the step never converts seconds on the fly. Built from the constants plus
 * what a host may change (tick rate, match and scoreboard lengths), what a
 * balance run or a scenario may change (`Tuning`, the map) and, in tests,
 * planted faults.
 */
export interface MatchRules extends MovementRules {
  readonly tickHz: number;
  /** Fixed step in seconds (1 / tickHz). */
  readonly dt: number;
  readonly map: ArenaMap;
  readonly matchTicks: number;
  readonly scoreboardTicks: number;
  readonly respawnTicks: number;
  readonly protectionTicks: number;
  readonly fireCooldownTicks: number;
  readonly projectileLifetimeTicks: number;
  readonly projectileDamage: number;
  readonly projectileSpeed: number;
  readonly playerMaxHp: number;
  readonly spawnSafeDistance: number;
  /** The tuning values as given, each defaulted (what a recording's header carries to replay them). */
  readonly tuning: Readonly<Tuning>;
}

/** What `makeRules` takes: every field optional, defaulting to the game as it ships. */
export interface RulesOptions {
  tickHz?: number;
  matchSeconds?: number;
  scoreboardSeconds?: number;
  map?: ArenaMap;
  tuning?: Partial<Tuning>;
  faults?: PlantedFaults;
}

/** Resolves durations to ticks at the given rate; every duration lasts at least one tick. Throws on a tuning value out of its range. */
export function makeRules(options: RulesOptions = {}): MatchRules {
  const tickHz = options.tickHz ?? DEFAULT_TICK_HZ;
  const ticks = (seconds: number) => Math.max(1, Math.round(seconds * tickHz));
  const tuning = resolveTuning(options.tuning);
  return {
    tickHz,
    dt: 1 / tickHz,
    map: options.map ?? ARENA_MAP,
    matchTicks: ticks(options.matchSeconds ?? MATCH_SECONDS),
    scoreboardTicks: ticks(options.scoreboardSeconds ?? SCOREBOARD_SECONDS),
    respawnTicks: ticks(tuning.respawnSeconds),
    protectionTicks: ticks(tuning.spawnProtectionSeconds),
    fireCooldownTicks: ticks(tuning.fireCooldownSeconds),
    projectileLifetimeTicks: ticks(tuning.projectileLifetimeSeconds),
    projectileDamage: tuning.projectileDamage,
    projectileSpeed: tuning.projectileSpeed,
    playerMaxHp: tuning.playerMaxHp,
    playerMaxSpeed: tuning.playerMaxSpeed,
    playerAccel: tuning.playerAccel,
    playerFriction: tuning.playerFriction,
    spawnSafeDistance: tuning.spawnSafeDistance,
    tuning,
    faults: options.faults,
  };
}

/** Every tuning value, each given one checked against its range; throws naming the first that is out of it. */
export function resolveTuning(given: Partial<Tuning> = {}): Tuning {
  const tuning = {} as Tuning;
  for (const name of Object.keys(TUNING) as (keyof Tuning)[]) {
    const { value, min, max, unit } = TUNING[name];
    const set = given[name] ?? value;
    if (!(set >= min && set <= max)) throw new Error(`${name} must be from ${min} to ${max} ${unit} (got ${set})`);
    tuning[name] = set;
  }
  for (const name of Object.keys(given)) {
    if (!(name in TUNING)) throw new Error(`no rule ${name} (rules: ${Object.keys(TUNING).join(", ")})`);
  }
  return tuning;
}

/** The tuning values that differ from the defaults: what a header or a report needs to say. */
export function changedTuning(tuning: Readonly<Tuning>): Partial<Tuning> {
  const changed: Partial<Tuning> = {};
  for (const name of Object.keys(TUNING) as (keyof Tuning)[]) {
    if (tuning[name] !== TUNING[name].value) changed[name] = tuning[name];
  }
  return changed;
}

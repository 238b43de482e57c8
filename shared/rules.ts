import {
  DEFAULT_TICK_HZ, FIRE_COOLDOWN_SECONDS, MATCH_SECONDS, PROJECTILE_LIFETIME_SECONDS,
  RESPAWN_SECONDS, SCOREBOARD_SECONDS, SPAWN_PROTECTION_SECONDS,
} from "./constants.ts";
import { ARENA_MAP, type ArenaMap } from "./map.ts";

/**
 * The timing of one room's game, resolved to whole ticks once so the step
 * never converts seconds on the fly. Built from the constants plus what a host
 * may change (tick rate, match and scoreboard lengths).
 */
export interface MatchRules {
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
}

export interface RulesOptions {
  tickHz?: number;
  matchSeconds?: number;
  scoreboardSeconds?: number;
  map?: ArenaMap;
}

/** Resolves durations to ticks at the given rate; every duration lasts at least one tick. */
export function makeRules(options: RulesOptions = {}): MatchRules {
  const tickHz = options.tickHz ?? DEFAULT_TICK_HZ;
  const ticks = (seconds: number) => Math.max(1, Math.round(seconds * tickHz));
  return {
    tickHz,
    dt: 1 / tickHz,
    map: options.map ?? ARENA_MAP,
    matchTicks: ticks(options.matchSeconds ?? MATCH_SECONDS),
    scoreboardTicks: ticks(options.scoreboardSeconds ?? SCOREBOARD_SECONDS),
    respawnTicks: ticks(RESPAWN_SECONDS),
    protectionTicks: ticks(SPAWN_PROTECTION_SECONDS),
    fireCooldownTicks: ticks(FIRE_COOLDOWN_SECONDS),
    projectileLifetimeTicks: ticks(PROJECTILE_LIFETIME_SECONDS),
  };
}

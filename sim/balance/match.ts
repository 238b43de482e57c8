/**
 * One match of a balance run: bots of mixed skills play one whole match
 * through the simulation runner (the very step a room runs) under the rules
 * being judged, and the measures the balance report is made of are counted
 * from its events: kills, time to kill, spawn kills, shots and hits, the
 * winner's skill and where each death happened.
 */
import { BOT_SKILLS, type BotSkillName } from "../../shared/bot.ts";
import type { ArenaMap } from "../../shared/map.ts";
import { makeRules, type MatchRules, type Tuning } from "../../shared/rules.ts";
import { runSimulation, simulationRules } from "../../shared/simulation.ts";
import type { WorldEvent, WorldState } from "../../shared/worldState.ts";

/** The skills a balance run's bots play at, in turn by bot. */
export const BALANCE_SKILLS: readonly BotSkillName[] = ["easy", "normal", "hard"];

/** A death within this long of the victim's spawn counts as a spawn kill. */
export const SPAWN_KILL_SECONDS = 3; // s

/** Side of a cell of the death heat map. */
export const HEAT_CELL = 40; // u

/** What one match is played with. */
export interface BalanceMatchOptions {
  seed: number;
  bots: number;
  matchSeconds: number;
  tuning?: Partial<Tuning>;
  /** A map other than the arena. */
  map?: ArenaMap;
}

/** What one match gave. Plain data, so it crosses from a worker thread as it is. */
export interface MatchStats {
  seed: number;
  kills: number;
  /** Seconds from each victim's first hit since it spawned (or was last killed) to its death, one per kill. */
  timesToKill: number[];
  spawnKills: number;
  shots: number;
  hits: number;
  /** Bots per skill, and the skill of the match's winner (most kills; the first in the standings on a tie). */
  botsBySkill: Record<BotSkillName, number>;
  winnerSkill: BotSkillName;
  killsBySkill: Record<BotSkillName, number>;
  /** Deaths per heat map cell, row by row (`HEAT_CELL` cells over the map). */
  deathCells: number[];
  heatColumns: number;
}

/** Plays one match of `options.bots` bots (skills in turn: easy, normal, hard) and counts what the report needs. */
export function playBalanceMatch(options: BalanceMatchOptions): MatchStats {
  const skillOfBot = (id: string) => BALANCE_SKILLS[(Number(id.slice(3)) - 1) % BALANCE_SKILLS.length];
  const ruleOptions = { matchSeconds: options.matchSeconds, tuning: options.tuning, map: options.map };
  const counter = new MatchCounter(makeRules(simulationRules(ruleOptions)));
  const summary = runSimulation({
    seed: options.seed, bots: options.bots, matches: 1, rules: ruleOptions,
    skills: BALANCE_SKILLS.map((name) => BOT_SKILLS[name]),
    observer: { afterStep: (world, events) => counter.count(world, events) },
  });
  const winner = summary.matches[0].standings[0];
  const botsBySkill = emptyBySkill();
  const killsBySkill = emptyBySkill();
  for (const player of summary.players) {
    botsBySkill[skillOfBot(player.id)]++;
    killsBySkill[skillOfBot(player.id)] += player.kills;
  }
  return {
    seed: options.seed, kills: summary.kills, timesToKill: counter.timesToKill, spawnKills: counter.spawnKills,
    shots: counter.shots, hits: counter.hits, botsBySkill, winnerSkill: skillOfBot(winner.id), killsBySkill,
    deathCells: counter.deathCells, heatColumns: counter.columns,
  };
}

/** Counts a match's measures from the world and the events after each step. */
class MatchCounter {
  readonly timesToKill: number[] = [];
  readonly deathCells: number[];
  readonly columns: number;
  spawnKills = 0;
  shots = 0;
  hits = 0;
  readonly #rules: MatchRules;
  readonly #spawnedAt = new Map<string, number>();
  readonly #firstHitAt = new Map<string, number>();

  constructor(rules: MatchRules) {
    this.#rules = rules;
    this.columns = Math.ceil(rules.map.width / HEAT_CELL);
    this.deathCells = new Array<number>(this.columns * Math.ceil(rules.map.height / HEAT_CELL)).fill(0);
  }

  count(world: WorldState, events: readonly WorldEvent[]): void {
    const tick = world.tick;
    // One input per bot per tick: a weapon whose reload has just been set to the full cooldown fired in this step.
    world.players.forEach((player) => {
      if (player.alive && player.reloadTicks === this.#rules.fireCooldownTicks) this.shots++;
    });
    for (const event of events) {
      if (event.type === "hit") {
        this.hits++;
        if (!this.#firstHitAt.has(event.victim)) this.#firstHitAt.set(event.victim, tick);
      } else if (event.type === "kill") {
        this.#died(world, event.victim, tick);
      } else if (event.type === "respawn") {
        this.#spawnedAt.set(event.player, tick);
        this.#firstHitAt.delete(event.player);
      }
    }
  }

  #died(world: WorldState, victim: string, tick: number): void {
    const { tickHz } = this.#rules;
    this.timesToKill.push((tick - (this.#firstHitAt.get(victim) ?? tick)) / tickHz);
    this.#firstHitAt.delete(victim);
    if (tick - (this.#spawnedAt.get(victim) ?? 0) < SPAWN_KILL_SECONDS * tickHz) this.spawnKills++;
    const { x, y } = world.players.get(victim)!;
    const column = Math.min(this.columns - 1, Math.floor(x / HEAT_CELL));
    const row = Math.floor(y / HEAT_CELL);
    const cell = row * this.columns + column;
    if (cell >= 0 && cell < this.deathCells.length) this.deathCells[cell]++;
  }
}

function emptyBySkill(): Record<BotSkillName, number> {
  return { easy: 0, normal: 0, hard: 0 };
}

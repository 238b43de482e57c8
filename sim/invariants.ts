/**
 * What must hold after every tick of any game, whatever the players do: the
 * checks scenarios run when asked (`scenario({ invariants: true })`) and the
 * fuzzer runs on every case. Each broken one is reported as a sentence naming
 * the tick, the player or projectile and the values.
 */
import { PLAYER_RADIUS, PROJECTILE_RADIUS } from "../shared/constants.ts";
import { circleOverlapsWall } from "../shared/geometry.ts";
import type { MatchRules } from "../shared/rules.ts";
import type { WorldEvent, WorldState } from "../shared/worldState.ts";

/** Rounding slack: a player may touch a wall or the edge (within float32 rounding), never overlap it. */
const SLACK = 1e-3; // u

/** One broken invariant: when, and what. */
export interface Violation {
  tick: number;
  /** A sentence: "p1 at (800, 470) overlaps the wall {…}". */
  what: string;
}

/**
 * Checks a world after each step. It counts kills and deaths from the events
 * of every step it sees, so it must see every step from the world's start
 * (or from a match start) on.
 */
export class InvariantChecker {
  readonly #rules: MatchRules;
  readonly #killsThisMatch = new Map<string, number>();
  readonly #deathsThisMatch = new Map<string, number>();
  /** Everyone who was ever in the world: a shot flies on after its shooter leaves. */
  readonly #everSeen = new Set<string>();
  readonly #shotsPerPlayer: number;

  constructor(rules: MatchRules, world: WorldState) {
    this.#rules = rules;
    // A player fires at most once per cooldown and a shot lives `projectileLifetimeTicks`.
    this.#shotsPerPlayer = Math.ceil(rules.projectileLifetimeTicks / rules.fireCooldownTicks);
    world.players.forEach((player, id) => {
      this.#everSeen.add(id);
      this.#killsThisMatch.set(id, player.score);
      this.#deathsThisMatch.set(id, player.deaths);
    });
  }

  /** The invariants broken after a step that produced `events` (empty when all hold). */
  check(world: WorldState, events: readonly WorldEvent[]): Violation[] {
    const broken: Violation[] = [];
    const fail = (what: string) => broken.push({ tick: world.tick, what });
    this.#count(world, events, fail);
    const { map, playerMaxHp } = this.#rules;
    world.players.forEach((player, id) => {
      this.#everSeen.add(id);
      const where = `${id} at (${player.x}, ${player.y})`;
      for (const value of [player.x, player.y, player.vx, player.vy, player.aim, player.hp]) {
        if (!Number.isFinite(value)) fail(`${id} has a value that is not finite: ${JSON.stringify([player.x, player.y, player.vx, player.vy, player.aim, player.hp])}`);
      }
      const wall = map.walls.find((one) => circleOverlapsWall(player.x, player.y, PLAYER_RADIUS - SLACK, one));
      if (wall) fail(`${where} overlaps the wall ${JSON.stringify(wall)}`);
      if (player.x < PLAYER_RADIUS - SLACK || player.y < PLAYER_RADIUS - SLACK
        || player.x > map.width - PLAYER_RADIUS + SLACK || player.y > map.height - PLAYER_RADIUS + SLACK) {
        fail(`${where} is outside the ${map.width}×${map.height} world`);
      }
      if (!(player.hp >= 0 && player.hp <= playerMaxHp)) fail(`${id} has hp ${player.hp} (0 to ${playerMaxHp})`);
      if (player.alive !== player.hp > 0) fail(`${id} has alive ${player.alive} with hp ${player.hp}`);
      if (!player.alive && (player.shielded || player.vx !== 0 || player.vy !== 0)) fail(`${id} is dead and shielded or moving`);
      if (player.shielded && world.tick > player.shieldUntilTick) fail(`${id} is still shielded after tick ${player.shieldUntilTick}`);
      const kills = this.#killsThisMatch.get(id) ?? 0;
      if (player.score !== kills) fail(`${id} has score ${player.score} but ${kills} kills this match`);
      const deaths = this.#deathsThisMatch.get(id) ?? 0;
      if (player.deaths !== deaths) fail(`${id} has ${player.deaths} deaths but died ${deaths} times this match`);
    });
    this.#checkProjectiles(world, fail);
    return broken;
  }

  #count(world: WorldState, events: readonly WorldEvent[], fail: (what: string) => void): void {
    for (const event of events) {
      if (event.type === "matchStart") {
        this.#killsThisMatch.clear();
        this.#deathsThisMatch.clear();
      } else if (event.type === "kill") {
        this.#killsThisMatch.set(event.killer, (this.#killsThisMatch.get(event.killer) ?? 0) + 1);
        this.#deathsThisMatch.set(event.victim, (this.#deathsThisMatch.get(event.victim) ?? 0) + 1);
      }
      // No damage outside a match: the step that ends it is the last with hits.
      if ((event.type === "hit" || event.type === "kill") && world.phase === "scoreboard"
        && world.tick !== world.phaseEndTick - this.#rules.scoreboardTicks) {
        fail(`${event.type} during the scoreboard`);
      }
    }
  }

  #checkProjectiles(world: WorldState, fail: (what: string) => void): void {
    const { map } = this.#rules;
    const inFlight = new Map<string, number>();
    world.projectiles.forEach((shot, id) => {
      inFlight.set(shot.owner, (inFlight.get(shot.owner) ?? 0) + 1);
      if (!this.#everSeen.has(shot.owner)) fail(`projectile ${id} has an owner who never played, ${shot.owner}`);
      if (shot.expireTick < world.tick) fail(`projectile ${id} outlived its expiry tick ${shot.expireTick}`);
      if (!(shot.x >= 0 && shot.y >= 0 && shot.x <= map.width && shot.y <= map.height)) fail(`projectile ${id} at (${shot.x}, ${shot.y}) left the world`);
      const wall = map.walls.find((one) => circleOverlapsWall(shot.x, shot.y, PROJECTILE_RADIUS - SLACK, one));
      if (wall) fail(`projectile ${id} at (${shot.x}, ${shot.y}) is inside the wall ${JSON.stringify(wall)}`);
    });
    inFlight.forEach((count, owner) => {
      if (count > this.#shotsPerPlayer) fail(`${owner} has ${count} projectiles in flight (at most ${this.#shotsPerPlayer})`);
    });
  }
}

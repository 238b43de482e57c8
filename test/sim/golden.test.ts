import { describe, expect, it } from "vitest";
import { PLAYER_MAX_HP, PLAYER_RADIUS, PROJECTILE_DAMAGE } from "../../shared/constants.ts";
import { circleOverlapsWall } from "../../shared/geometry.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import type { WorldEvent, WorldState } from "../../shared/worldState.ts";
import { makeRules } from "../../shared/rules.ts";
import { runSimulation } from "../../shared/simulation.ts";

/**
 * Golden runs: 8 bots for 2 simulated minutes (50 s matches, 5 s scoreboards,
 * so each run crosses two match ends) must end in exactly these states. Any
 * change to the rules, the constants, the map, the bot brain, input
 * quantisation or the wire's precision (shared/precision.ts) changes them;
 * that is the point.
 *
 * Changed one on purpose? Run `npx vitest run test/sim/golden.test.ts`, check
 * that the other test files still pass (determinism, replays), and copy the
 * new hashes and kill counts from the failures into this table, saying in the
 * commit message why the game plays differently now. Changed one by accident?
 * Then a refactoring altered the game's behaviour: find out where.
 */
const GOLDEN = [
  { seed: 1, kills: 93, hash: "6b83ab02" },
  { seed: 2, kills: 90, hash: "777815a5" },
  { seed: 3, kills: 92, hash: "f96d9a52" },
];
const GOLDEN_RULES = { matchSeconds: 50, scoreboardSeconds: 5 };

/** Rounding slack: a player may touch a wall or the edge (within float32 rounding), never overlap it. */
const SLACK = 1e-3;

describe("golden runs", () => {
  it.each(GOLDEN)("seed $seed: 8 bots for 2 simulated minutes end in state $hash after $kills kills", ({ seed, kills, hash }) => {
    const summary = runSimulation({ seed, bots: 8, minutes: 2, rules: GOLDEN_RULES });
    expect(summary.matchesPlayed).toBe(2);
    expect({ kills: summary.kills, hash: summary.finalHash }).toEqual({ kills, hash });
  });
});

describe("invariants, checked after every tick of 16 bots playing for 5 simulated minutes", () => {
  // One-minute matches and 10 s scoreboards: four match ends, so the
  // per-match invariants (scores, deaths) are checked across resets too.
  const rulesOptions = { matchSeconds: 60, scoreboardSeconds: 10 };
  const rules = makeRules(rulesOptions);
  /** A player fires at most once per cooldown and a shot lives `projectileLifetimeTicks`. */
  const shotsPerPlayer = Math.ceil(rules.projectileLifetimeTicks / rules.fireCooldownTicks);

  /** Kills and deaths per player in the current match, counted from the events alone. */
  const killsThisMatch = new Map<string, number>();
  const deathsThisMatch = new Map<string, number>();
  const broken: string[] = [];
  let ticks = 0;
  let kills = 0;
  let matchStarts = 0;
  let mostProjectiles = 0;

  function check(world: WorldState, events: readonly WorldEvent[]): void {
    ticks++;
    const fail = (what: string) => {
      if (broken.length < 20) broken.push(`tick ${world.tick}: ${what}`);
    };
    for (const event of events) {
      if (event.type === "matchStart") {
        matchStarts++;
        killsThisMatch.clear();
        deathsThisMatch.clear();
      } else if (event.type === "kill") {
        kills++;
        killsThisMatch.set(event.killer, (killsThisMatch.get(event.killer) ?? 0) + 1);
        deathsThisMatch.set(event.victim, (deathsThisMatch.get(event.victim) ?? 0) + 1);
      }
      // No damage outside a match: the step that ends it is the last with hits.
      if ((event.type === "hit" || event.type === "kill") && world.phase === "scoreboard" && world.tick !== world.phaseEndTick - rules.scoreboardTicks) {
        fail(`${event.type} during the scoreboard`);
      }
    }
    world.players.forEach((player, id) => {
      const where = `${id} at (${player.x}, ${player.y})`;
      const wall = ARENA_MAP.walls.find((one) => circleOverlapsWall(player.x, player.y, PLAYER_RADIUS - SLACK, one));
      if (wall) fail(`${where} overlaps the wall ${JSON.stringify(wall)}`);
      if (player.x < PLAYER_RADIUS - SLACK || player.y < PLAYER_RADIUS - SLACK
        || player.x > ARENA_MAP.width - PLAYER_RADIUS + SLACK || player.y > ARENA_MAP.height - PLAYER_RADIUS + SLACK) {
        fail(`${where} is outside the world`);
      }
      // hp moves in whole hits between 0 and full.
      if (!(player.hp >= 0 && player.hp <= PLAYER_MAX_HP && (PLAYER_MAX_HP - player.hp) % PROJECTILE_DAMAGE === 0)) fail(`${id} has hp ${player.hp}`);
      // Death sets hp to 0 and alive to false in the same step; respawning restores both.
      if (player.alive !== player.hp > 0) fail(`${id} has alive ${player.alive} with hp ${player.hp}`);
      if (!player.alive) {
        if (player.shielded) fail(`${id} is dead and shielded`);
        if (player.vx !== 0 || player.vy !== 0) fail(`${id} is dead and moving`);
        // Respawn happens in the step at the start of which tick >= respawnTick.
        if (!(player.respawnTick >= world.tick && player.respawnTick <= world.tick + rules.respawnTicks)) {
          fail(`${id} is dead at tick ${world.tick} with respawnTick ${player.respawnTick}`);
        }
      }
      if (player.shielded && world.tick > player.shieldUntilTick) fail(`${id} is still shielded after tick ${player.shieldUntilTick}`);
      if (player.score !== (killsThisMatch.get(id) ?? 0)) fail(`${id} has score ${player.score} but ${killsThisMatch.get(id) ?? 0} kills this match`);
      if (player.deaths !== (deathsThisMatch.get(id) ?? 0)) fail(`${id} has ${player.deaths} deaths but died ${deathsThisMatch.get(id) ?? 0} times this match`);
    });
    const shotsBy = new Map<string, number>();
    world.projectiles.forEach((shot, shotId) => {
      shotsBy.set(shot.owner, (shotsBy.get(shot.owner) ?? 0) + 1);
      if (!world.players.has(shot.owner)) fail(`projectile ${shotId} has an unknown owner ${shot.owner}`);
      if (shot.expireTick <= world.tick - 1) fail(`projectile ${shotId} outlived its expiry tick ${shot.expireTick}`);
      if (shot.x < 0 || shot.y < 0 || shot.x > ARENA_MAP.width || shot.y > ARENA_MAP.height) fail(`projectile ${shotId} left the world`);
    });
    shotsBy.forEach((count, owner) => {
      if (count > shotsPerPlayer) fail(`${owner} has ${count} projectiles in flight (at most ${shotsPerPlayer})`);
    });
    if (world.projectiles.size > world.players.size * shotsPerPlayer) fail(`${world.projectiles.size} projectiles in flight`);
    mostProjectiles = Math.max(mostProjectiles, world.projectiles.size);
  }

  it("holds every one of them, in a run that really fought", () => {
    const summary = runSimulation({ seed: 99, bots: 16, minutes: 5, rules: rulesOptions, observer: { afterStep: check } });
    expect(broken).toEqual([]);
    expect(ticks).toBe(5 * 60 * rules.tickHz);
    expect(summary.matchesPlayed).toBe(4);
    expect(matchStarts).toBe(4);
    expect(kills).toBe(summary.kills);
    expect(kills).toBeGreaterThan(300);
    expect(mostProjectiles).toBeGreaterThan(16);
  });
});

import { describe, expect, it } from "vitest";
import { BOT_SKILLS, botInput, newBotMemory, type BotSkill } from "../../shared/bot.ts";
import { pathBlocked } from "../../shared/botMovement.ts";
import { PLAYER_RADIUS, PROJECTILE_LIFETIME_SECONDS, PROJECTILE_RADIUS, PROJECTILE_SPEED } from "../../shared/constants.ts";
import { circleOverlapsWall, segmentWallTime, wallPenetration, wrapAngle } from "../../shared/geometry.ts";
import { ARENA_MAP, type ArenaMap } from "../../shared/map.ts";
import { createWorld } from "../../shared/world.ts";
import type { PlayerState, WorldEvent, WorldState } from "../../shared/worldState.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import { mulberry32 } from "../../shared/rng.ts";
import { makeRules, type MatchRules } from "../../shared/rules.ts";
import { runSimulation } from "../../shared/simulation.ts";
import { botScript, botView } from "../helpers/bots.ts";
import { DUEL_LANE_Y, input, placePlayer, runTicks } from "../helpers/sim.ts";

const rules = makeRules();
/** The arena without walls: nothing but the world's edges. */
const OPEN_ARENA: ArenaMap = { ...ARENA_MAP, walls: [] };
const openRules = makeRules({ map: OPEN_ARENA });
/** A bot that aims perfectly and shoots at once, to test the geometry of aiming. */
const MARKSMAN: BotSkill = { aimError: 0, preferredDistance: 360, reactionSeconds: 0, lead: 1, dodge: 0 };
const reactionTicks = Math.round(BOT_SKILLS.normal.reactionSeconds * rules.tickHz);

/** A world with a bot and other players placed by hand, everyone unprotected and at rest. */
function scene(
  bot: { x: number; y: number }, others: Record<string, Partial<PlayerState> & { x: number; y: number }>,
  sceneRules: MatchRules = rules,
): WorldState {
  const world = createWorld(5, sceneRules);
  placePlayer(world, "bot", sceneRules, bot.x, bot.y);
  for (const [id, other] of Object.entries(others)) placePlayer(world, id, sceneRules, other.x, other.y, other);
  return world;
}

/** The bot's inputs on `ticks` consecutive ticks of an unchanging world (its memory carries over). */
function decisions(world: WorldState, ticks: number, skill: BotSkill = BOT_SKILLS.normal, sceneRules = rules): PlayerInput[] {
  const memory = newBotMemory();
  const made: PlayerInput[] = [];
  for (let tick = 0; tick < ticks; tick++) {
    made.push(botInput(botView(world, "bot", sceneRules, tick), memory, mulberry32(tick), skill));
  }
  return made;
}

function angleBetween(a: number, b: number): number {
  return Math.abs(wrapAngle(a - b));
}

/** True when a projectile could fly from `from` to `to` without touching a wall. */
function lineOfSight(from: { x: number; y: number }, to: { x: number; y: number }): boolean {
  return ARENA_MAP.walls.every((wall) => segmentWallTime(from.x, from.y, to.x - from.x, to.y - from.y, PROJECTILE_RADIUS, wall) > 1);
}

describe("bot brain", () => {
  describe("aiming and firing", () => {
    it("aims at a visible enemy in the open and fires once its reaction time has passed", () => {
      const world = scene({ x: 300, y: DUEL_LANE_Y }, { enemy: { x: 700, y: DUEL_LANE_Y } });
      const made = decisions(world, 30);
      for (const [tick, decision] of made.entries()) {
        expect(angleBetween(decision.aim, 0), `aim at tick ${tick}`).toBeLessThan(BOT_SKILLS.normal.aimError * 1.5);
        expect(decision.fire, `fire at tick ${tick}`).toBe(tick >= reactionTicks);
      }
    });

    it("leads a moving target so that its shot hits, where aiming at the target itself misses", () => {
      for (const lead of [1, 0]) {
        const world = scene({ x: 400, y: 600 }, { runner: { x: 1000, y: 600, vy: 300 } }, openRules);
        const shot = decisions(world, 1, { ...MARKSMAN, lead }, openRules)[0];
        expect(shot.fire).toBe(true);
        // The runner keeps running down at its terminal speed (PLAYER_ACCEL / PLAYER_FRICTION = 300 u/s).
        const events: WorldEvent[] = runTicks(world, openRules, 1, (id) => (id === "bot" ? shot : input({ moveY: 1 })));
        events.push(...runTicks(world, openRules, 60, (id) => (id === "bot" ? input() : input({ moveY: 1 }))));
        const hit = events.some((event) => event.type === "hit" && event.victim === "runner");
        expect(hit, `lead ${lead}`).toBe(lead === 1);
      }
    });

    it("does not fire through a wall, nor aim at the enemy behind it", () => {
      // The top pillar (x 760…840, y 120…240) stands between them.
      const world = scene({ x: 700, y: 180 }, { enemy: { x: 900, y: 180 } });
      expect(lineOfSight({ x: 700, y: 180 }, { x: 900, y: 180 })).toBe(false);
      for (const decision of decisions(world, 300)) expect(decision.fire).toBe(false);
    });

    it("fights the nearest enemy it can see, not a nearer one behind a wall", () => {
      const world = scene({ x: 700, y: 180 }, { hidden: { x: 900, y: 180 }, open: { x: 700, y: 500 } });
      const last = decisions(world, 30).at(-1)!;
      expect(last.fire).toBe(true);
      expect(angleBetween(last.aim, Math.PI / 2)).toBeLessThan(BOT_SKILLS.normal.aimError * 1.5);
    });

    it("holds fire at a protected enemy, and at dead or disconnected ones", () => {
      const enemy = { x: 700, y: DUEL_LANE_Y };
      for (const state of [{ shielded: true, shieldUntilTick: 1e9 }, { alive: false, hp: 0 }, { connected: false }]) {
        const world = scene({ x: 300, y: DUEL_LANE_Y }, { enemy: { ...enemy, ...state } });
        expect(decisions(world, 30).some((decision) => decision.fire), JSON.stringify(state)).toBe(false);
      }
    });

    it("holds fire while the scoreboard shows", () => {
      const world = scene({ x: 300, y: DUEL_LANE_Y }, { enemy: { x: 700, y: DUEL_LANE_Y } });
      world.phase = "scoreboard";
      expect(decisions(world, 30).some((decision) => decision.fire)).toBe(false);
    });

    it("sends the idle input while dead", () => {
      const world = scene({ x: 300, y: DUEL_LANE_Y }, { enemy: { x: 700, y: DUEL_LANE_Y } });
      world.players.get("bot")!.alive = false;
      for (const decision of decisions(world, 10)) expect(decision).toEqual({ moveX: 0, moveY: 0, aim: 0, fire: false });
    });
  });

  describe("moving", () => {
    it("closes in on a distant enemy and backs off from a close one", () => {
      const far = decisions(scene({ x: 200, y: 300 }, { enemy: { x: 1100, y: 300 } }, openRules), 1, BOT_SKILLS.normal, openRules)[0];
      const near = decisions(scene({ x: 700, y: 300 }, { enemy: { x: 800, y: 300 } }, openRules), 1, BOT_SKILLS.normal, openRules)[0];
      expect(far.moveX).toBeGreaterThan(0.3);
      expect(near.moveX).toBeLessThan(-0.3);
      // …while strafing sideways.
      expect(Math.abs(far.moveY)).toBeGreaterThan(0.3);
    });

    it("never heads into a wall it touches", () => {
      const world = createWorld(3, rules);
      for (let i = 0; i < 8; i++) placePlayer(world, `b${i}`, rules, ARENA_MAP.spawnPoints[i].x, ARENA_MAP.spawnPoints[i].y);
      const bots = botScript(world, rules, 3);
      let touches = 0;
      runTicks(world, rules, 60 * rules.tickHz, (id, player, tick) => {
        const decision = bots(id, player, tick)!;
        for (const wall of ARENA_MAP.walls) {
          if (!player.alive || wallPenetration(player.x, player.y, PLAYER_RADIUS + 1, wall) === 0) continue;
          touches++;
          // Away from the wall: from its nearest point to the player's centre.
          const awayX = player.x - Math.max(wall.x, Math.min(player.x, wall.x + wall.w));
          const awayY = player.y - Math.max(wall.y, Math.min(player.y, wall.y + wall.h));
          if (decision.moveX * awayX + decision.moveY * awayY < -1e-6) {
            expect.fail(`tick ${tick}: ${id} at (${player.x}, ${player.y}) heads into ${JSON.stringify(wall)}`);
          }
        }
        return decision;
      });
      // The check did run: bots do brush past walls now and then.
      expect(touches).toBeGreaterThan(0);
    });

    it("finds its way around a wall to a waypoint behind it", () => {
      // Alone, heading for a spot straight behind the top pillar.
      const world = scene({ x: 700, y: 180 }, {});
      const bots = botScript(world, rules, 9);
      bots.memories.set("bot", { ...newBotMemory(), waypointX: 900, waypointY: 180, waypointUntilTick: 1e9 });
      const first = bots("bot", world.players.get("bot")!, 0)!;
      expect(pathBlocked(ARENA_MAP, 700, 180, first.moveX, first.moveY)).toBe(false);
      let reachedAt = -1;
      for (let tick = 0; tick < 6 * rules.tickHz && reachedAt < 0; tick++) {
        runTicks(world, rules, 1, bots);
        const bot = world.players.get("bot")!;
        if (Math.hypot(bot.x - 900, bot.y - 180) < 80) reachedAt = tick;
      }
      expect(reachedAt).toBeGreaterThan(0);
    });

    it("wanders the map when nobody is in sight", () => {
      const world = scene({ x: 100, y: 100 }, {});
      const bots = botScript(world, rules, 4);
      const visited = new Set<string>();
      runTicks(world, rules, 60 * rules.tickHz, (id, player, tick) => {
        visited.add(`${Math.floor(player.x / 200)},${Math.floor(player.y / 200)}`);
        return bots(id, player, tick);
      });
      // 48 cells of 200 × 200 u; a minute of wandering visits a good share of them.
      expect(visited.size).toBeGreaterThan(12);
    });
  });

  describe("in play", () => {
    it("two bots facing each other in the open score kills within 15 seconds", () => {
      const world = scene({ x: 400, y: 600 }, { rival: { x: 1200, y: 600 } }, openRules);
      const events = runTicks(world, openRules, 15 * openRules.tickHz, botScript(world, openRules, 1));
      const kills = events.filter((event) => event.type === "kill");
      expect(kills.length).toBeGreaterThanOrEqual(2);
    });

    it("16 bots over 3 simulated minutes: never inside a wall, rarely touching one, every shot with a line of sight", () => {
      let aliveTicks = 0;
      let touching = 0;
      let shots = 0;
      const range = PROJECTILE_SPEED * PROJECTILE_LIFETIME_SECONDS;
      const travelled = new Map<string, number>();
      const summary = runSimulation({
        seed: 77, bots: 16, minutes: 3,
        observer: {
          beforeStep(world, inputs) {
            inputs.forEach(([decision], id) => {
              const bot = world.players.get(id)!;
              if (!decision.fire || !bot.alive) return;
              shots++;
              let target: PlayerState | undefined;
              world.players.forEach((other, otherId) => {
                if (otherId === id || !other.alive || !other.connected || other.shielded) return;
                if (Math.hypot(other.x - bot.x, other.y - bot.y) < range && lineOfSight(bot, other)) target = other;
              });
              if (!target) expect.fail(`tick ${world.tick}: ${id} fired at (${bot.x}, ${bot.y}) with no enemy in sight`);
            });
          },
          afterStep(world) {
            world.players.forEach((bot, id) => {
              if (!bot.alive) return;
              aliveTicks++;
              const inside = ARENA_MAP.walls.find((wall) => circleOverlapsWall(bot.x, bot.y, PLAYER_RADIUS - 1e-3, wall));
              if (inside) expect.fail(`tick ${world.tick}: ${id} at (${bot.x}, ${bot.y}) overlaps ${JSON.stringify(inside)}`);
              if (ARENA_MAP.walls.some((wall) => wallPenetration(bot.x, bot.y, PLAYER_RADIUS + 0.5, wall) > 0)) touching++;
              travelled.set(id, (travelled.get(id) ?? 0) + Math.hypot(bot.vx, bot.vy) * rules.dt);
            });
          },
        },
      });
      expect(touching / aliveTicks).toBeLessThan(0.01);
      expect(shots).toBeGreaterThan(1000);
      expect(summary.kills).toBeGreaterThan(200);
      // Everyone gets around: at least a third of full speed on average.
      for (const [id, distance] of travelled) expect(distance, id).toBeGreaterThan(3 * 60 * 320 * 0.33);
    });

    it("is deterministic: the same seed gives the same game, another seed another", () => {
      const first = runSimulation({ seed: 12, bots: 6, minutes: 0.5, record: true });
      const again = runSimulation({ seed: 12, bots: 6, minutes: 0.5, record: true });
      const other = runSimulation({ seed: 13, bots: 6, minutes: 0.5 });
      expect(again.finalHash).toBe(first.finalHash);
      expect(again.players).toEqual(first.players);
      // The recordings hold every input applied: equal bytes, equal inputs.
      expect(again.replay).toEqual(first.replay);
      expect(other.finalHash).not.toBe(first.finalHash);
    });
  });
});

import { describe, expect, it } from "vitest";
import { PLAYER_MAX_HP, PLAYER_RADIUS, PROJECTILE_RADIUS } from "../../shared/constants.ts";
import { circleOverlapsWall } from "../../shared/geometry.ts";
import { ARENA_MAP, NEAR_REACH, wallsNear, type ArenaMap, type Wall } from "../../shared/map.ts";
import { PROBE_REACH } from "../../shared/botMovement.ts";
import { mulberry32 } from "../../shared/rng.ts";
import { createWorld, stepWorld } from "../../shared/world.ts";
import type { WorldEvent } from "../../shared/worldState.ts";
import { stepPlayer, type MoveIntent, type MovingPlayer } from "../../shared/player.ts";
import { makeRules } from "../../shared/rules.ts";
import { addPlayer, fightingBots, input, inputsFor, placePlayer, stepOnce } from "../helpers/sim.ts";
import { scenario } from "../../sim/scenario.ts";

const rules = makeRules();
const { dt } = rules;
const { width, height, walls } = ARENA_MAP;
/** Open ground without walls or edges in reach, to compare a sliding player with a free one. */
const OPEN_FIELD: ArenaMap = { width: 1e6, height: 1e6, walls: [], spawnPoints: [] };
/** Where a player on OPEN_FIELD starts: far from its edges, on the wire's position grid. */
const FREE_START = 1000;
/** Rounding slack: a player may touch a wall (or sit within float32 rounding of it), not overlap it. */
const SLACK = 1e-3;

function insideAnyWall(x: number, y: number, radius: number): Wall | undefined {
  return walls.find((wall) => circleOverlapsWall(x, y, radius, wall));
}

function insideWorld(x: number, y: number, radius: number): boolean {
  return x >= radius && y >= radius && x <= width - radius && y <= height - radius;
}

/** Fails the test with the tick and position if the player overlaps a wall or has left the world. */
function expectClear(player: MovingPlayer, context: string): void {
  const wall = insideAnyWall(player.x, player.y, PLAYER_RADIUS - SLACK);
  if (wall) expect.fail(`${context}: player at (${player.x}, ${player.y}) overlaps ${JSON.stringify(wall)}`);
  if (!insideWorld(player.x, player.y, PLAYER_RADIUS - SLACK)) {
    expect.fail(`${context}: player at (${player.x}, ${player.y}) left the world`);
  }
}

function unit(angle: number): MoveIntent {
  return { moveX: Math.cos(angle), moveY: Math.sin(angle) };
}

describe("walls", () => {
  describe("players", () => {
    it("a player driven at any wall from every side, then along it, never overlaps a wall or leaves the world", () => {
      let drives = 0;
      for (const [index, wall] of walls.entries()) {
        const centreX = wall.x + wall.w / 2;
        const centreY = wall.y + wall.h / 2;
        const distance = Math.max(wall.w, wall.h) / 2 + 70;
        for (let k = 0; k < 24; k++) {
          const from = (k / 24) * Math.PI * 2;
          const player: MovingPlayer = {
            x: Math.fround(centreX + Math.cos(from) * distance),
            y: Math.fround(centreY + Math.sin(from) * distance),
            vx: 0, vy: 0, alive: true,
          };
          if (insideAnyWall(player.x, player.y, PLAYER_RADIUS) || !insideWorld(player.x, player.y, PLAYER_RADIUS)) continue;
          drives++;
          for (let tick = 0; tick < 120; tick++) {
            // Straight at the wall, then obliquely along it one way, then the other.
            const heading = from + Math.PI * (tick < 60 ? 1 : tick < 90 ? 0.6 : 1.4);
            stepPlayer(player, unit(heading), dt);
            expectClear(player, `wall ${index}, approach ${k}, tick ${tick}`);
          }
        }
      }
      expect(drives).toBeGreaterThan(300);
    });

    // The open quadrant of each concave corner, as a unit step away from it.
    const concaveCorners = [
      { x: 760, y: 560, dx: -1, dy: -1 }, { x: 840, y: 560, dx: 1, dy: -1 },
      { x: 760, y: 640, dx: -1, dy: 1 }, { x: 840, y: 640, dx: 1, dy: 1 },
      { x: 280, y: 240, dx: 1, dy: 1 }, { x: 1320, y: 240, dx: -1, dy: 1 },
      { x: 1320, y: 960, dx: -1, dy: -1 }, { x: 280, y: 960, dx: 1, dy: -1 },
    ];

    it.each(concaveCorners)("a player pushed into the concave corner at ($x, $y) settles in it, clear of both walls", (corner) => {
      const player: MovingPlayer = { x: corner.x + corner.dx * 60, y: corner.y + corner.dy * 60, vx: 0, vy: 0, alive: true };
      for (let tick = 0; tick < 60; tick++) {
        stepPlayer(player, { moveX: -corner.dx, moveY: -corner.dy }, dt);
        expectClear(player, `tick ${tick}`);
      }
      expect(player.x).toBeCloseTo(corner.x + corner.dx * PLAYER_RADIUS, 3);
      expect(player.y).toBeCloseTo(corner.y + corner.dy * PLAYER_RADIUS, 3);
      expect(player.vx).toBeCloseTo(0, 3);
      expect(player.vy).toBeCloseTo(0, 3);
    });

    it.each([
      { edge: "left", x: 100, y: 450, intent: { moveX: -1, moveY: 0.3 }, axis: "x", limit: PLAYER_RADIUS },
      { edge: "right", x: 1500, y: 750, intent: { moveX: 1, moveY: -0.3 }, axis: "x", limit: width - PLAYER_RADIUS },
      { edge: "top", x: 1100, y: 100, intent: { moveX: 0.3, moveY: -1 }, axis: "y", limit: PLAYER_RADIUS },
      { edge: "bottom", x: 500, y: 1100, intent: { moveX: -0.3, moveY: 1 }, axis: "y", limit: height - PLAYER_RADIUS },
    ] as const)("the $edge edge of the world holds a player running into it", ({ x, y, intent, axis, limit }) => {
      const player: MovingPlayer = { x, y, vx: 0, vy: 0, alive: true };
      for (let tick = 0; tick < 60; tick++) {
        stepPlayer(player, intent, dt);
        expectClear(player, `tick ${tick}`);
      }
      expect(player[axis]).toBe(limit);
    });

    it("a fight of seeded bots never puts a player inside a wall or a projectile inside a wall or outside the world", () => {
      const world = createWorld(3, rules);
      for (let i = 0; i < 6; i++) addPlayer(world, `p${i}`, rules);
      const bots = fightingBots(world, 17);
      const events: WorldEvent[] = [];
      let projectilesSeen = 0;
      for (let tick = 0; tick < 1500; tick++) {
        stepWorld(world, inputsFor(world, bots), rules, events);
        world.players.forEach((player, id) => expectClear(player, `tick ${tick}, ${id}`));
        world.projectiles.forEach((shot, id) => {
          projectilesSeen++;
          const wall = insideAnyWall(shot.x, shot.y, PROJECTILE_RADIUS - SLACK);
          if (wall) expect.fail(`tick ${tick}: projectile ${id} at (${shot.x}, ${shot.y}) inside ${JSON.stringify(wall)}`);
          if (!insideWorld(shot.x, shot.y, PROJECTILE_RADIUS - SLACK)) expect.fail(`tick ${tick}: projectile ${id} left the world`);
        });
      }
      expect(projectilesSeen).toBeGreaterThan(100);
    });
  });

  describe("sliding", () => {
    interface Slide {
      label: string;
      /** Start, touching the face. */
      x: number;
      y: number;
      /** Into the face and along it. */
      intent: MoveIntent;
      /** The axis the player slides along; the other one stays pinned to the face. */
      along: "x" | "y";
      /** Where the face (or run of flush faces) ends, along `along`. */
      faceEnd: number;
    }

    /**
     * Holds `slide.intent` while the player is on the face: each tick the
     * velocity along the face must be exactly what a free player would have,
     * and the player must stay pinned to the face, moving neither into nor away from it.
     */
    function expectSlides(slide: Slide): void {
      const across = slide.along === "x" ? "y" : "x";
      const player: MovingPlayer = { x: slide.x, y: slide.y, vx: 0, vy: 0, alive: true };
      const free: MovingPlayer = { x: FREE_START, y: FREE_START, vx: 0, vy: 0, alive: true };
      const pinned = player[across];
      const alongVelocity = slide.along === "x" ? "vx" : "vy";
      const start = player[slide.along];
      const direction = Math.sign(slide.faceEnd - start);
      let ticks = 0;
      // Stop while the player is still well on the face (it must not round the far corner).
      while ((slide.faceEnd - (start + free[slide.along] - FREE_START)) * direction > PLAYER_RADIUS) {
        stepPlayer(player, slide.intent, dt);
        stepPlayer(free, slide.intent, dt, OPEN_FIELD);
        ticks++;
        expect(player[across], `tick ${ticks}: pushed off the face`).toBeCloseTo(pinned, 3);
        expect(player[alongVelocity], `tick ${ticks}: speed along the face`).toBe(free[alongVelocity]);
      }
      expect(ticks).toBeGreaterThan(8);
      expect((player[slide.along] - start) * direction).toBeGreaterThan(40);
    }

    const r = PLAYER_RADIUS;
    const diagonal = (dx: number, dy: number): MoveIntent => ({ moveX: dx * Math.SQRT1_2, moveY: dy * Math.SQRT1_2 });

    it.each<Slide>([
      { label: "the top of wall {240, 200, 200, 40}, rightwards", x: 260, y: 200 - r, intent: diagonal(1, 1), along: "x", faceEnd: 440 },
      { label: "the bottom of wall {240, 960, 200, 40}, leftwards", x: 430, y: 1000 + r, intent: diagonal(-1, -1), along: "x", faceEnd: 240 },
      { label: "the left of wall {760, 960, 80, 120}, downwards", x: 760 - r, y: 962, intent: diagonal(1, 1), along: "y", faceEnd: 1080 },
      { label: "the right of wall {760, 120, 80, 120}, downwards", x: 840 + r, y: 122, intent: diagonal(-1, 1), along: "y", faceEnd: 240 },
      { label: "the top edge of the world, rightwards", x: 900, y: r, intent: diagonal(1, -1), along: "x", faceEnd: 1200 },
    ])("slides along $label, keeping the velocity along the face", (slide) => {
      expectSlides(slide);
    });

    // Where two walls' faces are flush (an L-shape's outer side), the player
    // must glide over the seam as over one face. Regression: walls were
    // resolved in map order, so next to the seam the corner of the wall listed
    // first was resolved before the face actually pressed on, pushing the
    // player diagonally: off the face, and faster or slower along it
    // (shared/player.ts, stepPlayer).
    it.each<Slide>([
      { label: "x = 1360 down across the seam at y = 960", x: 1360 + r, y: 830, intent: diagonal(-1, 1), along: "y", faceEnd: 1000 },
      { label: "x = 1360 up across the seam at y = 960", x: 1360 + r, y: 990, intent: diagonal(-1, -1), along: "y", faceEnd: 820 },
      { label: "x = 1360 up across the seam at y = 240", x: 1360 + r, y: 370, intent: diagonal(-1, -1), along: "y", faceEnd: 200 },
      { label: "x = 1360 down across the seam at y = 240", x: 1360 + r, y: 210, intent: diagonal(-1, 1), along: "y", faceEnd: 380 },
      { label: "x = 240 up across the seam at y = 240", x: 240 - r, y: 370, intent: diagonal(1, -1), along: "y", faceEnd: 200 },
      { label: "x = 240 down across the seam at y = 240", x: 240 - r, y: 210, intent: diagonal(1, 1), along: "y", faceEnd: 380 },
      { label: "x = 240 down across the seam at y = 960", x: 240 - r, y: 830, intent: diagonal(1, 1), along: "y", faceEnd: 1000 },
      { label: "x = 240 up across the seam at y = 960", x: 240 - r, y: 990, intent: diagonal(1, -1), along: "y", faceEnd: 820 },
    ])("slides along the flush faces at $label without catching", (slide) => {
      expectSlides(slide);
    });
  });

  describe("the grid of walls near a point", () => {
    it("lists, in the map's order, every wall that comes within NEAR_REACH of the point", () => {
      const random = mulberry32(5);
      for (let i = 0; i < 20_000; i++) {
        const x = random() * width;
        const y = random() * height;
        const near = wallsNear(ARENA_MAP, x, y);
        const within = walls.filter((wall) => Math.max(wall.x - x, x - (wall.x + wall.w), 0) <= NEAR_REACH
          && Math.max(wall.y - y, y - (wall.y + wall.h), 0) <= NEAR_REACH);
        expect(near.filter((wall) => within.includes(wall)), `(${x}, ${y})`).toEqual(within);
        expect([...near].sort((a, b) => walls.indexOf(a) - walls.indexOf(b))).toEqual(near);
      }
    });

    it("covers the bot's probe, and gives every wall for a point off the map", () => {
      expect(PROBE_REACH).toBeLessThanOrEqual(NEAR_REACH);
      expect(wallsNear(ARENA_MAP, -5, 600)).toBe(walls);
      expect(wallsNear(OPEN_FIELD, 5, 5)).toBe(OPEN_FIELD.walls);
    });
  });

  describe("spawn points", () => {
    it.each(ARENA_MAP.spawnPoints.map((point) => [point.x, point.y] as const))(
      "the spawn point (%i, %i) is inside the world and clear of every wall by PLAYER_RADIUS",
      (x, y) => {
        expect(insideWorld(x, y, PLAYER_RADIUS)).toBe(true);
        expect(insideAnyWall(x, y, PLAYER_RADIUS)).toBeUndefined();
      },
    );

    it("no two spawn points are the same", () => {
      const keys = ARENA_MAP.spawnPoints.map((point) => `${point.x},${point.y}`);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });

  describe("projectiles", () => {
    const sides = [
      { name: "left", nx: -1, ny: 0 }, { name: "right", nx: 1, ny: 0 },
      { name: "top", nx: 0, ny: -1 }, { name: "bottom", nx: 0, ny: 1 },
    ];

    it("a shot fired straight at any side of any wall stops at it and never appears beyond it", () => {
      let shots = 0;
      for (const [index, wall] of walls.entries()) {
        for (const side of sides) {
          // A shooter 100 u out from the middle of this side, aiming straight at it.
          const faceX = side.nx === 0 ? wall.x + wall.w / 2 : side.nx < 0 ? wall.x : wall.x + wall.w;
          const faceY = side.ny === 0 ? wall.y + wall.h / 2 : side.ny < 0 ? wall.y : wall.y + wall.h;
          const x = faceX + side.nx * 100;
          const y = faceY + side.ny * 100;
          if (insideAnyWall(x, y, PLAYER_RADIUS) || !insideWorld(x, y, PLAYER_RADIUS)) continue;
          const world = createWorld(1, rules);
          placePlayer(world, "shooter", rules, x, y);
          stepOnce(world, rules, { shooter: input({ aim: Math.atan2(-side.ny, -side.nx), fire: true }) });
          // (A side flush with another wall is covered by it: the shot may stop there at once.)
          expect(world.nextProjectileId, `wall ${index} ${side.name}: fired`).toBe(2);
          shots++;
          for (let tick = 0; world.projectiles.size > 0; tick++) {
            if (tick > 5) expect.fail(`wall ${index} ${side.name}: the shot flew on past the wall`);
            world.projectiles.forEach((shot) => {
              // Distance in front of the face, along its outward normal.
              const inFront = (shot.x - faceX) * side.nx + (shot.y - faceY) * side.ny;
              expect(inFront, `wall ${index} ${side.name}, tick ${tick}`).toBeGreaterThanOrEqual(PROJECTILE_RADIUS);
            });
            stepOnce(world, rules);
          }
        }
      }
      expect(shots).toBeGreaterThan(50);
    });

    it("a wall between them protects a player from a shot", () => {
      // Wall {760, 120, 80, 120} stands between the shooter and the target.
      const s = scenario().join("shooter", { at: [680, 180], inputs: { 0: { aim: 0, fire: true }, 1: null } }).join("target", { at: [920, 180] });
      expect(s.run(rules.projectileLifetimeTicks + 1).player("target").hp).toBe(PLAYER_MAX_HP);
      expect(s.world.projectiles.size).toBe(0);
    });

    it.each([
      ["left", 60, 600, Math.PI], ["right", 1540, 600, 0], ["top", 600, 60, -Math.PI / 2], ["bottom", 600, 1140, Math.PI / 2],
    ])("a shot at the %s edge of the world is removed before it leaves", (_edge, x, y, aim) => {
      const s = scenario().join("shooter", { at: [x, y], inputs: { 0: { aim, fire: true }, 1: null } });
      const shots = Array.from({ length: 10 }, () => [...s.run(1).world.projectiles.values()]).flat();
      for (const shot of shots) expect(insideWorld(shot.x, shot.y, PROJECTILE_RADIUS)).toBe(true);
      expect(s.world.projectiles.size).toBe(0);
    });
  });
});

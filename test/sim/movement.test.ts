import { describe, expect, it } from "vitest";
import { PLAYER_ACCEL, PLAYER_FRICTION, PLAYER_MAX_SPEED } from "../../shared/constants.ts";
import type { ArenaMap } from "../../shared/map.ts";
import { stepPlayer, type MoveIntent, type MovingPlayer } from "../../shared/player.ts";
import { PLAYER_VELOCITY, POSITION_X, POSITION_Y, snap } from "../../shared/precision.ts";
import { makeRules } from "../../shared/rules.ts";

const { dt } = makeRules();
/** Open ground without walls or edges in reach, so only the movement rules act. */
const OPEN_FIELD: ArenaMap = { width: 1e6, height: 1e6, walls: [], spawnPoints: [] };

/** Far from the field's edges, and on the wire's position grid. */
const START = 1000;
/** A speed worked out from velocity components on the wire's grid is within this of the exact one. */
const SPEED_GRID = Math.SQRT2 / 128; // u/s

function playerAtRest(): MovingPlayer {
  return { x: START, y: START, vx: 0, vy: 0, alive: true };
}

function speedOf(player: MovingPlayer): number {
  return Math.hypot(player.vx, player.vy);
}

/** Steps a fresh player `ticks` times under one intent; returns it. */
function hold(intent: MoveIntent, ticks: number, player = playerAtRest()): MovingPlayer {
  for (let i = 0; i < ticks; i++) stepPlayer(player, intent, dt, OPEN_FIELD);
  return player;
}

describe("movement", () => {
  describe("acceleration", () => {
    it("one step from rest follows PLAYER_ACCEL and PLAYER_FRICTION", () => {
      const player = hold({ moveX: 1, moveY: 0 }, 1);
      const vx = PLAYER_ACCEL * dt / (1 + PLAYER_FRICTION * dt);
      expect(player.vx).toBe(snap(PLAYER_VELOCITY, vx));
      expect(player.vy).toBe(0);
      expect(player.x).toBe(snap(POSITION_X, START + vx * dt));
      expect(player.y).toBe(START);
    });

    it("a held intent settles at PLAYER_ACCEL / PLAYER_FRICTION, never slowing down on the way", () => {
      const player = { ...playerAtRest(), y: 2000 }; // room to run upwards for four seconds
      let previous = 0;
      for (let i = 0; i < 120; i++) {
        stepPlayer(player, { moveX: 0, moveY: -1 }, dt, OPEN_FIELD);
        expect(-player.vy).toBeGreaterThanOrEqual(previous);
        previous = -player.vy;
      }
      // Within a few grid steps: each step's velocity is snapped to 1/64 u/s.
      expect(-player.vy).toBeCloseTo(PLAYER_ACCEL / PLAYER_FRICTION, 1);
    });

    it("a half intent accelerates half as hard", () => {
      const full = hold({ moveX: 1, moveY: 0 }, 1);
      const half = hold({ moveX: 0.5, moveY: 0 }, 1);
      expect(half.vx).toBeCloseTo(full.vx / 2, 4);
    });

    it("keeps positions and velocities on the wire's grid, as the wire carries them", () => {
      const player = hold({ moveX: 0.3, moveY: -0.7 }, 17);
      expect(snap(POSITION_X, player.x)).toBe(player.x);
      expect(snap(POSITION_Y, player.y)).toBe(player.y);
      expect(snap(PLAYER_VELOCITY, player.vx)).toBe(player.vx);
      expect(snap(PLAYER_VELOCITY, player.vy)).toBe(player.vy);
    });
  });

  describe("friction", () => {
    it("brings a player at full speed to rest, and it stays put", () => {
      const player = hold({ moveX: 1, moveY: 1 }, 60);
      let previousSpeed = speedOf(player);
      let restedAfter = 0;
      for (let i = 1; i <= 90 && restedAfter === 0; i++) {
        stepPlayer(player, { moveX: 0, moveY: 0 }, dt, OPEN_FIELD);
        expect(speedOf(player)).toBeLessThan(previousSpeed);
        previousSpeed = speedOf(player);
        if (player.vx === 0 && player.vy === 0) restedAfter = i;
      }
      expect(restedAfter).toBeGreaterThan(0);
      expect(restedAfter).toBeLessThanOrEqual(60);
      const at = { x: player.x, y: player.y };
      hold({ moveX: 0, moveY: 0 }, 30, player);
      expect(player).toMatchObject({ ...at, vx: 0, vy: 0 });
    });
  });

  describe("speed cap", () => {
    it("never exceeds PLAYER_MAX_SPEED, whatever the intent and however fast the player was going", () => {
      for (const intent of [{ moveX: 1, moveY: 0 }, { moveX: 1, moveY: 1 }, { moveX: -0.6, moveY: 0.8 }]) {
        const player: MovingPlayer = { ...playerAtRest(), vx: 700, vy: 500 };
        for (let i = 0; i < 200; i++) {
          stepPlayer(player, intent, dt, OPEN_FIELD);
          expect(speedOf(player)).toBeLessThanOrEqual(PLAYER_MAX_SPEED + SPEED_GRID);
        }
      }
    });

    it("cuts a player moving faster than PLAYER_MAX_SPEED down to it, keeping its heading", () => {
      const player: MovingPlayer = { ...playerAtRest(), vx: 3000, vy: -4000 };
      stepPlayer(player, { moveX: 0.6, moveY: -0.8 }, dt, OPEN_FIELD);
      expect(Math.abs(speedOf(player) - PLAYER_MAX_SPEED)).toBeLessThanOrEqual(SPEED_GRID);
      expect(player.vx / player.vy).toBeCloseTo(-0.75, 4);
    });
  });

  describe("diagonals", () => {
    it("normalises a diagonal intent: no faster than a straight one", () => {
      for (let ticks = 1; ticks <= 60; ticks += 7) {
        const straight = hold({ moveX: 1, moveY: 0 }, ticks);
        const diagonal = hold({ moveX: 1, moveY: 1 }, ticks);
        expect(Math.abs(speedOf(diagonal) - speedOf(straight))).toBeLessThanOrEqual(2 * SPEED_GRID);
        expect(diagonal.vx).toBe(diagonal.vy);
      }
    });

    it("leaves an intent shorter than 1 as it is", () => {
      const player = hold({ moveX: 0.3, moveY: 0.4 }, 1);
      expect(Math.abs(speedOf(player) - 0.5 * PLAYER_ACCEL * dt / (1 + PLAYER_FRICTION * dt))).toBeLessThanOrEqual(SPEED_GRID);
    });
  });

  describe("hostile intents", () => {
    it.each([
      ["5", 5, 1],
      ["-7", -7, -1],
      ["Infinity", Infinity, 1],
      ["-Infinity", -Infinity, -1],
      ["NaN", NaN, 0],
    ])("treats moveX = %s as %i", (_label, hostile, legal) => {
      const fromHostile = hold({ moveX: hostile, moveY: 0 }, 10);
      const fromLegal = hold({ moveX: legal, moveY: 0 }, 10);
      expect(fromHostile).toEqual(fromLegal);
      for (const value of Object.values(fromHostile)) expect(Number.isNaN(value)).toBe(false);
    });

    it("clamps each axis before normalising", () => {
      expect(hold({ moveX: 1e9, moveY: -1e9 }, 10)).toEqual(hold({ moveX: 1, moveY: -1 }, 10));
      expect(hold({ moveX: NaN, moveY: 3 }, 10)).toEqual(hold({ moveX: 0, moveY: 1 }, 10));
    });
  });

  describe("dead players", () => {
    it("a dead player does not move and loses its velocity", () => {
      const player: MovingPlayer = { x: 400, y: 300, vx: 120, vy: -80, alive: false };
      for (let i = 0; i < 10; i++) stepPlayer(player, { moveX: 1, moveY: 1 }, dt);
      expect(player).toEqual({ x: 400, y: 300, vx: 0, vy: 0, alive: false });
    });
  });
});

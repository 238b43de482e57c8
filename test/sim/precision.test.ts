/**
 * The wire's precision (shared/precision.ts): the shared step's `snap` must
 * give exactly what the server's schema fields hold and a client decodes, or
 * prediction drifts; and every value the game produces must fit its range.
 */
import { Encoder, Reflection } from "@colyseus/schema";
import { describe, expect, it } from "vitest";
import { Player, PlayerBody, Projectile } from "../../server/schema/ArenaState.ts";
import { PLAYER_MAX_SPEED, PROJECTILE_SPEED, WORLD_HEIGHT, WORLD_WIDTH } from "../../shared/constants.ts";
import {
  FACING, PLAYER_VELOCITY, POSITION_X, POSITION_Y, PROJECTILE_VELOCITY, snap, type Precision,
} from "../../shared/precision.ts";
import { mulberry32 } from "../../shared/rng.ts";

/** Values across and around `precision`'s range: random ones, the ends, zero, and a few hostile ones. */
function samplesFor(precision: Precision): number[] {
  const random = mulberry32(99);
  const span = precision.max - precision.min;
  const values = [precision.min, precision.max, 0, -0, 18, 222, 1000, precision.min - 5, precision.max + 5, NaN, Infinity, -Infinity];
  for (let i = 0; i < 5000; i++) values.push(precision.min - span * 0.1 + random() * span * 1.2);
  return values;
}

describe("wire precision", () => {
  const fields: Array<[string, Precision, (value: number) => number]> = [
    ["player x", POSITION_X, (x) => new Player({ x }).x],
    ["player y", POSITION_Y, (y) => new Player({ y }).y],
    ["player body x", POSITION_X, (x) => new PlayerBody({ x }).x],
    ["player body vx", PLAYER_VELOCITY, (vx) => new PlayerBody({ vx }).vx],
    ["player aim", FACING, (aim) => new Player({ aim }).aim],
    ["projectile vx", PROJECTILE_VELOCITY, (vx) => new Projectile({ vx }).vx],
  ];

  it.each(fields)("snap gives exactly what the schema's %s holds", (_label, precision, held) => {
    for (const value of samplesFor(precision)) {
      if (!Object.is(snap(precision, value) + 0, held(value) + 0)) {
        expect.fail(`${value}: snap gives ${snap(precision, value)}, the schema holds ${held(value)}`);
      }
    }
  });

  it("a client decodes exactly the snapped values", () => {
    const player = new Player({ x: 1234.56789, y: 18.0001, aim: -2.99 });
    const encoder = new Encoder(player);
    const client = Reflection.decode<typeof player>(Reflection.encode(encoder));
    client.decode(encoder.encodeAll());
    const decoded = client.state;
    expect([decoded.x, decoded.y, decoded.aim]).toEqual([
      snap(POSITION_X, 1234.56789), snap(POSITION_Y, 18.0001), snap(FACING, -2.99),
    ]);
  });

  it("is binary fixed point: whole units (wall faces, spawn points) lie on the position grid", () => {
    for (let x = 0; x <= 2000; x++) expect(snap(POSITION_X, x)).toBe(x);
    expect(snap(POSITION_X, 100.03125)).toBe(100.03125);
    expect(snap(PLAYER_VELOCITY, -0.015625)).toBe(-0.015625);
    expect(snap(PLAYER_VELOCITY, 0.001)).toBe(0);
  });

  it("holds the whole world, the top speed and the projectile speed", () => {
    expect(POSITION_X.max).toBeGreaterThanOrEqual(WORLD_WIDTH);
    expect(POSITION_Y.max).toBeGreaterThanOrEqual(WORLD_HEIGHT);
    expect(PLAYER_VELOCITY.max).toBeGreaterThanOrEqual(PLAYER_MAX_SPEED);
    expect(PROJECTILE_VELOCITY.max).toBeGreaterThanOrEqual(PROJECTILE_SPEED);
  });
});

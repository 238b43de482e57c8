/**
 * The claim `shared/` rests on: the same step gives the same result on the
 * server's schema instances and on plain objects (client prediction, the
 * headless runner, these tests), and the room's world reaches clients exactly.
 */
import { describe, expect, it } from "vitest";
import { Encoder, Reflection, StateView } from "@colyseus/schema";
import { ArenaState, PlayerBody } from "../../server/schema/ArenaState.ts";
import { StateMirror } from "../../server/rooms/stateMirror.ts";
import { PLAYER_RADIUS } from "../../shared/constants.ts";
import { circleOverlapsWall } from "../../shared/geometry.ts";
import { hashWorld } from "../../shared/hash.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { spawnPlayer } from "../../shared/spawning.ts";
import { createWorld, stepWorld } from "../../shared/world.ts";
import { newPlayer, type WorldEvent } from "../../shared/worldState.ts";
import { stepPlayer, type MoveIntent, type MovingPlayer } from "../../shared/player.ts";
import { mulberry32, type Random } from "../../shared/rng.ts";
import { makeRules } from "../../shared/rules.ts";
import { PLAYER_VELOCITY, POSITION_X, POSITION_Y, snap } from "../../shared/precision.ts";
import type { ArenaView } from "../../shared/protocol.ts";
import { fightingBots, inputsFor } from "../helpers/sim.ts";

const rules = makeRules({ matchSeconds: 60, scoreboardSeconds: 5 });
const MOVING_FIELDS = ["x", "y", "vx", "vy", "alive"] as const;

/**
 * A held move intent as a client may send it: keys (−1, 0, 1), a stick
 * (any float32 in −1…1), or garbage the step must clamp (NaN, ±Infinity, out of range).
 */
function randomIntent(random: Random): MoveIntent {
  const axis = (): number => {
    const kind = random();
    if (kind < 0.4) return Math.floor(random() * 3) - 1;
    if (kind < 0.85) return Math.fround(random() * 2 - 1);
    return [NaN, Infinity, -Infinity, 3, -2.5, -0][Math.floor(random() * 6)];
  };
  return { moveX: axis(), moveY: axis() };
}

function touchingWall(player: MovingPlayer): boolean {
  return ARENA_MAP.walls.some((wall) => circleOverlapsWall(player.x, player.y, PLAYER_RADIUS + 0.01, wall));
}

/** Fails with the tick and field where the schema player and the plain one first differ. */
function expectSameMovingPlayer(schemaPlayer: MovingPlayer, plain: MovingPlayer, context: string): void {
  for (const field of MOVING_FIELDS) {
    if (!Object.is(schemaPlayer[field], plain[field])) {
      expect.fail(`${context}: ${field} is ${schemaPlayer[field]} on the schema, ${plain[field]} on the plain object`);
    }
  }
}

describe("schema parity", () => {
  describe("stepPlayer", () => {
    it("gives identical results on a schema PlayerBody (what the own prediction adopts) and a plain object, walls and edges included", () => {
      const random = mulberry32(2024);
      let wallContacts = 0;
      // Starts next to walls, in corners of the world and in the open.
      const starts = [
        ...ARENA_MAP.walls.map((wall) => ({ x: wall.x - PLAYER_RADIUS - 2, y: wall.y + wall.h / 2 })),
        { x: PLAYER_RADIUS, y: PLAYER_RADIUS }, { x: 1600 - PLAYER_RADIUS, y: 1200 - PLAYER_RADIUS }, { x: 800, y: 300 },
      ].filter((start) => start.x >= PLAYER_RADIUS);
      for (const [run, start] of starts.entries()) {
        const schemaPlayer = new PlayerBody({ x: start.x, y: start.y, alive: true });
        // A plain object holds what the schema holds: the start on the wire's grid.
        const plain: MovingPlayer = { x: snap(POSITION_X, start.x), y: snap(POSITION_Y, start.y), vx: 0, vy: 0, alive: true };
        let intent = randomIntent(random);
        for (let tick = 0; tick < 1500; tick++) {
          if (random() < 0.08) intent = randomIntent(random);
          stepPlayer(schemaPlayer, intent, rules.dt);
          stepPlayer(plain, intent, rules.dt);
          expectSameMovingPlayer(schemaPlayer, plain, `run ${run}, tick ${tick}`);
          if (touchingWall(plain)) wallContacts++;
        }
      }
      expect(wallContacts).toBeGreaterThan(100);
    });

    it("gives identical results for a dead player", () => {
      const schemaPlayer = new PlayerBody({ x: 300, y: 300, vx: 50, vy: -20, alive: false });
      const plain: MovingPlayer = {
        x: snap(POSITION_X, 300), y: snap(POSITION_Y, 300), vx: snap(PLAYER_VELOCITY, 50), vy: snap(PLAYER_VELOCITY, -20), alive: false,
      };
      stepPlayer(schemaPlayer, { moveX: 1, moveY: 0 }, rules.dt);
      stepPlayer(plain, { moveX: 1, moveY: 0 }, rules.dt);
      expectSameMovingPlayer(schemaPlayer, plain, "dead");
    });
  });

  describe("the room's world on the wire (StateMirror)", () => {
    /** A room's world and state with `players` seated, and a client decoding what one of them receives. */
    function wiredRoom(seed: number, players: number) {
      const mirror = new StateMirror(new ArenaState(), seed, rules);
      for (let i = 0; i < players; i++) {
        const player = newPlayer(`p${i}`, i);
        spawnPlayer(mirror.world, `p${i}`, player, rules);
        mirror.addPlayer(`p${i}`, player);
      }
      const encoder = new Encoder(mirror.state);
      const view = new StateView();
      view.add(mirror.state.players.get("p0")!);
      const client = Reflection.decode<typeof mirror.state>(Reflection.encode(encoder));
      // As Colyseus' SchemaSerializer does for a client with a view: the shared part, then the view's on top.
      const full = { offset: 0 };
      const buffer = new Uint8Array(64 * 1024);
      encoder.encodeAll(full, buffer);
      client.decode(encoder.encodeAllView(view, full.offset, { ...full }, buffer));
      // Then the unreliable channel's patch, its shared part and the view's, as Colyseus sends it right after.
      const sendPatch = () => {
        const it = { offset: 0 };
        encoder.encode(it);
        client.decode(encoder.encodeView(view, it.offset, it));
        encoder.discardChanges();
        const unreliable = { offset: 0 };
        encoder.encodeUnreliable(unreliable);
        client.decode(encoder.encodeUnreliableView(view, unreliable.offset, unreliable));
        encoder.discardUnreliableChanges();
      };
      return { mirror, client, sendPatch };
    }

    it("gives a client exactly the world the room stepped, through thousands of ticks of fighting", () => {
      const { mirror, client, sendPatch } = wiredRoom(77, 6);
      const world = createWorld(77, rules);
      for (let i = 0; i < 6; i++) {
        const player = newPlayer(`p${i}`);
        spawnPlayer(world, `p${i}`, player, rules);
        world.players.set(`p${i}`, player);
      }
      const roomBots = fightingBots(mirror.world, 5);
      const plainBots = fightingBots(world, 5);
      const events: WorldEvent[] = [];
      const tickMs = 1000 / rules.tickHz;
      let shotsSeen = 0;
      for (let tick = 1; tick <= 4000; tick++) {
        stepWorld(mirror.world, inputsFor(mirror.world, roomBots), rules, events);
        stepWorld(world, inputsFor(world, plainBots), rules, []);
        mirror.publish(tick * tickMs);
        sendPatch();
        const decoded = client.state as unknown as ArenaView;
        world.players.forEach((player, id) => {
          const seen = decoded.players.get(id)!;
          const own = id === "p0";
          for (const field of ["x", "y", "aim", "hp", "score", "deaths", "alive", "shielded"] as const) {
            if (!Object.is(seen[field], player[field])) expect.fail(`tick ${tick}, ${id}.${field}: ${seen[field]} decoded, ${player[field]} stepped`);
          }
          // The body (with the velocity) and the reload go to the player itself only.
          if (own) {
            const body = seen.body!;
            for (const field of MOVING_FIELDS) {
              if (!Object.is(body[field], player[field])) expect.fail(`tick ${tick}, ${id}.body.${field}: ${body[field]} decoded, ${player[field]} stepped`);
            }
          } else {
            expect(seen.body, `tick ${tick}`).toBeUndefined();
          }
          expect(seen.reloadTicks, `tick ${tick}`).toBe(own ? player.reloadTicks : undefined);
        });
        const decodedShots: string[] = [];
        decoded.projectiles.forEach((shot, id) => {
          decodedShots.push(id);
          if (shot.bornMs === Math.round(tick * tickMs)) shotsSeen++;
        });
        expect(decodedShots.sort(), `tick ${tick}`).toEqual([...world.projectiles.keys()].sort());
      }
      expect(hashWorld(mirror.world)).toBe(hashWorld(world));
      expect(events.some((event) => event.type === "kill")).toBe(true);
      expect(shotsSeen).toBeGreaterThan(100);
    });

    it("sends a projectile once: later patches carry nothing about it until it is gone", () => {
      const { mirror, client, sendPatch } = wiredRoom(5, 2);
      const shooter = mirror.world.players.get("p0")!;
      mirror.world.players.get("p1")!.alive = false;
      const events: WorldEvent[] = [];
      const aimRight = { moveX: 0, moveY: 0, aim: 0, fire: true };
      stepWorld(mirror.world, new Map([["p0", [aimRight]]]), rules, events);
      mirror.publish(1000);
      sendPatch();
      const decoded = client.state as unknown as ArenaView;
      expect(decoded.projectiles.size).toBe(1);
      const [id, shot] = [...mirror.world.projectiles][0];
      const seen = decoded.projectiles.get(id)!;
      expect(seen).toMatchObject({ owner: "p0", bornMs: 1000 });
      expect(seen.x).toBeCloseTo(shot.x, 1);
      expect(Math.hypot(seen.vx, seen.vy)).toBeCloseTo(Math.hypot(shot.vx, shot.vy), 0);
      const birth = { x: seen.x, y: seen.y };
      const firstX = shot.x;
      stepWorld(mirror.world, new Map([["p0", [{ ...aimRight, fire: false }]]]), rules, events);
      mirror.publish(1033);
      expect(shot.x).toBeGreaterThan(firstX); // it flew on in the room
      sendPatch();
      expect({ x: decoded.projectiles.get(id)!.x, y: decoded.projectiles.get(id)!.y }).toEqual(birth);
      expect(shooter.alive).toBe(true);
    });
  });
});

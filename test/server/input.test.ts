import { describe, expect, it } from "vitest";
import { INPUT_CATCHUP_TICKS, PLAYER_MAX_SPEED } from "../../shared/constants.ts";
import { wrapAngle } from "../../shared/geometry.ts";
import { FACING, snap } from "../../shared/precision.ts";
import { ArenaInput } from "../../server/schema/ArenaState.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { stepPlayer, type MovingPlayer, type MoveIntent } from "../../shared/player.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import {
  inputOf, ownPlayerIn, playerIn, sendInput, useTestServer, waitFor, waitForTicks, type ArenaClientRoom, type TestServer,
} from "../helpers/server.ts";

/** A plain copy of a player's movement state, for replaying the shared step beside the server. */
function bodyOf(player: MovingPlayer): MovingPlayer {
  return { x: player.x, y: player.y, vx: player.vx, vy: player.vy, alive: player.alive };
}

/** `start` after each intent in turn, stepped with the shared `stepPlayer` as the server does. */
function replay(start: MovingPlayer, intents: readonly MoveIntent[], dt: number): MovingPlayer {
  const body = bodyOf(start);
  for (const intent of intents) stepPlayer(body, intent, dt);
  return body;
}

/** The first `steps` + 1 states of a player holding one intent from `start` (index = inputs applied). */
function trajectory(start: MovingPlayer, intent: MoveIntent, dt: number, steps: number): MovingPlayer[] {
  const states = [bodyOf(start)];
  for (let k = 1; k <= steps; k++) {
    const body = bodyOf(states[k - 1]);
    stepPlayer(body, intent, dt);
    states.push(body);
  }
  return states;
}

const sameBody = (a: MovingPlayer, b: MovingPlayer) => a.x === b.x && a.y === b.y && a.vx === b.vx && a.vy === b.vy;

/** How many held inputs put the player in exactly `state`, or -1 if no count up to the trajectory's length does. */
function inputsApplied(path: readonly MovingPlayer[], state: MovingPlayer): number {
  return path.findIndex((body) => sameBody(body, state));
}

/** How many steps of `path` keep moving before a wall stops it (path.length - 1 if none does). */
function freeSteps(path: readonly MovingPlayer[]): number {
  const stuck = path.findIndex((body, k) => k > 0 && body.x === path[k - 1].x && body.y === path[k - 1].y);
  return stuck === -1 ? path.length - 1 : stuck - 1;
}

/** Of the eight compass intents (float32-exact, as the wire delivers them), the one that travels longest from `start` before meeting a wall. */
function openIntent(start: MovingPlayer, dt: number, steps: number): MoveIntent {
  const s = Math.fround(Math.SQRT1_2); // what the float32 input field carries
  const intents: MoveIntent[] = [
    { moveX: 1, moveY: 0 }, { moveX: -1, moveY: 0 }, { moveX: 0, moveY: 1 }, { moveX: 0, moveY: -1 },
    { moveX: s, moveY: s }, { moveX: s, moveY: -s }, { moveX: -s, moveY: s }, { moveX: -s, moveY: -s },
  ];
  const reach = (intent: MoveIntent) => freeSteps(trajectory(start, intent, dt, steps));
  return intents.reduce((best, intent) => (reach(intent) > reach(best) ? intent : best));
}

/** Waits until the server has processed (and the client has been told about) `count` inputs. */
async function waitForAck(room: ArenaClientRoom, count: number): Promise<void> {
  const input = inputOf(room);
  await waitFor(() => input.lastProcessed >= count, {
    message: () => `input ack ${count} on ${room.sessionId} (at ${input.lastProcessed})`,
  });
}

/** Joins and waits for the own player to be in the decoded state. */
async function joinPlayer(server: TestServer, name: string): Promise<ArenaClientRoom> {
  const room = await server.connect(name);
  await waitFor(() => playerIn(room) !== undefined, { message: `${name} in its own state` });
  return room;
}

describe("player input", () => {
  describe("movement is exact", () => {
    const server = useTestServer();

    it("one input moves the player exactly as one shared stepPlayer does", async () => {
      const room = await joinPlayer(server(), "Mover");
      const spawn = bodyOf(ownPlayerIn(room)!.body);
      expect(spawn).toMatchObject({ vx: 0, vy: 0, alive: true });

      expect(sendInput(room, { moveX: 1, moveY: 0 })).toBe(1);
      await waitForAck(room, 1);

      const expected = replay(spawn, [{ moveX: 1, moveY: 0 }], 1 / server().config.tickHz);
      expect(expected.x).not.toBe(spawn.x); // the check below would be vacuous otherwise
      // The own body: the reliable copy that arrives with the acknowledgement.
      const seen = ownPlayerIn(room)!.body;
      expect(seen.x).toBe(expected.x);
      expect(seen.y).toBe(expected.y);
      expect(seen.vx).toBe(expected.vx);
      expect(seen.vy).toBe(expected.vy);
    });

    it("a sequence of inputs equals stepPlayer applied once per input, in order", async () => {
      const room = await joinPlayer(server(), "Mover");
      const spawn = bodyOf(ownPlayerIn(room)!.body);
      // Values exact in float32, the input schema's wire type, so the client-side replay sees what the server sees.
      const intents: PlayerInput[] = [
        { moveX: 1, moveY: 0, aim: 0, fire: false },
        { moveX: 1, moveY: 1, aim: 0, fire: false },
        { moveX: 0, moveY: -1, aim: 0, fire: false },
        { moveX: -0.5, moveY: 0.25, aim: 0, fire: false },
        { moveX: 0, moveY: 0, aim: 0, fire: false },
        { moveX: 0, moveY: 0, aim: 0, fire: false },
      ];
      for (const intent of intents) sendInput(room, intent);
      await waitForAck(room, intents.length);

      const expected = replay(spawn, intents, 1 / server().config.tickHz);
      const seen = ownPlayerIn(room)!.body;
      const onServer = server().serverRoom(room.roomId).state.players.get(room.sessionId)!.body;
      for (const view of [seen, onServer]) {
        expect({ x: view.x, y: view.y, vx: view.vx, vy: view.vy }).toStrictEqual({
          x: expected.x, y: expected.y, vx: expected.vx, vy: expected.vy,
        });
      }
    });
  });

  describe("input flood", () => {
    // Above the frame rate limit (which closes a flooder, see test/hostile), to test the pacer itself.
    const server = useTestServer({ security: { maxMessagesPerSecond: 1000 } });

    it("sending 10 inputs per tick moves no faster than one per tick, and the honest client keeps its patches", async () => {
      const honest = await joinPlayer(server(), "Honest");
      const flooder = await joinPlayer(server(), "Flooder");
      expect(flooder.roomId).toBe(honest.roomId);
      const roomState = server().serverRoom(honest.roomId).world;
      const { tickHz } = server().config;
      const dt = 1 / tickHz;
      const floodTicks = tickHz; // about one second
      const horizon = 3 * floodTicks;

      const honestStart = bodyOf(roomState.players.get(honest.sessionId)!);
      const flooderStart = bodyOf(roomState.players.get(flooder.sessionId)!);
      const honestIntent = openIntent(honestStart, dt, horizon);
      const flooderIntent = openIntent(flooderStart, dt, horizon);
      const honestPath = trajectory(honestStart, honestIntent, dt, horizon);
      const flooderPath = trajectory(flooderStart, flooderIntent, dt, horizon);
      Object.assign(inputOf(honest).data, honestIntent);
      Object.assign(inputOf(flooder).data, flooderIntent);

      // Stand idle long enough for the flooder's catch-up bank to be full, the best case for a cheat.
      await waitForTicks(server(), honest.roomId, INPUT_CATCHUP_TICKS + 2);
      let honestPatches = 0;
      honest.onStateChange(() => honestPatches++);
      const startTick = roomState.tick;
      // Per server tick that passes: one input from the honest client, ten from the flooder.
      // (A late timer can let two ticks pass between iterations; both clients then make up for it.)
      let sentLast = 0;
      for (let tick = startTick, due = 1; tick - startTick < floodTicks; ) {
        sentLast = due;
        for (let i = 0; i < due; i++) inputOf(honest).send();
        for (let i = 0; i < 10 * due; i++) inputOf(flooder).send();
        await waitForTicks(server(), honest.roomId, 1);
        due = roomState.tick - tick;
        tick = roomState.tick;
      }
      // One consistent server-side snapshot: no tick runs while this code does.
      const ticks = roomState.tick - startTick;
      const honestApplied = inputsApplied(honestPath, roomState.players.get(honest.sessionId)!);
      const flooderApplied = inputsApplied(flooderPath, roomState.players.get(flooder.sessionId)!);
      const patchesDuringFlood = honestPatches;

      expect(inputOf(flooder).sentCount).toBe(10 * inputOf(honest).sentCount);
      // Each player's position must be its straight-line path after some number of inputs.
      expect(honestApplied, "the honest player's position is on its held-input path").toBeGreaterThan(0);
      expect(flooderApplied, `the flooder's position is on its held-input path within ${horizon} inputs`).toBeGreaterThan(0);
      // Both paths must still be moving freely at the counts compared, or a wall would hide extra steps.
      expect(freeSteps(flooderPath)).toBeGreaterThan(ticks + INPUT_CATCHUP_TICKS);
      expect(freeSteps(honestPath)).toBeGreaterThan(honestApplied);

      // One input of credit per tick plus the catch-up bank, however much was sent
      // (the exact maximum is ticks + INPUT_CATCHUP_TICKS - 1: the bank is spent on the first tick).
      expect(flooderApplied).toBeLessThanOrEqual(ticks + INPUT_CATCHUP_TICKS);
      // Against the honest client: the bank, plus the honest inputs still in flight at the snapshot.
      expect(flooderApplied).toBeLessThanOrEqual(honestApplied + INPUT_CATCHUP_TICKS + 2);
      // Every honest input applied but those sent last, just before the final tick (more than one
      // when a late timer let ticks pass), and one that tick's read may have missed.
      expect(honestApplied).toBeGreaterThanOrEqual(inputOf(honest).sentCount - sentLast - 1);
      // The honest client was not starved of state during the flood.
      expect(patchesDuringFlood).toBeGreaterThanOrEqual(Math.floor(ticks / 2));
      expect(roomState.players.size).toBe(2);
    });
  });

  describe("clamping", () => {
    const server = useTestServer();

    it("out-of-range move axes move the player no faster than moveX: 1, and aim is wrapped", async () => {
      const room = await joinPlayer(server(), "Cheater");
      const spawn = bodyOf(ownPlayerIn(room)!.body);
      const dt = 1 / server().config.tickHz;
      const steps = 4;
      for (let i = 0; i < steps; i++) sendInput(room, { moveX: 50, moveY: -9, aim: 1e9 });
      await waitForAck(room, steps);

      const onServer = server().serverRoom(room.roomId).state.players.get(room.sessionId)!.body;
      const aim = server().serverRoom(room.roomId).state.players.get(room.sessionId)!.aim;
      // The legal input it becomes: both axes at their limits (stepPlayer scales the diagonal to length 1).
      const clamped = replay(spawn, Array(steps).fill({ moveX: 1, moveY: -1 }), dt);
      expect({ x: onServer.x, y: onServer.y, vx: onServer.vx, vy: onServer.vy }).toStrictEqual({
        x: clamped.x, y: clamped.y, vx: clamped.vx, vy: clamped.vy,
      });
      const honest = replay(spawn, Array(steps).fill({ moveX: 1, moveY: 0 }), dt);
      const speed = Math.hypot(onServer.vx, onServer.vy);
      expect(speed).toBeGreaterThan(0);
      expect(speed).toBeLessThanOrEqual(Math.hypot(honest.vx, honest.vy) * (1 + 1e-6));
      expect(speed).toBeLessThanOrEqual(PLAYER_MAX_SPEED);

      expect(aim).toBeGreaterThanOrEqual(-Math.PI);
      expect(aim).toBeLessThan(Math.PI);
      expect(aim).toBe(snap(FACING, wrapAngle(1e9)));
    });

    it("NaN and infinite inputs are treated as zero: no movement, aim 0", async () => {
      const room = await joinPlayer(server(), "Broken");
      const spawn = bodyOf(ownPlayerIn(room)!.body);
      sendInput(room, { moveX: 1, moveY: 0, aim: 1 });
      sendInput(room, { moveX: Number.NaN, moveY: Number.NaN, aim: Number.NaN });
      sendInput(room, { moveX: Number.POSITIVE_INFINITY, moveY: Number.NEGATIVE_INFINITY, aim: Number.POSITIVE_INFINITY });
      await waitForAck(room, 3);

      const onServer = server().serverRoom(room.roomId).state.players.get(room.sessionId)!;
      const expected = replay(spawn, [{ moveX: 1, moveY: 0 }, { moveX: 0, moveY: 0 }, { moveX: 0, moveY: 0 }], 1 / server().config.tickHz);
      expect({ x: onServer.body.x, y: onServer.body.y, vx: onServer.body.vx, vy: onServer.body.vy }).toStrictEqual({
        x: expected.x, y: expected.y, vx: expected.vx, vy: expected.vy,
      });
      expect(onServer.aim).toBe(0);
      // The facing rides the unreliable channel, behind the patch that acknowledged the inputs.
      await waitFor(() => playerIn(room)!.aim === 0, { message: "the facing 0 on the client" });
    });

    // Regression: `Math.fround(wrapAngle(aim))` in shared/world.ts rounded angles within
    // half a float32 step of −π to −3.1415927410125732, which is below −π (the facing is now snapped to 256 directions).
    it("keeps aim inside [-π, π) after float32 rounding (aim just above 3π)", async () => {
      const room = await joinPlayer(server(), "Edge");
      const justAboveThreePi = Math.fround(3 * Math.PI); // 9.42477798461914, exact in float32
      sendInput(room, { aim: justAboveThreePi });
      await waitForAck(room, 1);

      const aim = server().serverRoom(room.roomId).state.players.get(room.sessionId)!.aim;
      expect(aim).toBeGreaterThanOrEqual(-Math.PI);
      expect(aim).toBeLessThan(Math.PI);
    });
  });

  describe("firing", () => {
    const server = useTestServer();

    it("holding fire spawns projectiles owned by the shooter", async () => {
      const room = await joinPlayer(server(), "Shooter");
      const me = { ...playerIn(room)! };
      const towardsCentre = Math.atan2(ARENA_MAP.height / 2 - me.y, ARENA_MAP.width / 2 - me.x);
      const seen = new Map<string, { x: number; y: number; owner: string }>();
      room.onStateChange((state) => {
        state.projectiles.forEach((shot, id) => {
          if (!seen.has(id)) seen.set(id, { x: shot.x, y: shot.y, owner: shot.owner });
        });
      });

      // Hold the trigger: one input per server tick until two shots have been seen.
      const roomState = server().serverRoom(room.roomId).world;
      sendInput(room, { moveX: 0, moveY: 0, aim: towardsCentre, fire: true });
      const deadline = roomState.tick + 3 * server().config.tickHz;
      while (seen.size < 2 && roomState.tick < deadline) {
        await waitForTicks(server(), room.roomId, 1);
        inputOf(room).send();
      }

      expect(seen.size, "projectiles seen while holding fire for three seconds").toBeGreaterThanOrEqual(2);
      for (const shot of seen.values()) {
        expect(shot.owner).toBe(room.sessionId);
        expect(shot.x).toBeGreaterThan(0);
        expect(shot.x).toBeLessThan(ARENA_MAP.width);
        expect(shot.y).toBeGreaterThan(0);
        expect(shot.y).toBeLessThan(ARENA_MAP.height);
        // Shots leave from the shooter, not from somewhere else on the map.
        expect(Math.hypot(shot.x - me.x, shot.y - me.y)).toBeLessThan(200);
      }
    });
  });

  describe("input frames", () => {
    it("are buffered as plain copies of the four fields, not as schema instances", () => {
      const decoded = new ArenaInput({ moveX: 0.5, moveY: -1, aim: 1.25, fire: true });
      const buffered = decoded.clone();
      expect(buffered).toStrictEqual({ moveX: 0.5, moveY: -1, aim: 1.25, fire: true });
      decoded.moveX = 0;
      expect(buffered.moveX).toBe(0.5);
    });
  });
});

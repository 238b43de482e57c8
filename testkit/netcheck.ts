/**
 * The netcode measurement behind `npm run netcheck` and test/net/netcheck.test.ts:
 * headless clients run Arena's real client net layer (ArenaSession: prediction,
 * adaptive interpolation, predicted shots) against a real server over loopback
 * WebSockets, through the network simulator, and report
 *   - own-player drift: the size of every reconciliation correction while driving;
 *   - starved frames: rendered frames whose render time passed the newest snapshot;
 *   - fairness: of the shots that hit the target on the shooter's screen, the share
 *     the server granted (with lag compensation on, and off for comparison);
 *   - the interpolation delay the client chose.
 * The clients carry the unreliable frames (positions, inputs) on a WebRTC
 * DataChannel (node-datachannel, the same client code as the browser's) or on
 * the WebSocket alone, and the simulator treats each channel as it behaves.
 */
import { matchMaker } from "@colyseus/core";
import { ArenaSession } from "../client/net/session.ts";
import type { DatagramChoice } from "../client/net/datagrams.ts";
import type { NetworkProfile } from "../client/net/netsim.ts";
import { PROJECTILE_LIFETIME_SECONDS, PROJECTILE_SPEED } from "../shared/constants.ts";
import { largeMap } from "../shared/largeMap.ts";
import { LARGE_ROOM_NAME, MAX_VIEW } from "../shared/largeMode.ts";
import { ARENA_MAP, positionGrid } from "../shared/map.ts";
import { snap } from "../shared/precision.ts";
import { ROOM_NAME, type GameMode, type PlayerInput } from "../shared/protocol.ts";
import { launch } from "../shared/weapon.ts";
import { createArenaServer } from "../server/app.ts";
import { loadConfig } from "../server/config.ts";
import { createLog } from "../server/log.ts";
import type { ArenaRoom } from "../server/rooms/ArenaRoom.ts";
import { judgeOnScreen, SampleTrack, type Shot } from "./screenJudge.ts";
import { NODE_DATAGRAMS } from "./datagrams.ts";

/** The channel the clients' unreliable frames take: a DataChannel each, or the WebSocket alone. */
export type NetcheckTransport = "datagrams" | "websocket";

export interface NetcheckOptions {
  profile: NetworkProfile;
  /** Seconds of measured play (after a short warm-up). */
  seconds: number;
  /** Lag compensation on the server (MAX_REWIND_MS 1000) or off (0). */
  lagCompensation: boolean;
  seed?: number;
  /** The server's patch rate (PATCH_HZ); the tick rate when not given. */
  patchHz?: number;
  /** The unreliable frames' channel (default: the WebSocket alone). */
  transport?: NetcheckTransport;
  /** The room type played in (default the arena; `"large"`: the large mode's room, on its map, with its interest management). */
  mode?: GameMode;
  /** Called about once a second with a line of progress. */
  onProgress?: (line: string) => void;
}

export interface NetcheckResult {
  lagCompensation: boolean;
  transport: NetcheckTransport;
  /** Share of the shooter's measured frames drawn while its state arrived on its DataChannel (0 on the WebSocket alone). */
  datagramShare: number;
  /** Largest and mean own-player correction while driving (world units; goal 0). */
  driftMax: number;
  driftMean: number;
  reconciles: number;
  /** Share of the shooter's rendered frames that had to extrapolate (goal < 2 %). */
  starvedShare: number;
  frames: number;
  /** Shots that hit on the shooter's screen, and how many of them the server granted. */
  onScreenHits: number;
  granted: number;
  /** granted / onScreenHits (goal ≥ 95 % with lag compensation). */
  fairness: number;
  /** Hits the server granted for shots that missed on screen. */
  grantedMisses: number;
  /** The shooter's interpolation delay at the end, and its mean over the run (ms). */
  interpolationDelayMs: number;
  meanInterpolationDelayMs: number;
  pingMs: number;
}

const FRAME_MS = 1000 / 60;
const WARM_UP_MS = 2500;
/**
 * A clear stretch of the map: the shooter stands at `shooter`, the target
 * strafes up and down the line x = `targetX` between `top` and `bottom`. On
 * the large map, in the lane along the first row of blocks, which no wall
 * ever reaches (`shared/largeMap.ts`).
 */
const SCENES = {
  arena: { shooter: { x: 950, y: 330 }, targetX: 1250, top: 285, bottom: 375 },
  large: { shooter: { x: 950, y: 250 }, targetX: 1250, top: 214, bottom: 286 },
} as const;
type Scene = (typeof SCENES)[GameMode];
/** The target's move intent: about 180 u/s, a leg every half second. */
const TARGET_PACE = 0.6;


export async function runNetcheck(options: NetcheckOptions): Promise<NetcheckResult> {
  // Player records in memory: a measurement writes nothing to the machine's database.
  const config = loadConfig({}, {
    port: 0, host: "127.0.0.1", logLevel: "warn", shutdownGraceSeconds: 0, matchSeconds: 3600, minPlayers: 0, largeMinPlayers: 0, database: { kind: "sqlite", path: ":memory:" },
    maxRewindMs: options.lagCompensation ? 1000 : 0, ...(options.patchHz ? { patchHz: options.patchHz } : {}),
  });
  const server = await createArenaServer(config, { seed: options.seed ?? 1, log: createLog("warn") });
  const port = await server.listen();
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    const datagrams: DatagramChoice = options.transport === "datagrams" ? NODE_DATAGRAMS : "websocket";
    const mode = options.mode ?? "arena";
    const join = (name: string) => ArenaSession.enter(endpoint, { kind: "quickPlay", name, large: mode === "large" ? MAX_VIEW : undefined }, options.profile, undefined, datagrams);
    const shooter = await join("Shooter");
    const target = await join("Target");
    if (datagrams !== "websocket") await channelsOpen([shooter, target]);
    const [listing] = await matchMaker.query({ name: mode === "large" ? LARGE_ROOM_NAME : ROOM_NAME });
    const room = matchMaker.getLocalRoomById(listing.roomId) as unknown as ArenaRoom;
    return await measure(options, room, shooter, target, SCENES[mode]);
  } finally {
    await server.close();
  }
}

async function measure(options: NetcheckOptions, room: ArenaRoom, shooter: ArenaSession, target: ArenaSession, scene: Scene): Promise<NetcheckResult> {
  const { shooter: SHOOTER, targetX: TARGET_X, top: TARGET_TOP, bottom: TARGET_BOTTOM }: { shooter: { x: number; y: number }; targetX: number; top: number; bottom: number } = scene;
  const map = options.mode === "large" ? largeMap(room.world.seed) : ARENA_MAP;
  const grid = positionGrid(map);
  const seats = room.world.players;
  const shooterSeat = seats.get(shooter.sessionId)!;
  const targetSeat = seats.get(target.sessionId)!;
  // Stage the scene: both in the clear, unprotected. Teleports are what the reconcilers' snap is for.
  // On the wire's grid, as the step would leave them: what the clients decode is then the server's state.
  Object.assign(shooterSeat, { x: snap(grid, SHOOTER.x), y: snap(grid, SHOOTER.y), vx: 0, vy: 0, shielded: false });
  Object.assign(targetSeat, { x: snap(grid, TARGET_X), y: snap(grid, TARGET_TOP), vx: 0, vy: 0, shielded: false });

  const shots: Shot[] = [];
  // Only the shooter fires, and only while measuring: its n-th shot is the server's
  // projectile number firstProjectileId + n. (Watching the state for them would miss
  // projectiles that came and went within one burst of patches after a stall.)
  let firstProjectileId = 0;
  const targetSamples = new SampleTrack({ x: TARGET_X, y: TARGET_TOP });
  shooter.onSnapshot((serverTime) => {
    const seen = shooter.state.players?.get(target.sessionId);
    if (seen) targetSamples.record(serverTime, seen.x, seen.y);
  });
  const grantedProjectiles = new Set<string>();
  shooter.onHit((hit) => {
    if (hit.victim === target.sessionId) grantedProjectiles.add(hit.projectile);
  });
  const corrections: number[] = [];
  let lastReconcile = target.prediction.reconcileCount;
  let delaySum = 0;
  let delaySamples = 0;
  let heading = 1;
  let firing = false;
  let datagramFrames = 0;
  const startedAt = performance.now();
  const endsAt = startedAt + WARM_UP_MS + options.seconds * 1000;
  let measuring = false;
  let framesAtStart = 0;
  let starvedAtStart = 0;
  let nextProgress = startedAt + 1000;
  let lastShown = { x: TARGET_X, y: TARGET_TOP };
  let lastFrameAt = startedAt;

  while (performance.now() < endsAt) {
    const now = performance.now();
    if (!measuring && now - startedAt >= WARM_UP_MS) {
      measuring = true;
      firstProjectileId = room.world.nextProjectileId;
      framesAtStart = shooter.prediction.interpolation.frames;
      starvedAtStart = shooter.prediction.interpolation.starvedFrames;
    }
    // The target drives up and down its line (steady driving for the drift figure) and never dies.
    targetSeat.hp = 100;
    targetSeat.shielded = false;
    const me = target.me;
    if (me) {
      const y = target.playerPosition(target.sessionId, me).y;
      if (y <= TARGET_TOP + 2) heading = 1;
      else if (y >= TARGET_BOTTOM - 2) heading = -1;
    }
    target.update(now, { moveX: 0, moveY: TARGET_PACE * heading, aim: Math.PI, fire: false });
    if (target.prediction.reconcileCount !== lastReconcile) {
      lastReconcile = target.prediction.reconcileCount;
      if (measuring) corrections.push(target.prediction.lastCorrection);
    }

    // The shooter leads the target as its screen shows it moving, and holds the trigger.
    const shown = shooter.state.players?.get(target.sessionId);
    const aimAt = shown ? { ...shooter.playerPosition(target.sessionId, shown) } : { x: TARGET_X, y: TARGET_TOP };
    const aim = leadAim(SHOOTER, aimAt, lastShown, now - lastFrameAt);
    lastShown = { ...aimAt };
    lastFrameAt = now;
    firing = measuring;
    const predictedBefore = shooter.prediction.projectiles.predicted;
    const controls: PlayerInput = { moveX: 0, moveY: 0, aim, fire: firing };
    shooter.update(now, controls);
    if (shooter.prediction.projectiles.predicted > predictedBefore) {
      const flight = launch(shooterSeat.x, shooterSeat.y, Math.fround(aim), map);
      if (flight) shots.push({ flight, firedAt: now, viewTime: shooter.viewTime, judgedMs: 0, index: shots.length, onScreenHit: false, decided: false });
    }
    judgeOnScreen(shots, targetSamples, now);
    if (measuring) {
      delaySum += shooter.prediction.interpolation.delayMs;
      delaySamples++;
      if (shooter.transport === "datagram") datagramFrames++;
    }
    if (now >= nextProgress) {
      nextProgress += 1000;
      options.onProgress?.(`${Math.max(0, Math.round((endsAt - now) / 1000))} s left  shots ${shots.length}  on-screen hits ${shots.filter((s) => s.onScreenHit).length}  granted ${grantedProjectiles.size}  delay ${shooter.prediction.interpolation.delayMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
  }
  // Let the last shots land and their verdicts arrive.
  const settleUntil = performance.now() + PROJECTILE_LIFETIME_SECONDS * 1000 + 1000;
  while (performance.now() < settleUntil) {
    shooter.update(performance.now(), { moveX: 0, moveY: 0, aim: 0, fire: false });
    target.update(performance.now(), { moveX: 0, moveY: 0, aim: 0, fire: false });
    judgeOnScreen(shots, targetSamples, performance.now());
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
  }

  const onScreen = shots.filter((shot) => shot.onScreenHit);
  const grantedIndex = (shot: Shot) => grantedProjectiles.has(String(firstProjectileId + shot.index));
  const granted = onScreen.filter(grantedIndex).length;
  const frames = shooter.prediction.interpolation.frames - framesAtStart;
  const result: NetcheckResult = {
    lagCompensation: options.lagCompensation,
    transport: options.transport ?? "websocket",
    datagramShare: delaySamples > 0 ? datagramFrames / delaySamples : 0,
    driftMax: corrections.length ? Math.max(...corrections) : 0,
    driftMean: corrections.length ? corrections.reduce((a, b) => a + b, 0) / corrections.length : 0,
    reconciles: corrections.length,
    starvedShare: frames > 0 ? (shooter.prediction.interpolation.starvedFrames - starvedAtStart) / frames : 0,
    frames,
    onScreenHits: onScreen.length,
    granted,
    fairness: onScreen.length > 0 ? granted / onScreen.length : Number.NaN,
    grantedMisses: shots.filter((shot) => !shot.onScreenHit && grantedIndex(shot)).length,
    interpolationDelayMs: shooter.prediction.interpolation.delayMs,
    meanInterpolationDelayMs: delaySamples > 0 ? delaySum / delaySamples : shooter.prediction.interpolation.delayMs,
    pingMs: shooter.pingMs,
  };
  await Promise.allSettled([shooter.leave(), target.leave()]);
  return result;
}

/** How long a DataChannel may take to open over a simulated network (the client gives one 3 s, then tries again). */
const CHANNEL_DEADLINE_MS = 20_000;

/** Waits until every session's state arrives on its DataChannel; throws at the deadline. */
async function channelsOpen(sessions: ArenaSession[]): Promise<void> {
  const deadline = performance.now() + CHANNEL_DEADLINE_MS;
  while (sessions.some((session) => session.transport !== "datagram")) {
    if (performance.now() > deadline) throw new Error(`netcheck: a DataChannel did not open within ${CHANNEL_DEADLINE_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The aim that meets a target moving as it moved on screen over the last frame, if it keeps going. */
function leadAim(from: { x: number; y: number }, shown: { x: number; y: number }, before: { x: number; y: number }, frameMs: number): number {
  const vx = frameMs > 0 ? ((shown.x - before.x) * 1000) / frameMs : 0;
  const vy = frameMs > 0 ? ((shown.y - before.y) * 1000) / frameMs : 0;
  let x = shown.x;
  let y = shown.y;
  for (let i = 0; i < 3; i++) {
    const flight = Math.hypot(x - from.x, y - from.y) / PROJECTILE_SPEED;
    x = shown.x + vx * flight;
    y = shown.y + vy * flight;
  }
  return Math.atan2(y - from.y, x - from.x);
}

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
 */
import { matchMaker } from "@colyseus/core";
import { ArenaSession } from "../../client/net/session.ts";
import type { NetworkProfile } from "../../client/net/netsim.ts";
import { PLAYER_RADIUS, PROJECTILE_LIFETIME_SECONDS, PROJECTILE_RADIUS } from "../../shared/constants.ts";
import { segmentCircleTime } from "../../shared/geometry.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import { ROOM_NAME, type PlayerInput } from "../../shared/protocol.ts";
import { flyProjectile, launch, type Flight } from "../../shared/weapon.ts";
import { createArenaServer } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { createLog } from "../../server/log.ts";
import type { ArenaRoom } from "../../server/rooms/ArenaRoom.ts";

export interface NetcheckOptions {
  profile: NetworkProfile;
  /** Seconds of measured play (after a short warm-up). */
  seconds: number;
  /** Lag compensation on the server (MAX_REWIND_MS 500) or off (0). */
  lagCompensation: boolean;
  seed?: number;
  /** Called about once a second with a line of progress. */
  onProgress?: (line: string) => void;
}

export interface NetcheckResult {
  lagCompensation: boolean;
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
// A clear stretch of the map: the shooter stands at SHOOTER, the target strafes
// up and down the line x = TARGET_X between TARGET_TOP and TARGET_BOTTOM.
const SHOOTER = { x: 950, y: 330 };
const TARGET_X = 1250;
const TARGET_TOP = 285;
const TARGET_BOTTOM = 375;

interface Shot {
  flight: Flight;
  firedAt: number;
  /** When the on-screen flight was last advanced. */
  flownTo: number;
  /** The shot's number among the shooter's, 0-based; matches the server's order of its projectiles. */
  index: number;
  onScreenHit: boolean;
  decided: boolean;
}

export async function runNetcheck(options: NetcheckOptions): Promise<NetcheckResult> {
  const config = loadConfig({}, {
    port: 0, host: "127.0.0.1", logLevel: "warn", shutdownGraceSeconds: 0, matchSeconds: 3600,
    maxRewindMs: options.lagCompensation ? 500 : 0,
  });
  const server = createArenaServer(config, { seed: options.seed ?? 1, log: createLog("warn") });
  const port = await server.listen();
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    const shooter = await ArenaSession.join(endpoint, "Shooter", options.profile);
    const target = await ArenaSession.join(endpoint, "Target", options.profile);
    const [listing] = await matchMaker.query({ name: ROOM_NAME });
    const room = matchMaker.getLocalRoomById(listing.roomId) as unknown as ArenaRoom;
    return await measure(options, room, shooter, target);
  } finally {
    await server.close();
  }
}

async function measure(options: NetcheckOptions, room: ArenaRoom, shooter: ArenaSession, target: ArenaSession): Promise<NetcheckResult> {
  const seats = room.state.players;
  const shooterSeat = seats.get(shooter.sessionId)!;
  const targetSeat = seats.get(target.sessionId)!;
  // Stage the scene: both in the clear, unprotected. Teleports are what the reconcilers' snap is for.
  Object.assign(shooterSeat, { x: SHOOTER.x, y: SHOOTER.y, vx: 0, vy: 0, shielded: false });
  Object.assign(targetSeat, { x: TARGET_X, y: TARGET_TOP, vx: 0, vy: 0, shielded: false });

  const shots: Shot[] = [];
  const ownProjectiles: string[] = [];
  const grantedProjectiles = new Set<string>();
  shooter.onHit((hit) => {
    if (hit.victim === target.sessionId) grantedProjectiles.add(hit.projectile);
  });
  const corrections: number[] = [];
  let lastReconcile = target.reconcileCount;
  let delaySum = 0;
  let delaySamples = 0;
  let heading = 1;
  let firing = false;
  const startedAt = performance.now();
  const endsAt = startedAt + WARM_UP_MS + options.seconds * 1000;
  let measuring = false;
  let framesAtStart = 0;
  let starvedAtStart = 0;
  let nextProgress = startedAt + 1000;

  while (performance.now() < endsAt) {
    const now = performance.now();
    if (!measuring && now - startedAt >= WARM_UP_MS) {
      measuring = true;
      framesAtStart = shooter.interpolation.frames;
      starvedAtStart = shooter.interpolation.starvedFrames;
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
    target.update(now, { moveX: 0, moveY: heading, aim: Math.PI, fire: false });
    if (target.reconcileCount !== lastReconcile) {
      lastReconcile = target.reconcileCount;
      if (measuring) corrections.push(target.lastCorrection);
    }

    // The shooter aims at the target where its screen shows it and holds the trigger.
    const shown = target.sessionId && shooter.state.players?.get(target.sessionId);
    const aimAt = shown ? shooter.playerPosition(target.sessionId, shown) : { x: TARGET_X, y: TARGET_TOP };
    const aim = Math.atan2(aimAt.y - SHOOTER.y, aimAt.x - SHOOTER.x);
    firing = measuring;
    const predictedBefore = shooter.projectiles.predicted;
    const controls: PlayerInput = { moveX: 0, moveY: 0, aim, fire: firing };
    shooter.update(now, controls);
    if (shooter.projectiles.predicted > predictedBefore) {
      const flight = launch(SHOOTER.x, SHOOTER.y, Math.fround(aim), ARENA_MAP);
      if (flight) shots.push({ flight, firedAt: now, flownTo: now, index: shots.length, onScreenHit: false, decided: false });
    }
    shooter.state.projectiles?.forEach((projectile, id) => {
      if (projectile.owner === shooter.sessionId && !ownProjectiles.includes(id)) ownProjectiles.push(id);
    });
    judgeOnScreen(shots, aimAt, now);
    if (measuring) {
      delaySum += shooter.interpolation.delayMs;
      delaySamples++;
    }
    if (now >= nextProgress) {
      nextProgress += 1000;
      options.onProgress?.(`${Math.max(0, Math.round((endsAt - now) / 1000))} s left  shots ${shots.length}  on-screen hits ${shots.filter((s) => s.onScreenHit).length}  granted ${grantedProjectiles.size}  delay ${shooter.interpolation.delayMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
  }
  // Let the last shots land and their verdicts arrive.
  const settleUntil = performance.now() + PROJECTILE_LIFETIME_SECONDS * 1000 + 1000;
  while (performance.now() < settleUntil) {
    shooter.update(performance.now(), { moveX: 0, moveY: 0, aim: 0, fire: false });
    target.update(performance.now(), { moveX: 0, moveY: 0, aim: 0, fire: false });
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
  }

  const onScreen = shots.filter((shot) => shot.onScreenHit);
  const grantedIndex = (shot: Shot) => {
    const id = ownProjectiles[shot.index];
    return id !== undefined && grantedProjectiles.has(id);
  };
  const granted = onScreen.filter(grantedIndex).length;
  const frames = shooter.interpolation.frames - framesAtStart;
  const result: NetcheckResult = {
    lagCompensation: options.lagCompensation,
    driftMax: corrections.length ? Math.max(...corrections) : 0,
    driftMean: corrections.length ? corrections.reduce((a, b) => a + b, 0) / corrections.length : 0,
    reconciles: corrections.length,
    starvedShare: frames > 0 ? (shooter.interpolation.starvedFrames - starvedAtStart) / frames : 0,
    frames,
    onScreenHits: onScreen.length,
    granted,
    fairness: onScreen.length > 0 ? granted / onScreen.length : Number.NaN,
    grantedMisses: shots.filter((shot) => !shot.onScreenHit && grantedIndex(shot)).length,
    interpolationDelayMs: shooter.interpolation.delayMs,
    meanInterpolationDelayMs: delaySamples > 0 ? delaySum / delaySamples : shooter.interpolation.delayMs,
    pingMs: shooter.pingMs,
  };
  await Promise.allSettled([shooter.leave(), target.leave()]);
  return result;
}

/**
 * Flies each undecided shot to `now` along the path the shooter's screen shows
 * and decides whether it met the target where the screen shows the target.
 */
function judgeOnScreen(shots: Shot[], targetShown: { x: number; y: number }, now: number): void {
  const reach = PLAYER_RADIUS + PROJECTILE_RADIUS;
  for (const shot of shots) {
    if (shot.decided) continue;
    const age = (now - shot.firedAt) / 1000;
    if (age > PROJECTILE_LIFETIME_SECONDS) {
      shot.decided = true;
      continue;
    }
    const from = { x: shot.flight.x, y: shot.flight.y };
    const flying = flyProjectile(shot.flight, (now - shot.flownTo) / 1000, ARENA_MAP);
    shot.flownTo = now;
    const t = segmentCircleTime(from.x, from.y, shot.flight.x - from.x, shot.flight.y - from.y, targetShown.x, targetShown.y, reach);
    if (t !== Infinity) {
      shot.onScreenHit = true;
      shot.decided = true;
    } else if (!flying) {
      shot.decided = true;
    }
  }
}

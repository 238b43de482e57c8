import type { Room } from "@colyseus/sdk";
import { guestClient } from "../../client/net/auth.ts";
import { openRoom } from "../../client/net/joining.ts";
import { LobbyWatcher } from "../../client/net/lobby.ts";
import { PROJECTILE_LIFETIME_SECONDS, PROJECTILE_RADIUS, PROJECTILE_SPEED } from "../../shared/constants.ts";
import { segmentWallTime } from "../../shared/geometry.ts";
import { ARENA_MAP } from "../../shared/map.ts";
import type { ArenaView, PlayerInput } from "../../shared/protocol.ts";
import { joinArena } from "../../testkit/netBots.ts";

/**
 * Players over the network that stand still and hold the trigger, sweeping
 * their aim across the longest clear lines from where they stand: each keeps
 * close to as many projectiles in flight as the weapon allows (one per
 * cooldown, for a projectile's lifetime, less what walls and players stop).
 * For loading the client with shots when the server's bots, who fire only at
 * a target, do not fire enough.
 */
export class Gunners {
  private readonly rooms: Room[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Joins `count` gunners by quick play (the fullest room with a seat), one after another. */
  static async join(url: string, count: number, tickHz: number): Promise<Gunners> {
    const gunners = new Gunners();
    for (let i = 0; i < count; i++) {
      const room = await joinArena(url, `Gunner ${i + 1}`);
      room.onMessage("*", () => {});
      gunners.rooms.push(room);
    }
    let tick = 0;
    gunners.timer = setInterval(() => {
      tick++;
      for (const room of gunners.rooms) {
        const self = (room.state as ArenaView | undefined)?.players?.get(room.sessionId);
        const handle = room.input<PlayerInput>();
        const others: Array<{ x: number; y: number }> = [];
        (room.state as ArenaView | undefined)?.players?.forEach((player) => {
          if (player !== self && player.alive) others.push(player);
        });
        const lanes = self ? clearLanes(self.x, self.y, others) : [0];
        Object.assign(handle.data, { moveX: 0, moveY: 0, fire: true, aim: lanes[tick % lanes.length] });
        handle.send();
      }
    }, 1000 / tickHz);
    return gunners;
  }

  async leave(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.rooms.map((room) => room.leave(true).catch(() => undefined)));
  }
}

const RANGE = PROJECTILE_SPEED * PROJECTILE_LIFETIME_SECONDS;
const DIRECTIONS = 72;

/** How far a player may stand from a lane and still be missed (u): a player's radius and a projectile's, with room to move. */
const MISS_BY = 40;

/**
 * The few directions (radians) in which a shot from (x, y) flies furthest
 * before a wall or the world's edge stops it, passing no player in `others`
 * where there are such lanes (a hit ends the shot early, and kills thin the shooters).
 */
function clearLanes(x: number, y: number, others: ReadonlyArray<{ x: number; y: number }>): number[] {
  const lanes: Array<{ aim: number; reach: number }> = [];
  for (let i = 0; i < DIRECTIONS; i++) {
    const aim = (i / DIRECTIONS) * 2 * Math.PI;
    const dx = Math.cos(aim) * RANGE;
    const dy = Math.sin(aim) * RANGE;
    let reach = 1;
    for (const wall of ARENA_MAP.walls) reach = Math.min(reach, segmentWallTime(x, y, dx, dy, PROJECTILE_RADIUS, wall));
    const edgeX = dx > 0 ? (ARENA_MAP.width - x) / dx : dx < 0 ? -x / dx : Infinity;
    const edgeY = dy > 0 ? (ARENA_MAP.height - y) / dy : dy < 0 ? -y / dy : Infinity;
    reach = Math.min(reach, edgeX, edgeY);
    const crosses = others.some((other) => distanceToSegment(other.x - x, other.y - y, dx * reach, dy * reach) < MISS_BY);
    lanes.push({ aim, reach: crosses ? reach / 4 : reach });
  }
  return lanes.sort((a, b) => b.reach - a.reach).slice(0, 4).map((lane) => lane.aim);
}

/** Distance from point (px, py) to the segment from the origin to (dx, dy). */
function distanceToSegment(px: number, py: number, dx: number, dy: number): number {
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / length));
  return Math.hypot(px - t * dx, py - t * dy);
}

/**
 * A spectator of the one public room on `url`: it takes no player seat and
 * receives the whole state, so it can count the players and the projectiles in flight.
 */
export async function watchTheRoom(url: string, timeoutMs = 10_000): Promise<Room<any, ArenaView>> {
  const lobby = await new Promise<LobbyWatcher>((resolve, reject) => {
    let opened: LobbyWatcher | undefined;
    const timer = setTimeout(() => reject(new Error("no public room was listed in time")), timeoutMs);
    const check = () => {
      if (opened && opened.rooms.size > 0) {
        clearTimeout(timer);
        resolve(opened);
      }
    };
    LobbyWatcher.open(url, check).then((watcher) => {
      opened = watcher;
      check();
    }, reject);
  });
  const [listed] = lobby.sorted();
  lobby.close();
  const client = await guestClient(url, "Observer");
  return openRoom(client, url, { kind: "watch", roomId: listed!.roomId, name: "Observer" }) as Promise<Room<any, ArenaView>>;
}

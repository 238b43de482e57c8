/**
 * Where moving rooms wait in Redis, and the lease that keeps a room in one
 * place. A room's lease names who may run it next, and moves only by
 * compare-and-set: the old home hands it to one target (`to:<id>`), the target
 * claims it (`restoring:<id>`) and goes live (`live:<id>`) only if the lease is
 * still its own; the old home, giving up on a silent target, takes it back
 * (`revoked:<id>`) only if the target has not gone live. One of the two wins,
 * so a room never runs in two processes, and the loser knows it.
 */
import type { Redis } from "ioredis";
import { isRoomSnapshot, type RoomSnapshot } from "../rooms/roomMove.ts";

/** The processes that can take rooms, by process id → the address their clients reach them at. */
export const HOMES_KEY = "arena:homes";
const SNAPSHOT_PREFIX = "arena:room-snapshot:";
const LEASE_PREFIX = "arena:room-lease:";
const RESTART_PREFIX = "arena:restart:";

/** How long a lease (and a snapshot) outlives a process that stops mid-move (ms). */
export const LEASE_MS = 30_000;

const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 'OK'
end
return current or ''`;

/** The lease holders, as written in the lease. */
export const lease = {
  to: (processId: string) => `to:${processId}`,
  restoring: (processId: string) => `restoring:${processId}`,
  live: (processId: string) => `live:${processId}`,
  revoked: (processId: string) => `revoked:${processId}`,
  /** For whichever process starts next at `address` (an in-place restart). */
  restart: (address: string) => `restart:${address}`,
};

/** Room snapshots, leases and the in-place restart lists, on one Redis connection. */
export class MoveStore {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  /** Writes `snapshot` and gives its lease to `holder`, both for `ttlMs`. */
  async put(snapshot: RoomSnapshot, holder: string, ttlMs: number): Promise<void> {
    await this.redis.multi()
      .set(SNAPSHOT_PREFIX + snapshot.roomId, JSON.stringify(snapshot), "PX", ttlMs)
      .set(LEASE_PREFIX + snapshot.roomId, holder, "PX", ttlMs)
      .exec();
  }

  /** Gives room `roomId`'s lease to `holder` for `ttlMs` (the old home, handing the room to a target it sends it to). */
  async grantLease(roomId: string, holder: string, ttlMs = LEASE_MS): Promise<void> {
    await this.redis.set(LEASE_PREFIX + roomId, holder, "PX", ttlMs);
  }

  async snapshot(roomId: string): Promise<RoomSnapshot | undefined> {
    const text = await this.redis.get(SNAPSHOT_PREFIX + roomId);
    if (text === null) return undefined;
    const parsed: unknown = JSON.parse(text);
    return isRoomSnapshot(parsed) ? parsed : undefined;
  }

  /**
   * Moves room `roomId`'s lease from `from` to `to` if `from` still holds it.
   * Resolves with true, or with who holds it instead ("" for nobody).
   */
  async swapLease(roomId: string, from: string, to: string, ttlMs = LEASE_MS): Promise<true | string> {
    const answer = await this.redis.eval(COMPARE_AND_SET, 1, LEASE_PREFIX + roomId, from, to, String(ttlMs));
    return answer === "OK" ? true : String(answer);
  }

  /** Done with a move: the snapshot goes (the lease expires by itself). */
  async forget(roomId: string): Promise<void> {
    await this.redis.del(SNAPSHOT_PREFIX + roomId);
  }

  /** Lists `roomId` for the next process to start at `address` (an in-place restart). */
  async awaitRestart(address: string, roomId: string, ttlMs: number): Promise<void> {
    await this.redis.multi().sadd(RESTART_PREFIX + address, roomId).pexpire(RESTART_PREFIX + address, ttlMs).exec();
  }

  /** The rooms written for the next process at `address`, taken off the list. */
  async takeRestarts(address: string): Promise<string[]> {
    const key = RESTART_PREFIX + address;
    const [[, members]] = (await this.redis.multi().smembers(key).del(key).exec()) as [[unknown, string[]], unknown];
    return members ?? [];
  }

  /** Announces this process as a home for moved rooms, reached at `address`. */
  async announce(processId: string, address: string): Promise<void> {
    await this.redis.hset(HOMES_KEY, processId, address);
  }

  async withdraw(processId: string): Promise<void> {
    await this.redis.hdel(HOMES_KEY, processId);
  }

  /** Every process announced, by process id → its address. */
  async homes(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(HOMES_KEY)));
  }
}

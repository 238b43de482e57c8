/**
 * Colyseus' Redis presence and driver with every write guarded. Colyseus
 * fires many registry writes without awaiting them (a room's disposal, a
 * client count, the lobby's notices, the process stats), and awaits others in
 * the middle of a room's life (a leave, a dispose): a rejected write there is
 * an unhandled rejection, or a room that never finishes disposing. Guarded, a
 * failed write is reported to the registry monitor and resolves; the room's
 * own listing stays right in memory, and `heal.ts` writes it again when Redis
 * returns. Reads still fail (after the report): nothing can be matched without them.
 */
import type { EventEmitter } from "node:events";
import type { IRoomCache, SortOptions } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import type { Redis } from "ioredis";
import type { Log } from "../log.ts";
import { forgetFailedRoomReads } from "../colyseusSeams.ts";

/** Where guarded calls report failures: the registry monitor. */
export interface RegistryFaults {
  /** A registry call failed; `operation` names it for the debug log. */
  failed(operation: string, error: unknown): void;
}

/** The presence: pub/sub, seat reservations between processes, the process stats, locks. */
export class GuardedRedisPresence extends RedisPresence {
  private readonly faults: RegistryFaults;
  /** Channels left while Redis was away, to unsubscribe from once it is back (ioredis would resubscribe them). */
  private readonly unsubscribeLater = new Set<string>();
  private readonly guardedCallbacks = new WeakMap<(...args: any[]) => void, (...args: any[]) => void>();

  constructor(connection: Redis, faults: RegistryFaults, log: Log) {
    super(connection);
    this.faults = faults;
    // RedisPresence warns on every connection error, i.e. on every reconnection attempt of an
    // outage; the monitor says it once. These go to the debug log (a listener must remain, or
    // ioredis reports the errors as unhandled).
    for (const [role, redis] of [["presence", this.pub], ["subscriber", this.sub]] as const) {
      redis.removeAllListeners("error");
      redis.on("error", (error: Error) => log.debug("registry connection error", { role, error: error.message }));
    }
    // RedisPresence opens its subscriber without ioredis' ready check. Without one, ioredis takes a
    // connection for ready once its CLIENT SETNAME is answered or has failed, even when the socket
    // closed meanwhile (Redis gone again just as it came back): "ready" on a closed socket, never
    // reconnected, every SUBSCRIBE refused, the process deaf to its peers for good. With the check
    // (an INFO), a connection lost during its handshake is dropped and tried again. The option is
    // read on every connection, the first one included: it has not connected yet.
    this.sub.options.enableReadyCheck = true;
  }

  /** The connection that answers commands (the subscriber one only listens). */
  get commands(): Redis { return this.pub as Redis; }
  /** The subscriber connection. */
  get listener(): Redis { return this.sub as Redis; }

  /**
   * RedisPresence subscribes again to every channel each time its subscriber
   * connection is ready, and warns when that fails; it fails when the
   * connection is lost again at once, which is the monitor's to report (once),
   * and heal subscribes again when Redis is back.
   */
  protected override resubscribeAll(): void {
    this.restoreSubscriptions().catch((error: unknown) => this.faults.failed("resubscribe", error));
  }

  /**
   * Subscribes again to every channel something listens on, and leaves those
   * left during an outage; rejects if Redis does not answer (heal retries).
   */
  async restoreSubscriptions(): Promise<void> {
    const topics = this.subscriptions.eventNames().filter((topic): topic is string => typeof topic === "string");
    if (topics.length > 0) await this.sub.subscribe(...topics);
    for (const topic of [...this.unsubscribeLater]) {
      if (this.subscriptions.listenerCount(topic) === 0) await this.sub.unsubscribe(topic);
      this.unsubscribeLater.delete(topic);
    }
  }

  /** Hands `message` to this process's listeners on `topic`, as if it had come through Redis (nothing is published). */
  deliverLocally(topic: string, message: unknown): void {
    (this.subscriptions as EventEmitter).emit(topic, message);
  }

  /**
   * `callback` with a guard on the promise it may return: Colyseus' lobby
   * answers a message with a registry query nobody awaits, which fails while
   * this process's connections are still coming back. One wrapper per
   * callback, so that unsubscribing with the callback finds it.
   */
  private guarded(callback: (...args: any[]) => void): (...args: any[]) => void {
    let wrapped = this.guardedCallbacks.get(callback);
    if (!wrapped) {
      wrapped = (...args: any[]) => {
        const result: unknown = callback(...args);
        if (result instanceof Promise) result.catch((error: unknown) => this.faults.failed("subscriber", error));
      };
      this.guardedCallbacks.set(callback, wrapped);
    }
    return wrapped;
  }

  private async guard<T>(operation: string, call: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.faults.failed(operation, error);
      return fallback;
    }
  }

  private async read<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.faults.failed(operation, error);
      throw error;
    }
  }

  // A channel whose SUBSCRIBE failed stays in `subscriptions`; restoreSubscriptions() sends it again.
  override subscribe(topic: string, callback: (...args: any[]) => void): Promise<this> {
    return this.guard("subscribe", () => super.subscribe(topic, this.guarded(callback)), this);
  }
  override async unsubscribe(topic: string, callback?: (...args: any[]) => void): Promise<this> {
    try {
      return await super.unsubscribe(topic, callback && this.guarded(callback));
    } catch (error) {
      this.faults.failed("unsubscribe", error);
      this.unsubscribeLater.add(topic);
      return this;
    }
  }
  override publish(topic: string, data: any): Promise<void> {
    return this.guard("publish", () => super.publish(topic, data), undefined);
  }
  override hset(key: string, field: string, value: string): Promise<boolean> {
    return this.guard("hset", () => super.hset(key, field, value), false);
  }
  override hdel(key: string, field: string): Promise<boolean> {
    return this.guard("hdel", () => super.hdel(key, field), false);
  }
  override hincrby(key: string, field: string, value: number): Promise<number> {
    return this.guard("hincrby", () => super.hincrby(key, field, value), value);
  }
  // Colyseus' joinOrCreate lock counts concurrent creators with this; a failed count reads as "first one".
  override hincrbyex(key: string, field: string, value: number, expireInSeconds: number): Promise<number> {
    return this.guard("hincrbyex", () => super.hincrbyex(key, field, value, expireInSeconds), value);
  }
  override srem(key: string, value: any): Promise<number> {
    return this.guard("srem", () => super.srem(key, value), 0);
  }
  override incr(key: string): Promise<number> {
    return this.guard("incr", () => super.incr(key), 0);
  }
  override decr(key: string): Promise<number> {
    return this.guard("decr", () => super.decr(key), 0);
  }
  override channels(pattern?: string): Promise<string[]> {
    return this.read("channels", () => super.channels(pattern));
  }
  override exists(key: string): Promise<boolean> {
    return this.read("exists", () => super.exists(key));
  }
  override hget(key: string, field: string): Promise<string> {
    return this.read("hget", () => super.hget(key, field));
  }
  override hgetall(key: string): Promise<Record<string, string>> {
    return this.read("hgetall", () => super.hgetall(key));
  }
}

/** The driver: the room registry (`roomcaches`), which matchmaking and the lobby read. */
export class GuardedRedisDriver extends RedisDriver {
  private readonly faults: RegistryFaults;
  /** Rooms whose removal failed while Redis was away: the lobbies must hear of them when it returns. */
  readonly removedWhileAway = new Set<string>();
  /** Listings of rooms moved to another process, and their ids: the entry is the new home's, so their writes go nowhere. */
  private readonly detached = new WeakSet<IRoomCache>();
  private readonly detachedIds = new Set<string>();

  constructor(connection: Redis, faults: RegistryFaults) {
    super(connection);
    this.faults = faults;
  }

  private async read<T>(operation: string, call: () => PromiseLike<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      forgetFailedRoomReads(this);
      this.faults.failed(operation, error);
      throw error;
    }
  }

  /**
   * Removes a room's entry and ignores every later write of this process for
   * it (its listing's updates, its disposal's removal): the room moves to
   * another process, which registers it under the same id.
   */
  async detach(listing: IRoomCache): Promise<void> {
    this.detached.add(listing);
    this.detachedIds.add(listing.roomId);
    await super.remove(listing.roomId);
  }

  /** Writes `listing` as it is now, failing if Redis does not take it (for heal). */
  persistOrFail(listing: IRoomCache): Promise<boolean> {
    return super.persist(listing);
  }

  /** Removes a room's entry, failing if Redis does not take it (for heal). */
  removeOrFail(roomId: string): Promise<boolean> {
    return super.remove(roomId);
  }

  override async update(listing: IRoomCache, operations: Partial<{ $set: Partial<IRoomCache>; $inc: Partial<IRoomCache> }>): Promise<boolean> {
    if (this.detached.has(listing)) return true;
    try {
      return await super.update(listing, operations);
    } catch (error) {
      // The in-memory listing already took the change; heal writes it.
      this.faults.failed("driver.update", error);
      return false;
    }
  }
  override async persist(listing: IRoomCache, create?: boolean): Promise<boolean> {
    if (this.detached.has(listing)) return true;
    try {
      return await super.persist(listing, create);
    } catch (error) {
      this.faults.failed("driver.persist", error);
      return false;
    }
  }
  override async remove(roomId: string): Promise<boolean> {
    // Colyseus removes a disposed room's entry more than once: every time is skipped.
    if (this.detachedIds.has(roomId)) return true;
    try {
      return await super.remove(roomId);
    } catch (error) {
      this.faults.failed("driver.remove", error);
      this.removedWhileAway.add(roomId);
      return false;
    }
  }
  override async cleanup(processId: string): Promise<void> {
    try {
      await super.cleanup(processId);
    } catch (error) {
      this.faults.failed("driver.cleanup", error);
    }
  }
  override has(roomId: string): Promise<boolean> {
    return this.read("driver.has", () => super.has(roomId));
  }
  override query(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache[]> {
    return this.read("driver.query", () => super.query(conditions, sortOptions));
  }
  override findByIds(roomIds: string[]): Promise<Map<string, IRoomCache>> {
    return this.read("driver.findByIds", () => super.findByIds(roomIds));
  }
  override findOne(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache> {
    return this.read("driver.findOne", () => super.findOne(conditions, sortOptions) as PromiseLike<IRoomCache>);
  }
}

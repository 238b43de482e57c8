/**
 * The guarded presence and driver on a Redis of the test's own: while Redis
 * is away their writes resolve and are reported, their reads fail and are
 * reported, and a subscriber whose handler fails leaves nothing unhandled.
 */
import { initializeRoomCache } from "@colyseus/core";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLog } from "../../server/log.ts";
import { GuardedRedisDriver, GuardedRedisPresence, type RegistryFaults } from "../../server/registry/guarded.ts";
import { REGISTRY_CLIENT_OPTIONS, whenReady } from "../../server/registry/redisClients.ts";
import { ownRedisAvailable, startOwnRedis, type OwnRedis } from "../helpers/ownRedis.ts";
import { waitFor } from "../helpers/server.ts";

describe.skipIf(!ownRedisAvailable)("guarded registry calls", () => {
  let redis: OwnRedis;
  let presence: GuardedRedisPresence;
  let driver: GuardedRedisDriver;
  const failures: string[] = [];
  const faults: RegistryFaults = { failed: (operation) => failures.push(operation) };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    redis = await startOwnRedis();
    const connection = (role: string) => {
      const opened = new Redis(redis.url, { ...REGISTRY_CLIENT_OPTIONS, connectionName: `guards-${role}` });
      opened.on("error", () => {});
      return opened;
    };
    presence = new GuardedRedisPresence(connection("presence"), faults, createLog("silent"));
    driver = new GuardedRedisDriver(connection("driver"), faults);
    await whenReady([presence.commands, presence.listener, connection("probe")], createLog("silent"));
    process.on("unhandledRejection", onUnhandled);
  }, 30_000);
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    presence?.shutdown();
    await driver?.shutdown().catch(() => undefined);
    await redis?.close();
  }, 30_000);
  afterEach(async () => {
    if (redis.pid === undefined) await redis.start();
    await waitFor(() => presence.commands.status === "ready" && presence.listener.status === "ready", { timeoutMs: 5000, message: "the connections back" });
    failures.length = 0;
  });

  it("a subscriber whose handler fails is reported, nothing is left unhandled, and it unsubscribes by its own function", async () => {
    const handler = async () => { throw new Error("the handler's own registry read failed"); };
    await presence.subscribe("guards-topic", handler);
    await presence.publish("guards-topic", "hello");
    await waitFor(() => failures.includes("subscriber"), { message: "the failure reported" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    await presence.unsubscribe("guards-topic", handler);
    expect(await presence.commands.pubsub("NUMSUB", "guards-topic")).toEqual(["guards-topic", 0]);
  });

  it("while Redis is away, writes resolve and are reported, reads fail and are reported", async () => {
    await redis.kill();
    await waitFor(() => presence.commands.status !== "ready", { message: "the connection to notice" });
    expect(await presence.hset("roomcount", "me", "1,1")).toBe(false);
    expect(await presence.hincrbyex("ch:arena", "key", 1, 1)).toBe(1);
    await presence.publish("$lobby", "room,1");
    await presence.subscribe("guards-later", () => {});
    await presence.unsubscribe("guards-later");
    await expect(presence.hgetall("roomcount")).rejects.toThrow();
    const listing = initializeRoomCache({ roomId: "guarded-room", name: "arena", processId: "me" });
    expect(await driver.persist(listing)).toBe(false);
    expect(await driver.update(listing, { $inc: { clients: 1 } })).toBe(false);
    expect(listing.clients).toBe(1);
    expect(await driver.remove("guarded-room")).toBe(false);
    expect(driver.removedWhileAway.has("guarded-room")).toBe(true);
    await expect(driver.query({})).rejects.toThrow();
    expect(failures).toEqual(expect.arrayContaining([
      "hset", "hincrbyex", "publish", "subscribe", "unsubscribe", "hgetall", "driver.persist", "driver.update", "driver.remove", "driver.query",
    ]));
    expect(unhandled).toEqual([]);
  });

  it("once Redis is back, the channels left and kept are put right", async () => {
    await presence.subscribe("guards-kept", () => {});
    await redis.kill();
    await waitFor(() => presence.listener.status !== "ready", { message: "the subscriber to notice" });
    await presence.unsubscribe("guards-kept");
    await redis.start();
    await waitFor(() => presence.commands.status === "ready" && presence.listener.status === "ready", { timeoutMs: 5000, message: "the connections back" });
    await presence.subscribe("guards-new", () => {});
    await presence.restoreSubscriptions();
    const channels = await presence.commands.pubsub("CHANNELS", "guards-*") as string[];
    expect(channels).toContain("guards-new");
    expect(channels).not.toContain("guards-kept");
  });
});

/**
 * The guarded presence and driver on a Redis of the test's own: while Redis
 * is away their writes resolve and are reported, their reads fail and are
 * reported, and a subscriber whose handler fails leaves nothing unhandled.
 * Connections cut at the worst moments (through a relay that drops them as
 * they send a given command) come back, and the registry monitor takes no
 * failure before the process has registered itself for an outage.
 */
import { initializeRoomCache } from "@colyseus/core";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLog } from "../../server/log.ts";
import { GuardedRedisDriver, GuardedRedisPresence, type RegistryFaults } from "../../server/registry/guarded.ts";
import { RegistryMonitor } from "../../server/registry/monitor.ts";
import { REGISTRY_CLIENT_OPTIONS, whenReady } from "../../server/registry/redisClients.ts";
import { ownRedisAvailable, startOwnRedis, type OwnRedis } from "../helpers/ownRedis.ts";
import { waitFor } from "../helpers/server.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcpProxy.ts";

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

  describe("connections cut at the worst moment", () => {
    let proxy: TcpProxy | undefined;
    let cutPresence: GuardedRedisPresence | undefined;
    afterEach(async () => {
      // Not shutdown(): its QUITs, unawaited, can lose their answer in the relay's teardown.
      cutPresence?.listener.disconnect();
      cutPresence?.commands.disconnect();
      cutPresence = undefined;
      await proxy?.close();
      proxy = undefined;
    });

    /** A guarded presence whose connections go through a relay that drops each one sending `command` while `dropping()`. */
    async function presenceThroughRelay(command: RegExp, dropping: () => boolean, drops: string[]): Promise<GuardedRedisPresence> {
      proxy = await startTcpProxy(redis.port, "127.0.0.1", {
        dropWhen: (chunk) => dropping() && command.test(chunk.toString()) && drops.push(chunk.toString()) > 0,
      });
      const connection = new Redis(`redis://127.0.0.1:${proxy.port}`, { ...REGISTRY_CLIENT_OPTIONS, connectionName: "guards-relayed" });
      connection.on("error", () => {});
      cutPresence = new GuardedRedisPresence(connection, faults, createLog("silent"));
      return cutPresence;
    }

    it("a subscriber connection dropped during its handshake connects again (regression: it stayed \"ready\" on a closed socket, for good)", async () => {
      // ioredis readies a connection without a ready check once its CLIENT SETNAME is answered or failed,
      // even when the connection closed meanwhile; RedisPresence's subscriber had no ready check.
      let dropping = true;
      const drops: string[] = [];
      const relayed = await presenceThroughRelay(/client/i, () => dropping, drops);
      await waitFor(() => drops.length >= 6, { timeoutMs: 20_000, message: "a few handshakes dropped" });
      dropping = false;
      const usable = (connection: Redis) => connection.status === "ready" && connection.stream?.writable === true;
      await waitFor(() => usable(relayed.listener) && usable(relayed.commands), { timeoutMs: 20_000, message: "both connections usable again" });
      const heard: unknown[] = [];
      await relayed.subscribe("guards-relayed", (message: unknown) => heard.push(message));
      await presence.publish("guards-relayed", "hello");
      await waitFor(() => heard.length === 1, { message: "the message through the subscriber" });
      expect(unhandled).toEqual([]);
    });

    it("a subscriber dropped again as it subscribes after a reconnection leaves nothing unhandled, and subscribes once back", async () => {
      let dropping = false;
      const drops: string[] = [];
      const relayed = await presenceThroughRelay(/subscribe/i, () => dropping, drops);
      await whenReady([relayed.commands, relayed.listener], createLog("silent"));
      const heard: unknown[] = [];
      await relayed.subscribe("guards-again", (message: unknown) => heard.push(message));
      dropping = true;
      await proxy!.cut();
      await proxy!.restore();
      await waitFor(() => drops.length >= 3, { timeoutMs: 20_000, message: "a few subscriptions dropped" });
      expect(failures).toContain("resubscribe");
      dropping = false;
      await waitFor(async () => {
        await presence.publish("guards-again", "hello");
        return heard.length > 0;
      }, { timeoutMs: 20_000, message: "the channel subscribed again" });
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    });
  });

  describe("the registry monitor", () => {
    it("takes a failure reported before the process registered itself for no outage (regression: a write left from an earlier server in the process refused the next one's joins)", async () => {
      const warnings: string[] = [];
      const notReady = new Redis(redis.url, { ...REGISTRY_CLIENT_OPTIONS, lazyConnect: true });
      const monitor = new RegistryMonitor(createLog("info", (line) => warnings.push(line)), {
        commands: [notReady], listener: notReady, reregister: async () => ({ rooms: 0, removed: 0 }), intact: async () => true,
      });
      monitor.failed("hset", new Error("Stream isn't writeable and enableOfflineQueue options is false"));
      expect(await monitor.confirm()).toBe(true);
      expect(monitor.up).toBe(true);
      expect(warnings).toEqual([]);
      notReady.disconnect();
    });
  });
});

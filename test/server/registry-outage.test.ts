/**
 * Redis outages with players in rooms on two real processes, on a Redis this
 * file starts on a port of its own: killed, paused (SIGSTOP), restarted twice
 * in a row. No process exits, the rooms play on, a dropped player gets back to
 * its room, joins are refused with 503 and the sentence; once Redis is back
 * (empty when it was killed) matchmaking, the lobby and the cluster gauges are
 * right again within 10 s. (A process started while Redis is away: registry-startup.test.ts.)
 */
// First: the SDK must load on the ws package for rawSocketOf.
import { rawSocketOf } from "../../testkit/sdkOverWs.ts";
import { MatchMakeError } from "@colyseus/sdk";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GuestAuth } from "../../client/net/auth.ts";
import { REGISTRY_UNAVAILABLE_SENTENCE } from "../../client/net/errors.ts";
import { ArenaSession } from "../../client/net/session.ts";
import { configureReconnection } from "../../client/net/reconnection.ts";
import { REGISTRY_BACK_LOG, REGISTRY_LOST_LOG } from "../../server/registry/monitor.ts";
import { LOBBY_ROOM_NAME, ServerMessage, type ChatBroadcast } from "../../shared/protocol.ts";
import { REGISTRY_RETRY_AFTER_SECONDS, REGISTRY_UNAVAILABLE } from "../../shared/registry.ts";
import { sdkAt, startCluster, takeSeat, type Cluster, type ClusterMember, type Seat } from "../helpers/cluster.ts";
import { listedInLobby, scrape } from "../helpers/registry.ts";
import { ownRedisAvailable, startOwnRedis, type OwnRedis } from "../helpers/ownRedis.ts";
import { collectMessages, waitFor } from "../helpers/server.ts";

/** From Redis' return to everything working again, at most. */
const HEAL_DEADLINE_MS = 10_000;

describe.skipIf(!ownRedisAvailable)("a Redis outage with players in rooms on two processes", () => {
  let redis: OwnRedis;
  let cluster: Cluster;
  let seats: Seat[] = [];
  /** One room per process, each with its host and a guest. */
  let rooms: Array<{ host: Seat; guest: Seat; member: ClusterMember }> = [];

  beforeAll(async () => {
    redis = await startOwnRedis();
    cluster = await startCluster(2, redis.url, { RECONNECT_SECONDS: "60" });
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  }, 30_000);

  /** Where each process's log stood when the test began. */
  let logMarks: number[] = [];

  beforeEach(async () => {
    const [a] = cluster.members;
    logMarks = cluster.members.map(({ server }) => server.logs.length);
    rooms = [];
    for (const index of [0, 1]) {
      const host = await seat(a.url, "create", { name: `Host${index}` });
      const guest = await seat(a.url, "joinById", { name: `Guest${index}` }, host.room.roomId);
      rooms.push({ host, guest, member: cluster.members.find(({ address }) => address === host.address)! });
    }
    expect(new Set(rooms.map(({ member }) => member.address)).size).toBe(2);
  }, 20_000);
  afterEach(async () => {
    // A test that failed mid-outage leaves Redis away: the next one starts with it back.
    redis.resume();
    if (redis.pid === undefined) await redis.start();
    await waitForRegistry("up");
    await Promise.allSettled(seats.splice(0).filter(({ room }) => room.connection.isOpen).map(({ room }) => room.leave(true)));
    expect(cluster.members.map(({ server }) => server.child.exitCode ?? server.child.signalCode)).toEqual([null, null]);
    // One warning when Redis goes, one info line when it is back: no line per failed call, no other complaint.
    for (const [index, { server }] of cluster.members.entries()) {
      const lines = server.logs.slice(logMarks[index]);
      const complaints = lines.filter((line) => (line.level === "warn" || line.level === "error") && line.msg !== REGISTRY_LOST_LOG);
      expect(complaints).toEqual([]);
      const outages = lines.filter((line) => line.msg === REGISTRY_LOST_LOG).length;
      expect(outages).toBeGreaterThanOrEqual(1);
      expect(lines.filter((line) => line.msg === REGISTRY_BACK_LOG)).toHaveLength(outages);
    }
  }, 20_000);

  async function seat(...args: Parameters<typeof takeSeat>): Promise<Seat> {
    const taken = await takeSeat(...args);
    // Chat and the game's notices arrive whether a test listens or not.
    taken.room.onMessage("*", () => {});
    seats.push(taken);
    return taken;
  }

  it("killed: the rooms play on and refuse joins with 503; back empty, everything works again within 10 s", async () => {
    // A room whose last player leaves during the outage ends then, and must not come back.
    const doomed = await seat(cluster.members[0]!.url, "create", { name: "Doomed" });
    const doomedFriend = await seat(cluster.members[1]!.url, "joinById", { name: "DoomedFriend" }, doomed.room.roomId);
    // A private room: its code must join again after the registry is rebuilt, and stay out of the lobby.
    const secret = await seat(cluster.members[0]!.url, "create", { name: "Secret", private: true });
    // A menu left open through the outage keeps its lobby room, and that room's list, alive.
    const openMenu = await (await sdkAt(cluster.members[1]!.url)).joinOrCreate(LOBBY_ROOM_NAME);
    openMenu.onMessage("*", () => {});
    await redis.kill();
    await duringTheOutage({ reconnectOverHttp: true });
    // Leaving during the outage: first a player (the room counts one client less), then the last one (the room ends).
    await doomedFriend.room.leave(true);
    await doomed.room.leave(true);
    // The game client says why it waits, and keeps trying by itself.
    const waits: string[] = [];
    let patient: ArenaSession | undefined;
    const entering = ArenaSession.enter(cluster.members[1]!.url, { kind: "quickPlay", name: "Patient" }, undefined, (sentence) => waits.push(sentence))
      .then((session) => { patient = session; });
    await waitFor(() => waits.length > 0, { timeoutMs: 5000, message: "the game client to say the registry is away" });
    expect(waits[0]).toBe(`${REGISTRY_UNAVAILABLE_SENTENCE} Trying again…`);
    await redis.start();
    const returnedAt = performance.now();
    try {
      await afterTheOutage(returnedAt, () => (patient ? [{ roomId: patient.roomId }] : []));
      const friend = await seat(cluster.members[1]!.url, "joinById", { name: "Friend" }, secret.room.roomId);
      expect(friend.address).toBe(secret.address);
      // Joined through the other process, the lobby is the one kept open: its list was kept up to date.
      // Lobbies hear of the room that ended during the outage once its process has re-registered: within the heal deadline.
      let listed = new Map<string, unknown>();
      await waitFor(async () => !(listed = await listedInLobby(cluster.members[0]!.url)).has(doomed.room.roomId), {
        timeoutMs: Math.max(1, HEAL_DEADLINE_MS - (performance.now() - returnedAt)), message: "the room that ended during the outage to leave the lobby listing",
      });
      expect(listed.has(secret.room.roomId)).toBe(false);
      await entering;
      await waitFor(() => patient?.me?.name === "Patient", { message: "the waiting client seated once the registry is back" });
    } finally {
      await entering.catch(() => undefined);
      await patient?.leave();
      await openMenu.leave();
    }
    const refusal = await takeSeat(cluster.members[1]!.url, "joinById", { name: "Late" }, doomed.room.roomId).then(() => undefined, (error: unknown) => error);
    expect(refusal).toMatchObject({ message: expect.stringMatching(/not found/) });

  }, 60_000);

  it("paused (SIGSTOP): the same, and it heals on SIGCONT", async () => {
    const token = await new GuestAuth(cluster.members[0]!.url).token();
    redis.pause();
    try {
      // Sent the moment Redis stops answering, before any process can know: the same 503, not Redis' own error.
      const early = await fetch(`${cluster.members[0]!.url}/matchmake/joinOrCreate/arena`, {
        method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: "{}",
      });
      expect(early.status).toBe(503);
      expect(early.headers.get("retry-after")).toBe(String(REGISTRY_RETRY_AFTER_SECONDS));
      expect(await early.json()).toEqual({ code: 503, error: REGISTRY_UNAVAILABLE });
      await duringTheOutage({ reconnectOverHttp: false });
    } finally {
      redis.resume();
    }
    await afterTheOutage(performance.now());
  }, 60_000);

  it("restarted twice in a row, the second time killed again while the processes write their part back: it heals each time", async () => {
    await redis.kill();
    await waitForRegistry("down");
    await redis.start();
    await afterTheOutage(performance.now());
    await redis.kill();
    await waitForRegistry("down");
    await redis.start();
    await redis.kill();
    await redis.start();
    await afterTheOutage(performance.now());
  }, 60_000);

  /** What must hold while Redis is away. */
  async function duringTheOutage({ reconnectOverHttp }: { reconnectOverHttp: boolean }): Promise<void> {
    await waitForRegistry("down");
    // Every room keeps sending patches: its clock runs.
    for (const { host } of rooms) {
      const timeLeft = host.room.state.timeLeft;
      await waitFor(() => host.room.state.timeLeft < timeLeft, { timeoutMs: 5000, message: "the room's clock to run during the outage" });
    }
    // Chat inside a room.
    const heard = collectMessages<ChatBroadcast>(rooms[0]!.guest.room, ServerMessage.chat);
    rooms[0]!.host.room.send(ServerMessage.chat, { text: "still here" });
    await waitFor(() => heard.some((line) => line.text === "still here"), { timeoutMs: 5000, message: "a chat line during the outage" });
    // A dropped player gets back to its seat by itself (the SDK's reconnection, straight to the process).
    const { guest } = rooms[1]!;
    configureReconnection(guest.room);
    const sessionId = guest.room.sessionId;
    let reconnected = false;
    guest.room.onReconnect(() => { reconnected = true; });
    rawSocketOf(guest.room).terminate();
    await waitFor(() => reconnected, { timeoutMs: 10_000, message: "the dropped guest to reconnect" });
    expect(guest.room.sessionId).toBe(sessionId);
    await waitFor(() => rooms[1]!.host.room.state.players?.get(sessionId) !== undefined, { message: "the guest still in the host's view" });
    if (reconnectOverHttp) {
      // After a page reload the client asks matchmaking to reconnect: the process holding the room answers alone.
      const { guest: other, member } = rooms[0]!;
      const again = await (await sdkAt(member.url)).reconnect(other.room.reconnectionToken);
      again.onMessage("*", () => {});
      seats.push({ room: again as Seat["room"], address: member.address });
      expect(again.sessionId).toBe(other.room.sessionId);
    }
    // Joins are refused with the sentence, through either process.
    for (const member of cluster.members) {
      for (const join of [
        () => takeSeat(member.url, "joinOrCreate", { name: "Late" }),
        () => takeSeat(member.url, "create", { name: "Late" }),
        () => takeSeat(member.url, "joinById", { name: "Late" }, rooms[0]!.host.room.roomId),
      ]) {
        const refusal = await join().then(() => undefined, (error: unknown) => error);
        expect(refusal).toBeInstanceOf(MatchMakeError);
        expect(refusal).toMatchObject({ code: 503, message: REGISTRY_UNAVAILABLE });
      }
      for (const path of ["/matchmake/joinOrCreate/lobby", `/watch/${rooms[0]!.host.room.roomId}`]) {
        const answer = await fetch(`${member.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${await new GuestAuth(member.url).token()}` },
          body: "{}",
        });
        expect(answer.status).toBe(503);
        expect(answer.headers.get("retry-after")).toBe(String(REGISTRY_RETRY_AFTER_SECONDS));
        expect(await answer.json()).toEqual({ code: 503, error: REGISTRY_UNAVAILABLE });
      }
      const metrics = await scrape(member.url);
      expect(metrics).toMatchObject({ arena_registry_up: 0 });
      expect(metrics.arena_registry_outages_total).toBeGreaterThanOrEqual(1);
      expect(metrics.arena_rooms).toBeGreaterThanOrEqual(1);
      expect(metrics.arena_cluster_rooms).toBeNaN();
    }
  }

  /**
   * What must hold within 10 s of Redis' return. `others` are seats taken
   * outside `seats` (the waiting game client), counted in the cluster totals.
   */
  async function afterTheOutage(returnedAt: number, others: () => Array<{ roomId: string }> = () => []): Promise<void> {
    const left = () => Math.max(1, HEAL_DEADLINE_MS - (performance.now() - returnedAt));
    await waitForRegistry("up", left());
    const [a, b] = cluster.members;
    // Quick play fills an old room (both have free seats), wherever it is asked.
    const quick = await seat(b.url, "joinOrCreate", { name: "Quick" });
    expect(rooms.map(({ host }) => host.room.roomId)).toContain(quick.room.roomId);
    // Each old room joins by id through the process that does not hold it.
    for (const { host, member } of rooms) {
      const other = member === a ? b : a;
      const joined = await seat(other.url, "joinById", { name: "ById" }, host.room.roomId);
      expect(joined.address).toBe(member.address);
    }
    await waitFor(async () => {
      const listed = await listedInLobby(a.url);
      return rooms.every(({ host }) => listed.has(host.room.roomId));
    }, { timeoutMs: left(), message: "both rooms in the lobby listing" });
    // Every seat still open, in every room still open, whichever process holds it.
    const seated = () => [...seats.filter(({ room }) => room.connection.isOpen).map(({ room }) => room), ...others()];
    let seen = {};
    for (const member of cluster.members) {
      await waitFor(async () => {
        const metrics = await scrape(member.url);
        const expected = { processes: 2, rooms: new Set(seated().map(({ roomId }) => roomId)).size, clients: seated().length };
        seen = { expected, metrics };
        return metrics.arena_registry_up === 1 && metrics.arena_cluster_processes === expected.processes
          && metrics.arena_cluster_rooms === expected.rooms && metrics.arena_cluster_connected_clients === expected.clients;
      }, { timeoutMs: left(), message: () => `the cluster gauges to count both processes, every room and every seat (${JSON.stringify(seen)})` });
    }
  }

  async function waitForRegistry(state: "up" | "down", timeoutMs = 10_000): Promise<void> {
    let seen: string[] = [];
    await waitFor(async () => {
      seen = await Promise.all(cluster.members.map(async ({ url }) => {
        const answer = await fetch(`${url}/healthz`);
        expect(answer.status).toBe(200);
        return ((await answer.json()) as { registry: string }).registry;
      }));
      return seen.every((registry) => registry === state);
    }, { timeoutMs, message: () => `/healthz to say registry "${state}" on both processes (${seen.join(", ")})` });
  }
});

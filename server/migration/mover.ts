/**
 * Rooms that outlive their process: on drain each room stops at a tick
 * boundary, is written to Redis (`leases.ts`) and restored under the same
 * room id by another live process that shares the Redis, wherever it listens,
 * or, with none at all, by the next process to start at this address (an
 * in-place restart); its clients are then told (`roomMoving`) and closed with
 * 4010.
 *
 * The target is the live process with the fewest players (`targetLoads`); at a
 * tie, one at this address, because the SDK's own reconnection goes back to the
 * URL it joined: an unmodified SDK client follows a move only to a successor
 * sharing the port. Arena's browser client follows a move anywhere: it asks the
 * matchmaker at the page's address where its room now is, with its
 * reconnection token (client/net/roomFollow.ts), as the contract shows other
 * clients how to do.
 *
 * Colyseus' own cache/restore (`onCacheRoom`/`onRestoreRoom`) runs only in
 * devMode, from a file, restores neither reference ids nor token-bound seats,
 * and has no lease; this goes past it through `matchMaker.handleCreateRoom`
 * with a preset room id and the seams in server/colyseusSeams.ts.
 */
import { matchMaker, type Presence, type Room } from "@colyseus/core";
import { randomUUID } from "node:crypto";
import type { Log } from "../log.ts";
import { isRoomSnapshot, type RoomSnapshot } from "../rooms/roomMove.ts";
import type { MovableRoom, RoomMoves } from "../rooms/settings.ts";
import { lease, type MoveStore } from "./leases.ts";
import type { MoveMetrics } from "./moveMetrics.ts";
import { pickTargets, targetLoads, type MoveTarget } from "./targets.ts";
import { answerChannel, requestChannel, type MoveAnswer, type MoveRequest, type RestoreSteps } from "./moveMessages.ts";

/** How often a process says again that it takes moved rooms: a Redis restarted empty forgets it (ms). */
const ANNOUNCE_EVERY_MS = 5000;

/** How long the old home waits for a target's answer before taking the room back (ms). */
export const MOVE_ANSWER_TIMEOUT_MS = 5000;

export interface RoomMoverOptions {
  store: MoveStore;
  presence: Presence;
  log: Log;
  metrics: MoveMetrics;
  /** Where this process's clients reach it: PUBLIC_ADDRESS, or host:port. */
  address: string;
  roomName: string;
  /** How long rooms written for an in-place restart wait for the next process (ms). */
  restartWaitMs: number;
  /** Takes a room out of the shared registry before another process registers it under the same id. */
  detach(room: Room): Promise<void>;
}

/**
 * What a drain does with the rooms: `move` them to other live processes (any
 * address), write them for the next process to `restart` here (no other
 * process at all), or `drain` them here as before (the registry failed).
 */
export type DrainPlan = { kind: "move"; targets: MoveTarget[] } | { kind: "restart" } | { kind: "drain"; reason: string };

/** This process's side of moving rooms: sending its rooms away on drain, and taking others' in. */
export class RoomMover implements RoomMoves {
  private readonly options: RoomMoverOptions;
  private readonly arrivals = new Map<string, RoomSnapshot>();
  private readonly waiting = new Map<string, (answer: MoveAnswer) => void>();
  private started = false;
  private announcing: NodeJS.Timeout | undefined;
  private plan: DrainPlan = { kind: "drain", reason: "the drain has not begun" };
  /** False once this process is being removed (scale-down): no process will start here after it. */
  private successorExpected = true;
  /** What the target reported it took to restore each room handed over (ms), for the log. */
  private readonly lastRestore = new Map<string, { restoreMs?: number; steps?: RestoreSteps }>();

  constructor(options: RoomMoverOptions) {
    this.options = options;
  }

  private get processId(): string {
    return matchMaker.processId;
  }

  /** Takes moved rooms from now on, and announces it (after the matchmaker is up). */
  async start(): Promise<void> {
    const { presence, store } = this.options;
    await presence.subscribe(requestChannel(this.processId), (request: MoveRequest) => void this.receive(request));
    await presence.subscribe(answerChannel(this.processId), (answer: MoveAnswer) => this.waiting.get(answer.moveId)?.(answer));
    await store.announce(this.processId, this.options.address);
    this.announcing = setInterval(() => {
      // A failure is the registry monitor's to report; the next announcement tries again.
      store.announce(this.processId, this.options.address).catch(() => undefined);
    }, ANNOUNCE_EVERY_MS);
    this.announcing.unref();
    this.started = true;
  }

  /** Restores the rooms the process before this one at the same address wrote on its way out (before the port is bound). */
  async restoreWritten(): Promise<void> {
    const { store, log, address, metrics } = this.options;
    for (const roomId of await store.takeRestarts(address)) {
      try {
        const claimed = await store.swapLease(roomId, lease.restart(address), lease.restoring(this.processId));
        if (claimed !== true) throw new Error(`its lease is held by "${claimed}"`);
        await this.restore(roomId);
        metrics.counted("restored_at_boot");
      } catch (error) {
        log.warn("room written by the previous process not restored", { roomId, error: messageOf(error) });
      }
    }
  }

  /** This process is being removed, not restarted (scale-down): with no other process live, its rooms drain here. */
  removing(): void {
    this.successorExpected = false;
  }

  /**
   * The start of a drain: stops taking moved rooms and decides where this
   * process's rooms go (`DrainPlan`); with Redis failing, they drain here.
   */
  async beginDrain(): Promise<DrainPlan> {
    this.started = false;
    clearInterval(this.announcing);
    try {
      await this.options.store.withdraw(this.processId);
      const targets = await this.targets();
      if (targets.length > 0) this.plan = { kind: "move", targets };
      else if (this.successorExpected) this.plan = { kind: "restart" };
      else this.plan = { kind: "drain", reason: "no other process is live to take its rooms, and none restarts here" };
    } catch (error) {
      this.plan = { kind: "drain", reason: `the registry failed: ${messageOf(error)}` };
    }
    const targets = this.plan.kind === "move" ? this.plan.targets.map((target) => `${target.address} (${target.players})`) : undefined;
    this.options.log.info("drain plan", { ...this.plan, plan: this.plan.kind, targets });
    return this.plan;
  }

  arriving(roomId: string): RoomSnapshot | undefined {
    const snapshot = this.arrivals.get(roomId);
    this.arrivals.delete(roomId);
    return snapshot;
  }

  arrived(hashMatches: boolean): void {
    if (!hashMatches) this.options.metrics.counted("hash_mismatch");
  }

  playerBack(seconds: number): void {
    this.options.metrics.paused(seconds);
  }

  depart(room: MovableRoom): boolean {
    if (this.plan.kind === "drain") {
      this.options.metrics.counted("fallback");
      this.options.log.info("room not moved: draining it here", { roomId: room.roomId, error: this.plan.reason });
      return false;
    }
    void this.move(room, this.plan.kind === "move" ? pickTargets(this.plan.targets, room.players, this.options.address) : []);
    return true;
  }

  /**
   * Moves `room` to the first of `targets` that takes it, or, with none, writes
   * it for the next process to start here. If every target is silent or
   * refuses, or Redis fails, the room drains here as before: grace, 4001, and
   * its players quick-play into another process.
   */
  private async move(room: MovableRoom, targets: readonly MoveTarget[]): Promise<void> {
    const { log, store, metrics, address } = this.options;
    const stoppedAt = performance.now();
    const snapshot = await room.pack();
    // How long the room stood still here before its clients were told to go (their reconnection adds to it).
    const handoverMs = () => Math.round(performance.now() - stoppedAt);
    const { roomId } = snapshot;
    try {
      const listed = matchMaker.getLocalRoomById(roomId);
      if (listed) await this.options.detach(listed);
      const detachedMs = handoverMs();
      for (const { processId: target, address: at } of targets) {
        if (!(await this.handTo(target, snapshot))) continue;
        const handedOverMs = handoverMs();
        const inputsLost = await room.leave();
        metrics.counted("moved");
        log.info("room moved", {
          roomId, to: target, address: at, hash: snapshot.hash, seats: snapshot.seats.length, inputsLost, handoverMs: handedOverMs,
          detachedMs, ...this.lastRestore.get(roomId),
        });
        return;
      }
      if (targets.length > 0) throw new Error(`none of ${targets.length} live processes took it`);
      await store.put(snapshot, lease.restart(address), this.options.restartWaitMs);
      await store.awaitRestart(address, roomId, this.options.restartWaitMs);
      const inputsLost = await room.leave();
      metrics.counted("written_for_restart");
      log.info("room written for the next process at this address", { roomId, hash: snapshot.hash, seats: snapshot.seats.length, inputsLost, handoverMs: handoverMs() });
    } catch (error) {
      metrics.counted("fallback");
      log.warn("room not moved: draining it here", { roomId, error: messageOf(error) });
      room.stay();
    }
  }

  /** Live processes other than this one that take moved rooms, fewest players first (at a tie, this address first). */
  private async targets(): Promise<MoveTarget[]> {
    const players = new Map((await matchMaker.stats.fetchAll()).map(({ processId, ccu }) => [processId, ccu]));
    const homes = await this.options.store.homes();
    const targets: MoveTarget[] = [];
    for (const [processId, address] of homes) {
      const count = players.get(processId);
      if (processId !== this.processId && count !== undefined) targets.push({ processId, address, players: count });
    }
    return targetLoads(targets, this.options.address);
  }

  /** Offers the room to `target`; true once it runs there, false once it surely does not. */
  private async handTo(target: string, snapshot: RoomSnapshot): Promise<boolean> {
    const { store, log, presence } = this.options;
    const { roomId } = snapshot;
    // The snapshot travels in the request (it can be a few hundred kB with a long recording); Redis holds the lease.
    await store.grantLease(roomId, lease.to(target));
    const moveId = randomUUID();
    const answer = new Promise<MoveAnswer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), MOVE_ANSWER_TIMEOUT_MS);
      this.waiting.set(moveId, (received) => {
        clearTimeout(timer);
        resolve(received);
      });
    });
    await presence.publish(requestChannel(target), { roomId, moveId, from: this.processId, snapshot } satisfies MoveRequest);
    const received = await answer;
    this.waiting.delete(moveId);
    if (received?.ok) this.lastRestore.set(roomId, { restoreMs: received.restoreMs, steps: received.steps });
    if (received?.ok) return true;
    // Refused or silent: take the lease back, unless the target went live meanwhile.
    for (const held of [lease.to(target), lease.restoring(target)]) {
      const taken = await store.swapLease(roomId, held, lease.revoked(this.processId));
      if (taken === true) break;
      if (taken === lease.live(target)) return true;
    }
    log.warn("a process did not take a room", { roomId, target, error: received?.error ?? "no answer" });
    return false;
  }

  /** A process draining offers a room: claim it, restore it, go live if the lease is still ours. */
  private async receive(request: MoveRequest): Promise<void> {
    const { store, presence } = this.options;
    const receivedAt = performance.now();
    let answer: MoveAnswer;
    try {
      if (!this.started) throw new Error("this process is draining");
      const claimed = await store.swapLease(request.roomId, lease.to(this.processId), lease.restoring(this.processId));
      if (claimed !== true) throw new Error(`its lease is held by "${claimed}"`);
      const claimMs = Math.round(performance.now() - receivedAt);
      const steps = await this.restore(request.roomId, request.snapshot);
      answer = { moveId: request.moveId, ok: true, restoreMs: Math.round(performance.now() - receivedAt), steps: { claimMs, ...steps } };
    } catch (error) {
      answer = { moveId: request.moveId, ok: false, error: messageOf(error) };
      this.options.log.warn("a room offered here was not taken", { roomId: request.roomId, from: request.from, error: answer.error });
    }
    await presence.publish(answerChannel(request.from), answer);
  }

  /** Creates room `roomId` here from its snapshot (lease held as `restoring:<this>`), holds its seats, and goes live. */
  private async restore(roomId: string, carried?: RoomSnapshot): Promise<Omit<RestoreSteps, "claimMs">> {
    const { store } = this.options;
    const started = performance.now();
    const since = (at: number) => Math.round(performance.now() - at);
    const snapshot = isRoomSnapshot(carried) && carried.roomId === roomId ? carried : await store.snapshot(roomId);
    if (!snapshot) throw new Error("its snapshot is gone");
    this.arrivals.set(roomId, snapshot);
    try {
      await matchMaker.handleCreateRoom(snapshot.roomName ?? this.options.roomName, {}, undefined, roomId);
    } finally {
      this.arrivals.delete(roomId);
    }
    const room = matchMaker.getLocalRoomById(roomId) as (Room & { relocation?: MovableRoom }) | undefined;
    if (!room?.relocation) throw new Error("another process registered the room id first");
    const createMs = since(started);
    await room.relocation.holdSeats();
    const holdMs = since(started) - createMs;
    const live = await store.swapLease(roomId, lease.restoring(this.processId), lease.live(this.processId));
    if (live !== true) {
      await room.disconnect();
      throw new Error(`its lease went to "${live}" meanwhile`);
    }
    // Not waited for: the room is live; the snapshot would expire by itself anyway.
    store.forget(roomId).catch(() => undefined);
    return { createMs, holdMs, liveMs: since(started) - createMs - holdMs };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Scale-down: draining one process of a cluster on request (an admin's
 * `POST /api/admin/drain`), wherever the request lands. The process asked
 * drains as on SIGTERM: its rooms move to the others mid-match
 * (server/migration/mover.ts) and it exits once they have. A request for
 * another process goes to it over the presence channel.
 */
import { matchMaker, type Presence } from "@colyseus/core";
import type { MoveStore } from "./leases.ts";

/** The channel on which process `processId` hears that it is to drain. */
export const drainChannel = (processId: string) => `arena:drain:${processId}`;

/** Which process a drain request went to, and the address its clients reach it at. */
export interface DrainAnswer {
  processId: string;
  address?: string;
}

/** Drain requests of one process: heard for itself, sent for others. */
export class DrainRequests {
  private readonly listeners = new Set<() => void>();
  private readonly shared: { presence: Presence; store: MoveStore } | undefined;

  /** `shared` is the cluster's presence and move store; without it (one process) only this process can be drained. */
  constructor(shared?: { presence: Presence; store: MoveStore }) {
    this.shared = shared;
  }

  /** Hears requests for this process from now on (after the matchmaker is up). */
  async start(): Promise<void> {
    await this.shared?.presence.subscribe(drainChannel(matchMaker.processId), () => this.drainHere());
  }

  /** Calls `listener` when this process is asked to drain (server/main.ts drains as on SIGTERM). */
  onDrain(listener: () => void): void {
    this.listeners.add(listener);
  }

  /**
   * Asks process `processId` (this one when absent) to drain. Resolves with
   * where the request went, or undefined when no live process of the cluster
   * takes moved rooms under that id.
   */
  async request(processId = matchMaker.processId): Promise<DrainAnswer | undefined> {
    if (processId === matchMaker.processId) {
      const address = this.shared ? (await this.shared.store.homes()).get(processId) : undefined;
      setImmediate(() => this.drainHere());
      return { processId, address };
    }
    if (!this.shared) return undefined;
    const address = (await this.shared.store.homes()).get(processId);
    if (address === undefined) return undefined;
    await this.shared.presence.publish(drainChannel(processId), {});
    return { processId, address };
  }

  private drainHere(): void {
    for (const listener of this.listeners) listener();
  }
}

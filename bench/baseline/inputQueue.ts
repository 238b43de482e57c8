import { sanitizeInput, type PlayerInput } from "../../shared/protocol.ts";
import type { TickInputs } from "../../shared/worldState.ts";

/** Inputs a baseline server applies per player and tick at most; older ones are dropped. */
const MAX_INPUTS_PER_TICK = 4;

/**
 * The naive input handling of both baselines: whatever arrived since the last
 * tick is applied at the next one (up to MAX_INPUTS_PER_TICK, newest kept).
 * Clients send one input per tick, so on average one is applied per tick, as
 * in Arena; Arena's pacing and lag compensation are deliberately absent.
 */
export class QueuedInputs {
  private readonly queues = new Map<string, PlayerInput[]>();

  /** Queues an input from the wire, made legal the way Arena makes it legal. */
  push(playerId: string, payload: unknown): void {
    const raw = (payload ?? {}) as Record<string, unknown>;
    const input: PlayerInput = {
      moveX: Number(raw.moveX), moveY: Number(raw.moveY), aim: Number(raw.aim), fire: raw.fire === true,
    };
    sanitizeInput(input);
    let queue = this.queues.get(playerId);
    if (!queue) this.queues.set(playerId, (queue = []));
    queue.push(input);
    if (queue.length > MAX_INPUTS_PER_TICK) queue.shift();
  }

  /** This tick's inputs for `stepWorld`; the queues start empty again after the step. */
  forTick(): TickInputs {
    return this.queues;
  }

  /** Empties every queue (call after the step). */
  clear(): void {
    for (const queue of this.queues.values()) queue.length = 0;
  }

  forget(playerId: string): void {
    this.queues.delete(playerId);
  }
}

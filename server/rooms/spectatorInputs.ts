import type { Client } from "@colyseus/core";
import { ServerMessage } from "../../shared/protocol.ts";

/** What the refusal reads of the room: each spectator's input buffer, and its client. */
export interface SpectatorInputSources {
  spectators(): Iterable<string>;
  inputsOf(sessionId: string): { size: number; clear(): void };
  clientOf(sessionId: string): Client | undefined;
  /** Counts `count` inputs received and dropped (arena_inputs_dropped_total{reason="spectator"}). */
  dropped(count: number): void;
}

/**
 * Spectators cannot act: whatever they send is dropped each tick (and counted),
 * and each is told so once, until it takes a seat or leaves (`forget`).
 */
export class SpectatorInputs {
  private readonly told = new Set<string>();
  private readonly room: SpectatorInputSources;

  constructor(room: SpectatorInputSources) {
    this.room = room;
  }

  /** Drops every spectator's buffered inputs; tells a spectator the first time. */
  refuse(): void {
    for (const sessionId of this.room.spectators()) {
      const inputs = this.room.inputsOf(sessionId);
      if (inputs.size === 0) continue;
      this.room.dropped(inputs.size);
      inputs.clear();
      if (this.told.has(sessionId)) continue;
      this.told.add(sessionId);
      this.room.clientOf(sessionId)?.send(ServerMessage.inputRefused, { reason: "Spectators cannot play. Send takeSeat to join the game." });
    }
  }

  /** `sessionId` took a seat or left: told again should it watch once more. */
  forget(sessionId: string): void {
    this.told.delete(sessionId);
  }
}

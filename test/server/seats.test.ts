/**
 * Seats (server/rooms/seats.ts) on a real state mirror, without a server:
 * who is told when a seat is freed.
 */
import { describe, expect, it } from "vitest";
import { makeRules } from "../../shared/rules.ts";
import type { PlayerState } from "../../shared/worldState.ts";
import { Seats } from "../../server/rooms/seats.ts";
import { StateMirror } from "../../server/rooms/stateMirror.ts";
import { ArenaState } from "../../server/schema/ArenaState.ts";

/** Seats in a fresh room of 4 players and 2 spectators, and every seat freed it was told of. */
function room() {
  const rules = makeRules();
  const freed: Array<{ sessionId: string; player: PlayerState }> = [];
  const seats = new Seats(new StateMirror(new ArenaState(), 1, rules), rules, {
    maxPlayers: 4, maxSpectators: 2, onFreed: (sessionId, player) => freed.push({ sessionId, player }),
  });
  return { seats, freed };
}

describe("seats", () => {
  describe("onFreed", () => {
    it("is told once of a person's seat freed, with its id and the player as it sat", () => {
      const { seats, freed } = room();
      seats.seatPlayer("ann", "Ann");
      seats.seatPlayer("bob", "Bob");
      const left = seats.free("ann");
      seats.free("ann");
      expect(freed).toHaveLength(1);
      expect(freed[0].sessionId).toBe("ann");
      expect(freed[0].player).toBe(left);
      expect(freed[0].player.name).toBe("Ann");
      expect(seats.playerCount).toBe(1);
    });

    it("is told of a bot sent home like a person", () => {
      const { seats, freed } = room();
      seats.seatPlayer("bot-1", "Bot", true);
      seats.free("bot-1");
      expect(freed.map(({ sessionId, player }) => [sessionId, player.bot])).toEqual([["bot-1", true]]);
    });

    it("is not told of a spectator leaving, nor of an id that had no seat", () => {
      const { seats, freed } = room();
      seats.seatSpectator("watcher", "Watcher");
      seats.free("watcher");
      seats.free("nobody");
      expect(freed).toEqual([]);
      expect(seats.spectators.size).toBe(0);
    });
  });
});

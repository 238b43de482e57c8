/**
 * The seams a room's move to another process relies on (server/colyseusSeams.ts,
 * "A room's move to another process"): checked against the installed Colyseus,
 * failing with the seam's name when an upgrade moves one. What the move does
 * with them end to end is in migration.test.ts.
 */
import { Encoder } from "@colyseus/schema";
import { describe, expect, it } from "vitest";
import {
  heldSeatsOf, holdMovedSeat, nextRefIdOf, presetRefId, raiseNextRefId, refIdOf, SEAMS,
} from "../../server/colyseusSeams.ts";
import { ArenaState, Player } from "../../server/schema/ArenaState.ts";
import { useTestServer } from "../helpers/server.ts";

const seamMoved = (seam: string) => `Colyseus seam moved: ${seam}. Read server/colyseusSeams.ts before upgrading.`;

describe("Colyseus seams of a room's move (server/colyseusSeams.ts)", () => {
  describe(SEAMS.movedSeats, () => {
    const server = useTestServer();

    it("holds a seat for a session that never connected here, claimed by its own token alone", async () => {
      const alice = await server().connect("Alice");
      const room = server().serverRoom(alice.roomId);
      const seat = { sessionId: "movedSession", reconnectionToken: "itsOwnToken", auth: { name: "Moved" } };
      await holdMovedSeat(room, seat, 30, () => {});
      expect(room.hasReservedSeat(seat.sessionId, seat.reconnectionToken), seamMoved(SEAMS.movedSeats)).toBe(true);
      expect(room.hasReservedSeat(seat.sessionId, "forged"), seamMoved(SEAMS.movedSeats)).toBe(false);
      expect(room.hasReservedSeat(seat.sessionId), seamMoved(SEAMS.movedSeats)).toBe(false);
      expect(room.checkReconnectionToken(seat.reconnectionToken), seamMoved(SEAMS.movedSeats)).toBe(seat.sessionId);
      // And the held seats read back as the old home packs them.
      expect(heldSeatsOf(room), seamMoved(SEAMS.movedSeats)).toEqual([seat]);
    });
  });

  describe(SEAMS.refIds, () => {
    it("keeps a reference id preset before an object enters the state, and raises the next one", () => {
      const state = new ArenaState();
      new Encoder(state);
      const player = new Player({ name: "Moved" });
      presetRefId(player, 500);
      state.players.set("moved", player);
      expect(refIdOf(player), seamMoved(SEAMS.refIds)).toBe(500);
      expect(nextRefIdOf(state), seamMoved(SEAMS.refIds)).toBeLessThan(500);
      raiseNextRefId(state, 501);
      expect(nextRefIdOf(state), seamMoved(SEAMS.refIds)).toBe(501);
      const next = new Player({ name: "Joined after" });
      state.players.set("next", next);
      expect(refIdOf(next), seamMoved(SEAMS.refIds)).toBe(501);
    });
  });
});

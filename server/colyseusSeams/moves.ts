/**
 * A room's move to another process (server/migration/): part of the one seam
 * module, server/colyseusSeams.ts, whose header lists these reaches and which
 * re-exports this file. Tested by test/server/colyseus-seams-moves.test.ts.
 */
import { Deferred, matchMaker, type Client, type Room } from "@colyseus/core";
import { $changes, $refId } from "@colyseus/schema";
import { SEAMS } from "./names.ts";

// A room's move to another process (server/migration/). Colyseus restores rooms
// only in devMode, from a file, with fresh reference ids and seats that any
// token claims; these seams carry a live room's seats and ids across instead.

/** What the seams below read and write of a room: Colyseus' private seat bookkeeping. */
interface SeatBook {
  _reconnections: Record<string, [sessionId: string, reconnection: Deferred]>;
  _reservedSeats: Record<string, [options: unknown, auth: unknown, consumed?: boolean, waitingReconnection?: boolean]>;
  _reservedSeatTimeouts: Record<string, NodeJS.Timeout>;
  _reserveSeat(sessionId: string, options: unknown, auth: unknown, seconds: number, allowReconnection: boolean): Promise<boolean>;
  _events: { emit(event: string, ...args: unknown[]): void };
}

/** A seat held for a lost connection (`allowReconnection`): whose, the token that claims it, the player's claims. */
export interface HeldSeat {
  sessionId: string;
  reconnectionToken: string;
  auth: unknown;
}

/** The seats `room` holds for players whose connection was lost (Colyseus' private `_reconnections`). */
export function heldSeatsOf(room: Room): HeldSeat[] {
  const book = room as unknown as SeatBook;
  return Object.entries(book._reconnections).map(([reconnectionToken, [sessionId]]) => (
    { sessionId, reconnectionToken, auth: book._reservedSeats[sessionId]?.[1] }
  ));
}

/**
 * Holds a seat in a restored `room` for `sessionId`, claimed only with
 * `reconnectionToken` (the token the SDK reconnects with), for `seconds`; then
 * `expired` runs. Counted like a fresh reservation (the listing's clients),
 * claimed like a held one (`allowReconnection`): Colyseus has no public way to
 * hold a seat for a session that never connected to this process. Call after
 * the room is created (the reservation writes the room's listing).
 */
export async function holdMovedSeat(room: Room, seat: HeldSeat, seconds: number, expired: () => void): Promise<void> {
  const book = room as unknown as SeatBook;
  const { sessionId, reconnectionToken } = seat;
  if (typeof book._reserveSeat !== "function") throw new Error(`Colyseus seam moved: ${SEAMS.movedSeats}`);
  await book._reserveSeat(sessionId, { moved: true }, seat.auth, seconds, false);
  book._reservedSeats[sessionId][3] = true;
  const reconnection = new Deferred();
  book._reconnections[reconnectionToken] = [sessionId, reconnection];
  const timer = setTimeout(() => reconnection.reject(new Error("moved seat expired")), seconds * 1000);
  reconnection.then(() => clearTimeout(timer), () => {
    clearTimeout(timer);
    delete book._reconnections[reconnectionToken];
    // Given up (expired, or the room disconnecting to move on again): the reservation goes too, as
    // allowReconnection's does, or a room that disconnects waits for it to time out before disposing.
    clearTimeout(book._reservedSeatTimeouts[sessionId]);
    delete book._reservedSeatTimeouts[sessionId];
    delete book._reservedSeats[sessionId];
    expired();
  });
}

/**
 * A moved seat was claimed (from the room's `onReconnect`): Colyseus' own
 * held seats are settled by `allowReconnection`'s promise, which these lack,
 * so the reservation is cleared here and the join counted for the process's stats.
 */
export function settleMovedSeat(room: Room, client: Client): void {
  const book = room as unknown as SeatBook;
  for (const [token, [sessionId]] of Object.entries(book._reconnections)) {
    if (sessionId === client.sessionId) delete book._reconnections[token];
  }
  delete book._reservedSeats[client.sessionId];
  book._events.emit("join", client);
}

/** Which reference id the state encoder gave `instance` (undefined while it is not in the state). */
export function refIdOf(instance: object): number | undefined {
  return (instance as Record<symbol, number | undefined>)[$refId];
}

/**
 * Gives `instance` the reference id it had on the old home, before it enters
 * the state, so a reconnecting client's decoder finds its own objects again
 * (a full state with new ids would replace every player: a ghost and a jump).
 */
export function presetRefId(instance: object, refId: number): void {
  Object.defineProperty(instance, $refId, { value: refId, enumerable: false, writable: true });
}

/** The encoder root of `state` (its private `nextUniqueId` is the next reference id it hands out). */
function encoderRootOf(state: object): { nextUniqueId: number } {
  const tree = (state as unknown as Record<symbol, unknown>)[$changes] as { root?: unknown } | undefined;
  const root = tree?.root as { nextUniqueId?: unknown } | undefined;
  if (!root || typeof root.nextUniqueId !== "number") throw new Error(`Colyseus seam moved: ${SEAMS.refIds}`);
  return root as { nextUniqueId: number };
}

/** The encoder's next reference id for `state`. */
export function nextRefIdOf(state: object): number {
  return encoderRootOf(state).nextUniqueId;
}

/** Makes the encoder's next reference id at least `next`, so ids preset from the old home are never reused. */
export function raiseNextRefId(state: object, next: number): void {
  const root = encoderRootOf(state);
  root.nextUniqueId = Math.max(root.nextUniqueId, next);
}

/** Stops this process answering remote calls to room `roomId` (Colyseus' room channel `$<roomId>`), before another takes it. */
export function stopAnsweringFor(roomId: string): void {
  matchMaker.presence.unsubscribe(`$${roomId}`);
}

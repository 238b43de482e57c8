/**
 * What rides Colyseus' unreliable channel (players' positions and facing) and
 * what stays reliable, on a real server with real SDK clients. A client's
 * unreliable route is a function (`routeUnreliable`), so a test can stand in
 * for the DataChannel: it sees every unreliable frame, and drops the ones it
 * chooses, while the frames it keeps reach the client over its WebSocket.
 */
import { Protocol, ProtocolModifier, type Client } from "@colyseus/core";
import { describe, expect, it } from "vitest";
import { routeUnreliable } from "../../server/colyseusSeams.ts";
import { LAST_WRITE_REPEAT_MS } from "../../server/rooms/lastWriteRepeats.ts";
import { stepPlayer, type MovingPlayer } from "../../shared/player.ts";
import {
  holdInputFor, ownPlayerIn, playerIn, useTestServer, waitFor, type ArenaClientRoom, type TestServer,
} from "../helpers/server.ts";

const UNRELIABLE_PATCH = Protocol.ROOM_STATE_PATCH | ProtocolModifier.UNRELIABLE;

/** Two players in one room, each seen by the other. */
async function twoPlayers(server: TestServer): Promise<{ mover: ArenaClientRoom; watcher: ArenaClientRoom }> {
  const mover = await server.connect("Mover");
  const watcher = await server.joinById(mover.roomId, "Watcher");
  await waitFor(() => playerIn(watcher, mover.sessionId) !== undefined && playerIn(mover, watcher.sessionId) !== undefined, {
    message: "both players on both clients",
  });
  return { mover, watcher };
}

function serverClientOf(server: TestServer, room: ArenaClientRoom): Client {
  return server.serverRoom(room.roomId).clients.getById(room.sessionId)!;
}

/** Moves `mover` to the right (left near the right edge) for `ticks` inputs, and stops. */
function moveAndStop(server: TestServer, mover: ArenaClientRoom, ticks: number): Promise<void> {
  const direction = playerIn(mover)!.x < 800 ? 1 : -1;
  return holdInputFor(server, mover, { moveX: direction, moveY: 0, aim: 0, fire: false }, ticks);
}

describe("state over the unreliable channel", () => {
  const server = useTestServer();

  it("carries where players stand and face; the own body comes reliably to its player alone", async () => {
    const { mover, watcher } = await twoPlayers(server());
    const frames: Uint8Array[] = [];
    const watcherOnServer = serverClientOf(server(), watcher);
    routeUnreliable(watcherOnServer, (frame) => {
      frames.push(frame);
      watcherOnServer.raw(frame);
    });
    const wire = server().serverRoom(mover.roomId).state.players.get(mover.sessionId)!;
    await moveAndStop(server(), mover, 10);
    await waitFor(() => playerIn(watcher, mover.sessionId)!.x === wire.x, { message: "the watcher to see where the mover went" });

    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((frame) => (frame[0] & 0x7f) === UNRELIABLE_PATCH)).toBe(true);
    // The own body (with the velocity) and the reload go to the player itself only.
    expect(ownPlayerIn(mover)!.body).toMatchObject({ x: wire.body.x, y: wire.body.y, alive: true });
    expect(playerIn(watcher, mover.sessionId)!.body).toBeUndefined();
    expect(playerIn(watcher, mover.sessionId)!.reloadTicks).toBeUndefined();
  });

  it("gives a client that joins after the room numbered 32768 unreliable frames the players' moves", async () => {
    const mover = await server().connect("Mover");
    // Colyseus numbers the frames per room; the SDK starts from 0 after a full state and takes only the next half circle.
    const serializer = (server().serverRoom(mover.roomId) as unknown as { _serializer: { unreliableSeq: number } })._serializer;
    serializer.unreliableSeq = 40_000;
    const watcher = await server().joinById(mover.roomId, "Late");
    await waitFor(() => playerIn(watcher, mover.sessionId) !== undefined, { message: "the mover on the late client" });
    const wire = server().serverRoom(mover.roomId).state.players.get(mover.sessionId)!;
    const before = playerIn(watcher, mover.sessionId)!.x;
    await moveAndStop(server(), mover, 10);
    expect(wire.x).not.toBe(before);
    await waitFor(() => playerIn(watcher, mover.sessionId)!.x === wire.x, { message: "the late client to see the mover move" });
  });

  it(`draws a stopped player where it stopped within ${LAST_WRITE_REPEAT_MS} ms when the frame with its last move is lost`, async () => {
    const { mover, watcher } = await twoPlayers(server());
    const room = server().serverRoom(mover.roomId);
    const wire = room.state.players.get(mover.sessionId)!;
    const watcherOnServer = serverClientOf(server(), watcher);
    // Where the mover will stop: its inputs replayed with the shared step, as the server applies them.
    const intent = { moveX: wire.x < 800 ? 1 : -1, moveY: 0 };
    const stop: MovingPlayer = { ...ownPlayerIn(mover)!.body };
    for (let i = 0; i < 10; i++) stepPlayer(stop, intent, 1 / server().config.tickHz);
    const where = () => `${wire.x},${wire.y}`;
    const stopsAt = `${stop.x},${stop.y}`;
    // The frame sent when the mover got there is lost; of the frames after it, only the first reaches the watcher.
    let lost = false;
    let framesSinceLoss = 0;
    routeUnreliable(watcherOnServer, (frame) => {
      if (!lost && where() === stopsAt) lost = true;
      else if (!lost || ++framesSinceLoss === 1) watcherOnServer.raw(frame);
    });

    await holdInputFor(server(), mover, { ...intent, aim: 0, fire: false }, 10);
    await waitFor(() => lost, { timeoutMs: 5000, message: () => `the frame with the mover's last move (to ${stopsAt}; at ${where()})` });
    const seen = () => `${playerIn(watcher, mover.sessionId)!.x},${playerIn(watcher, mover.sessionId)!.y}`;
    await waitFor(() => seen() === stopsAt, { message: () => `the watcher to see the mover at ${stopsAt} (sees ${seen()})` });
    // The first patch after the lost one brought it: one patch interval later.
    expect(1000 / server().config.patchHz).toBeLessThanOrEqual(LAST_WRITE_REPEAT_MS);
    expect(where()).toBe(stopsAt);
  });
});

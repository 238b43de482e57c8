/**
 * The unreliable frames as datagrams, read by the real SDK: the server's
 * route for a client is a function (`routeUnreliable`), here one that hands
 * each frame straight to the client's room, as its DataChannel does, while
 * the client's WebSocket is held back as a lost TCP segment holds it.
 */
import type { Client } from "@colyseus/core";
import { describe, expect, it } from "vitest";
import { NewestSnapshot } from "../../client/net/newestSnapshot.ts";
import { tapConnection, type IncomingFrame, type TappableConnection } from "../../client/net/sdkSeams.ts";
import { routeUnreliable } from "../../server/colyseusSeams.ts";
import { holdInputFor, playerIn, useTestServer, waitFor } from "../helpers/server.ts";

describe("state frames as datagrams", () => {
  const server = useTestServer();

  it("keep a remote player moving while the WebSocket is held back, on the newest server time", async () => {
    const mover = await server().connect("Mover");
    const watcher = await server().joinById(mover.roomId, "Watcher");
    await waitFor(() => playerIn(watcher, mover.sessionId) !== undefined, { message: "the mover on the watcher's client" });
    // A room's first patch carries the ADD of everything in it, positions included, on the
    // reliable channel. A watcher that joins before it goes out (a fresh room, a warm process)
    // receives it after its full state: holding that patch back would hold an ADD, which no
    // datagram can stand in for. A DataChannel opens long after it; here, wait for it.
    const joinedAt = watcher.clock.lastServerTime();
    await waitFor(() => watcher.clock.lastServerTime() > joinedAt, { message: "a patch after the watcher's full state" });
    const room = server().serverRoom(mover.roomId);
    const wire = room.state.players.get(mover.sessionId)!;
    const newest = new NewestSnapshot(watcher);

    const connection = watcher.connection as unknown as TappableConnection;
    const events = connection.events;
    const decode = events.onmessage!;
    const held: IncomingFrame[] = [];
    let holding = true;
    tapConnection(connection, {
      incoming(event, forward) {
        if (holding) held.push(event);
        else forward(event);
      },
    });
    const datagramTimes: number[] = [];
    const watcherOnServer = room.clients.getById(watcher.sessionId) as Client;
    routeUnreliable(watcherOnServer, (frame) => {
      decode.call(events, { data: new Uint8Array(frame).buffer });
      datagramTimes.push(watcher.clock.lastServerTime());
    });

    const heldFrom = watcher.clock.lastServerTime();
    const direction = wire.x < 800 ? 1 : -1;
    await holdInputFor(server(), mover, { moveX: direction, moveY: 0, aim: 0, fire: false }, 8);
    await waitFor(() => playerIn(watcher, mover.sessionId)!.x === wire.x, { message: "the watcher to see the mover's last position" });
    // Everything else the server sent is still held: the positions came as datagrams, with their server times.
    expect(held.length).toBeGreaterThan(0);
    expect(datagramTimes.at(-1)).toBeGreaterThan(heldFrom);
    expect(newest.serverTime).toBe(datagramTimes.at(-1));

    // The held patches arrive at last, none newer than the datagrams (the last of them may be of the
    // same tick as the last datagram, with the same time): the newest server time stays.
    holding = false;
    for (const event of held.splice(0)) decode.call(events, event);
    expect(watcher.clock.lastServerTime()).toBeLessThanOrEqual(datagramTimes.at(-1)!);
    expect(newest.serverTime).toBe(datagramTimes.at(-1));
    expect(playerIn(watcher, mover.sessionId)!.x).toBe(wire.x);
  });
});

/**
 * The input channel as Arena's client sends it (client/net/prediction.ts):
 * Colyseus' redundant ring (`mode: "unreliable"`), each packet carrying the
 * newest inputs, against a real server.
 */
import { Protocol } from "@colyseus/core";
import { describe, expect, it } from "vitest";
import { INPUT_HISTORY, INPUT_REFRESH_EVERY, openInputs, Prediction } from "../../client/net/prediction.ts";
import { tapConnection, type TappableConnection } from "../../client/net/sdkSeams.ts";
import { stepPlayer, type MovingPlayer } from "../../shared/player.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import { ownPlayerIn, useTestServer, waitFor, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";

async function seated(server: TestServer, name: string): Promise<ArenaClientRoom> {
  const room = await server.connect(name);
  await waitFor(() => ownPlayerIn(room)?.body !== undefined, { message: `${name}'s own body` });
  return room;
}

describe("the input channel", () => {
  const server = useTestServer();

  it("applies each input of the ring once, exactly as the shared stepPlayer does", async () => {
    const room = await seated(server(), "Ring");
    const input = openInputs(room);
    const start: MovingPlayer = { ...ownPlayerIn(room)!.body };
    const intents: PlayerInput[] = [
      { moveX: 1, moveY: 0, aim: 0, fire: false },
      { moveX: 1, moveY: 1, aim: 0.5, fire: false },
      { moveX: 0, moveY: -1, aim: 0.5, fire: false },
      { moveX: -0.5, moveY: 0.25, aim: 1, fire: false },
      { moveX: 0, moveY: 0, aim: 1, fire: false },
    ];
    for (const intent of intents) {
      Object.assign(input.data, intent);
      input.send();
    }
    await waitFor(() => input.lastProcessed === input.sentCount, { message: () => `every input acknowledged (${input.lastProcessed} of ${input.sentCount})` });
    const expected = { ...start };
    for (const intent of intents) stepPlayer(expected, intent, 1 / server().config.tickHz);
    expect(expected.x).not.toBe(start.x);
    const body = server().serverRoom(room.roomId).state.players.get(room.sessionId)!.body;
    expect({ x: body.x, y: body.y, vx: body.vx, vy: body.vy }).toStrictEqual({ x: expected.x, y: expected.y, vx: expected.vx, vy: expected.vy });
    // The metrics count each input once, however many packets carried it.
    const metrics = await (await fetch(`${server().url}/metrics`)).text();
    expect(Number(/^arena_inputs_received_total (\d+)/m.exec(metrics)?.[1])).toBe(intents.length);
  });

  it(`gives the server a change lost with every packet that carried it within ${INPUT_REFRESH_EVERY} inputs`, async () => {
    const room = await seated(server(), "Lossy");
    const input = openInputs(room);
    const prediction = new Prediction(room, input);
    const onServer = server().serverRoom(room.roomId).inputs.get(room.sessionId);
    let losing = 0;
    tapConnection(room.connection as unknown as TappableConnection, {
      outgoing(frame, forward) {
        if ((frame[0] & 0x1f) === Protocol.ROOM_INPUT_UNRELIABLE && losing > 0) losing--;
        else forward(frame);
      },
    });
    // One input per call: the prediction paces them at the server's tick.
    const stepMs = 1000 / server().config.tickHz;
    let now = performance.now();
    prediction.update(now, { moveX: 0, moveY: 0, aim: 0, fire: false }, true);
    const send = (moveX: number) => {
      now += stepMs + 0.01;
      expect(prediction.update(now, { moveX, moveY: 0, aim: 0, fire: false }, true)).toBe(1);
    };
    const acknowledged = (seq: number) => waitFor(() => input.lastProcessed >= seq && onServer.size === 0, { message: `input ${seq} applied` });

    for (let i = 0; i < 3; i++) send(1);
    await acknowledged(3);
    expect(onServer.latest!.moveX).toBe(1);
    // The input that lets go of the stick, and the next ones that carry it, are all lost.
    losing = INPUT_HISTORY;
    for (let i = 0; i < INPUT_HISTORY; i++) send(0);
    while (input.sentCount % INPUT_REFRESH_EVERY !== 0) {
      send(0);
      await acknowledged(input.sentCount);
      expect(onServer.latest!.moveX, "the server still holds the stick, as the ring alone would leave it").toBe(1);
    }
    send(0);
    await acknowledged(input.sentCount);
    expect(onServer.latest!.moveX).toBe(0);
    prediction.dispose();
  });
});

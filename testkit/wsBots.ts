/**
 * The benchmark's bots for the servers without Colyseus, on a bare `ws`
 * socket: the seeds' method (JSON both ways, the shared bot brain deciding)
 * and the floor (a fixed binary input frame per tick, frames counted). See
 * `testkit/netBot.ts` for the bots' common interface.
 */
import type { Socket } from "node:net";
import { WebSocket } from "ws";
import type { ArenaView } from "../shared/protocol.ts";
import { seedsView, type SeedsStateMessage, type SeedsWelcomeMessage } from "./seedsWire.ts";
import { Brain, keepSize, type NetBot, type NetBotOptions } from "./netBot.ts";

/** A bot of the seeds' method: full JSON states in, JSON inputs out. */
export async function connectJsonBot(options: NetBotOptions): Promise<NetBot> {
  const url = new URL(options.url);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("name", options.name);
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const counted = { receivedBytes: 0, sentBytes: 0, framesReceived: 0, statesReceived: 0 };
  const sizes: number[] = [];
  const brain = new Brain(options);
  let latest: ArenaView | undefined;
  let latestMessage: SeedsStateMessage | undefined;
  const ending = socketEnding(ws);
  const id = await new Promise<string>((resolve, reject) => {
    ws.once("error", reject);
    ws.once("close", (code, reason) => reject(new Error(`closed ${code} ${String(reason)}`)));
    ws.on("message", (data: Buffer) => {
      counted.receivedBytes += data.byteLength;
      counted.framesReceived++;
      const message = JSON.parse(data.toString("utf8")) as SeedsStateMessage | SeedsWelcomeMessage;
      if (message.type === "welcome") resolve(message.id);
      else {
        // Decoding is the client's cost; building the view once per tick is left to play().
        latestMessage = message;
        counted.statesReceived++;
        keepSize(sizes, data.byteLength);
        latest = undefined;
      }
    });
  });
  const socket = (ws as unknown as { _socket: Socket })._socket;
  return {
    id,
    roomId: "",
    play(tick) {
      if (!latest && latestMessage) latest = seedsView(latestMessage);
      const frame = JSON.stringify({ type: "input", ...brain.decide(id, latest, tick) });
      counted.sentBytes += Buffer.byteLength(frame);
      ws.send(frame);
    },
    traffic: () => ({ ...counted, socketRead: socket.bytesRead, socketWritten: socket.bytesWritten }),
    projectileCount: () => (latestMessage ? Object.keys(latestMessage.projectiles).length : 0),
    stateSizes: () => sizes,
    takeEchoLatencies: () => [],
    transport: ending.transport,
    lostWithCode: ending.lostWithCode,
    drops: ending.drops,
    close: ending.close,
  };
}

/** A bot of the floor: one fixed input frame out per tick, every frame in counted. */
export async function connectFloorBot(options: NetBotOptions): Promise<NetBot> {
  const url = new URL(options.url);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const counted = { receivedBytes: 0, sentBytes: 0, framesReceived: 0, statesReceived: 0 };
  const input = Buffer.alloc(options.floorInputBytes ?? 16, 0x01);
  const sizes: number[] = [];
  const ending = socketEnding(ws);
  ws.on("message", (data: Buffer) => {
    counted.receivedBytes += data.byteLength;
    counted.framesReceived++;
    counted.statesReceived++;
    keepSize(sizes, data.byteLength);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const socket = (ws as unknown as { _socket: Socket })._socket;
  return {
    id: options.name,
    roomId: "",
    play() {
      counted.sentBytes += input.byteLength;
      ws.send(input);
    },
    traffic: () => ({ ...counted, socketRead: socket.bytesRead, socketWritten: socket.bytesWritten }),
    projectileCount: () => 0,
    stateSizes: () => sizes,
    takeEchoLatencies: () => [],
    transport: ending.transport,
    lostWithCode: ending.lostWithCode,
    drops: ending.drops,
    close: ending.close,
  };
}

/**
 * How a bot's socket ends: the close code when the server ended it (not a leave of the bot's own), and a
 * close that waits for it. A bare socket is never resumed: a lost one is `lostWithCode`, never a drop. It
 * carries everything: there is no DataChannel.
 */
function socketEnding(ws: WebSocket): Pick<NetBot, "transport" | "lostWithCode" | "drops" | "close"> {
  let lostCode: number | undefined;
  let leaving = false;
  ws.on("close", (code) => {
    if (!leaving) lostCode = code;
  });
  return {
    transport: () => "websocket",
    lostWithCode: () => lostCode,
    drops: () => 0,
    close: () => new Promise<void>((resolve) => {
      leaving = true;
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once("close", () => resolve());
      ws.close();
    }),
  };
}

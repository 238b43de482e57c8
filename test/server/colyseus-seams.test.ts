import { spawnSync } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Protocol, Room, type Client } from "@colyseus/core";
import { describe, expect, it } from "vitest";
import { countPatchBytes, screenFrames, screenHttpEvents, SEAMS, stopPatchTimer, tickWrites, type ScreeningRoom } from "../../server/colyseusSeams.ts";
import { ArenaRoom } from "../../server/rooms/ArenaRoom.ts";
import { useTestServer, waitFor } from "../helpers/server.ts";

/**
 * Every reach into Colyseus' internals lives in server/colyseusSeams.ts. These
 * tests check, against the installed Colyseus, what each seam relies on, and
 * fail naming the seam when an upgrade moves it; the server tests then show
 * what broke in behaviour.
 */
const root = new URL("../../", import.meta.url);
const require = createRequire(root);
/** The text of a file of an installed package, e.g. ("@colyseus/core", "build/Room.mjs"). */
const packageSource = (name: string, file: string) => readFileSync(join(dirname(require.resolve(`${name}/package.json`)), file), "utf8");
const seamMoved = (seam: string) => `Colyseus seam moved: ${seam}. Read server/colyseusSeams.ts before upgrading.`;

describe("Colyseus seams (server/colyseusSeams.ts)", () => {
  describe(SEAMS.frameScreening, () => {
    it("finds Room.prototype._onMessage, which Colyseus binds to each client's socket at join", () => {
      const entry = (Room.prototype as unknown as { _onMessage?: unknown })._onMessage;
      expect(typeof entry, seamMoved(SEAMS.frameScreening)).toBe("function");
      expect(packageSource("@colyseus/core", "build/Room.mjs"), seamMoved(SEAMS.frameScreening)).toContain("this._onMessage.bind(this, client)");
    });

    it("puts admitFrame in front of Colyseus' decode", () => {
      type FrameEntry = { _onMessage(this: unknown, client: Client, frame: Uint8Array): void };
      const base = Room.prototype as unknown as FrameEntry;
      const original = base._onMessage;
      const seen: string[] = [];
      base._onMessage = (_client, frame) => void seen.push(`decode ${frame[0]}`);
      try {
        class Screened extends Room implements ScreeningRoom {
          admitFrame(_client: Client, frame: Uint8Array): boolean {
            seen.push(`admit ${frame[0]}`);
            return frame[0] !== 0;
          }
        }
        screenFrames(Screened);
        const room = Object.create(Screened.prototype) as FrameEntry;
        room._onMessage({} as Client, Uint8Array.of(0));
        room._onMessage({} as Client, Uint8Array.of(Protocol.ROOM_DATA));
      } finally {
        base._onMessage = original;
      }
      expect(seen).toEqual(["admit 0", `admit ${Protocol.ROOM_DATA}`, `decode ${Protocol.ROOM_DATA}`]);
      // Arena's room is screened.
      expect((ArenaRoom.prototype as unknown as FrameEntry)._onMessage).not.toBe(original);
    });
  });

  describe(SEAMS.stepDrivenPatches, () => {
    const server = useTestServer();
    it("finds the patch timer calling broadcastPatch", () => {
      expect(typeof Room.prototype.broadcastPatch, seamMoved(SEAMS.stepDrivenPatches)).toBe("function");
      expect(packageSource("@colyseus/core", "build/Room.mjs"), seamMoved(SEAMS.stepDrivenPatches)).toContain("setInterval(() => this.broadcastPatch(), milliseconds)");
    });

    it("advertises the patch interval and stops the timer the setting started", () => {
      const room = new Room();
      // What the matchmaker does before onCreate: the patchRate setter (and its first timer) is installed.
      (room as unknown as { __init(): void }).__init();
      const started: unknown[] = [];
      const stopped = new Set<unknown>();
      const { setInterval: setIntervalBefore, clearInterval: clearIntervalBefore } = globalThis;
      globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
        const timer = setIntervalBefore(...args);
        started.push(timer);
        return timer;
      }) as typeof setInterval;
      globalThis.clearInterval = ((timer: Parameters<typeof clearInterval>[0]) => {
        stopped.add(timer);
        clearIntervalBefore(timer);
      }) as typeof clearInterval;
      try {
        stopPatchTimer(room, 50);
      } finally {
        Object.assign(globalThis, { setInterval: setIntervalBefore, clearInterval: clearIntervalBefore });
      }
      expect(started.length, seamMoved(SEAMS.stepDrivenPatches)).toBe(1);
      expect(stopped.has(started[0]), "the patch timer is stopped").toBe(true);
      expect(room.patchRate).toBe(50);
      room.patchRate = null;
    });

    it("leaves a real room advertising its patch interval, patching after its steps", async () => {
      const room = await server().connect("Paced");
      expect(server().serverRoom(room.roomId).patchRate, seamMoved(SEAMS.stepDrivenPatches)).toBeCloseTo(1000 / 30, 3);
      // Patches still reach the client with Colyseus' timer stopped: the steps send them (the match
      // clock changes every tick). Three changes: the join's full state may be one of them.
      await new Promise<void>((resolve) => {
        let changes = 0;
        room.onStateChange(() => {
          if (++changes === 3) resolve();
        });
      });
      await room.leave(true);
    });
  });

  describe(SEAMS.patchByteCounting, () => {
    it("finds each recipient's patch frame handed to client.raw", () => {
      expect(packageSource("@colyseus/core", "build/serializer/SchemaSerializer.mjs"), seamMoved(SEAMS.patchByteCounting)).toMatch(/client\.raw\(buildTimedFrame\(/);
    });

    it("counts ROOM_STATE_PATCH frames only, and still sends everything", () => {
      const sent: number[] = [];
      const client = { raw: (data: Uint8Array) => void sent.push(data.byteLength) } as unknown as Client;
      let counted = 0;
      countPatchBytes(client, (bytes) => {
        counted += bytes;
      });
      client.raw(Uint8Array.of(Protocol.ROOM_STATE_PATCH, 1, 2));
      client.raw(Uint8Array.of(Protocol.ROOM_DATA, 1, 2, 3, 4));
      expect(counted).toBe(3);
      expect(sent).toEqual([3, 5]);
    });

    const server = useTestServer();
    it("sees the patches of a real room", async () => {
      const room = await server().connect("Counted");
      const patchBytes = async () => {
        const text = await (await fetch(`${server().url}/metrics`)).text();
        return Number(/^arena_patch_bytes_total (\d+)/m.exec(text)?.[1] ?? 0);
      };
      await waitFor(async () => (await patchBytes()) > 0, { timeoutMs: 5000, message: () => seamMoved(SEAMS.patchByteCounting) });
      await room.leave(true);
    });
  });

  describe(SEAMS.tickWrites, () => {
    const server = useTestServer();
    it("finds each client's TCP socket behind ws-transport's ref", async () => {
      const room = await server().connect("Corked");
      const client = server().serverRoom(room.roomId).clients.getById(room.sessionId) as unknown as { ref?: { _socket?: Partial<Socket> } };
      expect(typeof client.ref?._socket?.cork, seamMoved(SEAMS.tickWrites)).toBe("function");
      expect(typeof client.ref?._socket?.uncork, seamMoved(SEAMS.tickWrites)).toBe("function");
      await room.leave(true);
    });

    it("holds a tick's frames in the socket until the tick ends, then sends them all, in order", async () => {
      const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
      await new Promise((resolve) => wss.once("listening", resolve));
      const accepted = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
      const peer = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
      const received: string[] = [];
      const allReceived = new Promise((resolve) => peer.on("message", (data) => {
        received.push(String(data));
        if (received.length === 3) resolve(undefined);
      }));
      try {
        const socket = await accepted;
        const tcp = (socket as unknown as { _socket: Socket })._socket;
        const room = { clients: [{ ref: socket }, { ref: {} }] } as unknown as Room;
        let heldDuringTick = 0;
        tickWrites(room, () => {
          for (const text of ["hit", "kill", "patch"]) socket.send(text);
          heldDuringTick = tcp.writableLength;
          expect(tcp.writableCorked).toBe(1);
        })();
        expect(heldDuringTick, "the frames wait for the end of the tick").toBeGreaterThan(0);
        expect(tcp.writableCorked).toBe(0);
        await allReceived;
        expect(received).toEqual(["hit", "kill", "patch"]);
      } finally {
        peer.terminate();
        await new Promise((resolve) => wss.close(resolve));
      }
    });

    it("uncorks even when the tick throws", () => {
      const calls: string[] = [];
      const socket = { cork: () => calls.push("cork"), uncork: () => calls.push("uncork") };
      const room = { clients: [{ ref: { _socket: socket } }] } as unknown as Room;
      expect(tickWrites(room, () => {
        throw new Error("tick failed");
      })).toThrow("tick failed");
      expect(calls).toEqual(["cork", "uncork"]);
    });
  });

  describe(SEAMS.noPm2Metrics, () => {
    it("finds @colyseus/core importing @pm2/io, and makes that import fail in a server process", () => {
      expect(packageSource("@colyseus/core", "build/Stats.mjs"), seamMoved(SEAMS.noPm2Metrics)).toContain('import("@pm2/io")');
      // Module hooks are process-wide: tried in a process of its own, as the server runs.
      const script = [
        `import { refusePm2Metrics } from ${JSON.stringify(new URL("server/colyseusSeams.ts", root).href)};`,
        "const before = await import('@pm2/io').then(() => 'loaded', (error) => error.message);",
        "refusePm2Metrics();",
        "const after = await import('@pm2/io/build/main/index.js').then(() => 'loaded', (error) => error.message);",
        "console.log(JSON.stringify({ before, after }));",
      ].join("\n");
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: fileURLToPath(root), encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      const { before, after } = JSON.parse(run.stdout) as { before: string; after: string };
      // Installed with the development dependencies, so it loads until refused.
      expect(before).toBe("loaded");
      expect(after).toMatch(/not used by Arena/);
    });
  });

  describe(SEAMS.httpScreening, () => {
    it("finds Colyseus prepending its request listener when it binds its router", () => {
      expect(packageSource("@colyseus/core", "build/router/index.mjs"), seamMoved(SEAMS.httpScreening)).toContain('server.prependListener("request"');
    });

    it("answers a refused event before every listener, prepended ones too, and passes the rest on", () => {
      const server = createServer();
      const seen: string[] = [];
      server.prependListener("request", (request: IncomingMessage) => void seen.push(`listener ${request.url}`));
      screenHttpEvents(server, { request: (request) => request.url !== "/refused" });
      screenHttpEvents(server, {
        request: (request) => {
          seen.push(`screen ${request.url}`);
          return true;
        },
      });
      server.emit("request", { url: "/refused" }, {});
      server.emit("request", { url: "/admitted" }, {});
      // The screen added last runs first; the refused request reaches no listener.
      expect(seen, seamMoved(SEAMS.httpScreening)).toEqual(["screen /refused", "screen /admitted", "listener /admitted"]);
    });
  });

  it("runs against the @colyseus/* versions package.json pins exactly", () => {
    const manifest = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as Record<string, Record<string, string>>;
    const pinned = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(([name]) => name.startsWith("@colyseus/"));
    expect(pinned.length).toBeGreaterThan(0);
    for (const [name, range] of pinned) {
      expect(range, `${name} must be pinned to an exact version (the seams depend on its internals)`).toMatch(/^\d+\.\d+\.\d+$/);
      const installed = (JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), "utf8")) as { version: string }).version;
      expect(installed, `${name}: installed ${installed}, package.json pins ${range}`).toBe(range);
    }
  });
});

/**
 * The honest player of the hostile suite: a real SDK client in the room under
 * attack, moving every tick, whose patch arrivals are counted so a test can
 * say it kept receiving them at the normal rate throughout.
 */
import { expect } from "vitest";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { sendInput, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";

export interface HonestPlayer {
  readonly room: ArenaClientRoom;
  /** Starts a measuring window: the patches from now on are counted. */
  startWindow(): void;
  /**
   * Waits until the window is at least a second long, then checks the patches
   * since `startWindow` came at ≥ 75 % of the server's patch rate, and that the
   * client is still in.
   */
  expectNormalPatchRate(): Promise<void>;
  stop(): void;
}

export async function honestPlayer(server: TestServer): Promise<HonestPlayer> {
  const room = await server.connect("Honest");
  expect(room.name).toBe(ROOM_NAME);
  let patches = 0;
  let since = performance.now();
  room.onStateChange(() => patches++);
  let left = false;
  room.onLeave(() => { left = true; });
  // Moving back and forth, one input per tick, as a player does.
  let tick = 0;
  const driving = setInterval(() => sendInput(room, { moveX: tick++ % 40 < 20 ? 1 : -1, aim: tick / 10 }), 1000 / server.config.tickHz);
  return {
    room,
    startWindow() {
      patches = 0;
      since = performance.now();
    },
    async expectNormalPatchRate() {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - since))));
      const seconds = (performance.now() - since) / 1000;
      expect(left, "the honest player was disconnected").toBe(false);
      // The bound is generous (a loaded CI machine); a stalled server or event loop falls far below it.
      expect(patches / seconds).toBeGreaterThanOrEqual(0.75 * server.config.patchHz);
    },
    stop: () => clearInterval(driving),
  };
}

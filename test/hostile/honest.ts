/**
 * The honest player of the hostile suite: a real SDK client in the room under
 * attack, moving every tick, whose patch arrivals are counted so a test can
 * say it kept receiving them throughout.
 */
import { expect } from "vitest";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { sendInput, waitFor, type ArenaClientRoom, type TestServer } from "../helpers/server.ts";

/** How many more patches show a player is still being served: a few ticks' worth. */
const KEEPS_PLAYING_PATCHES = 10;

export interface HonestPlayer {
  readonly room: ArenaClientRoom;
  /** Waits for `KEEPS_PLAYING_PATCHES` more patches (deadline 5 s), and checks that the client is still in. */
  expectStillPlaying(): Promise<void>;
  stop(): void;
}

export async function honestPlayer(server: TestServer): Promise<HonestPlayer> {
  const room = await server.connect("Honest");
  expect(room.name).toBe(ROOM_NAME);
  let patches = 0;
  room.onStateChange(() => patches++);
  let left = false;
  room.onLeave(() => { left = true; });
  // Moving back and forth, one input per tick, as a player does.
  let tick = 0;
  const driving = setInterval(() => sendInput(room, { moveX: tick++ % 40 < 20 ? 1 : -1, aim: tick / 10 }), 1000 / server.config.tickHz);
  return {
    room,
    async expectStillPlaying() {
      // Still playing: patches keep coming (a stalled server or event loop sends none), and no disconnection.
      // Rates are the benchmarks' business (npm run hostile); this waits on events, with a deadline.
      const wanted = patches + KEEPS_PLAYING_PATCHES;
      await waitFor(() => left || patches >= wanted, { timeoutMs: 5000, message: () => `${KEEPS_PLAYING_PATCHES} more patches to the honest player (has ${patches - wanted + KEEPS_PLAYING_PATCHES})` });
      expect(left, "the honest player was disconnected").toBe(false);
    },
    stop: () => clearInterval(driving),
  };
}

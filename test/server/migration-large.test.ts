/**
 * A large-mode room moves on drain as an arena room does (test/server/migration.test.ts):
 * real server processes on a Redis of the file's own sharing one port; the room comes back on
 * the new home as a large room, on the same map, still sending each client only what lies within
 * its view, and its recording goes on and reruns to its final hash on the large map.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { largeMap } from "../../shared/largeMap.ts";
import { inView, LARGE_ROOM_NAME, VIEW_LEAVE_SLACK, VIEW_MARGIN } from "../../shared/largeMode.ts";
import { decodeReplay } from "../../shared/replayDecoder.ts";
import { rerunReplay } from "../../shared/replayRun.ts";
import { freePort } from "../../testkit/serverProcess.ts";
import { logOf, pastMinUptime, reconnectionOf, useMovingProcesses } from "../helpers/movingProcesses.ts";
import { ownRedisAvailable } from "../helpers/ownRedis.ts";
import { postgresAvailable } from "../helpers/postgres.ts";
import { ownPlayerIn, waitFor, type ArenaClientRoom } from "../helpers/server.ts";

type LargeView = ArenaClientRoom["state"] & { mapSeed: number; roster: { size: number } };

/** A phone's view: a move keeps it with the seat. */
const PHONE_VIEW = { width: 640, height: 480 };

/** Every other player in `room`'s state stands within its view (and the margin, and the slack a leaving player gets). */
function onlyWithinView(room: ArenaClientRoom): boolean {
  const me = room.state.players.get(room.sessionId);
  if (!me) return false;
  let within = true;
  room.state.players.forEach((player, id) => {
    // The slack a leaving player gets, and what a player at top speed covers between two sweeps of a view.
    if (id !== room.sessionId && !inView(PHONE_VIEW, me.x, me.y, player.x, player.y, VIEW_MARGIN + VIEW_LEAVE_SLACK + 40)) within = false;
  });
  return within;
}

describe.skipIf(!ownRedisAvailable || !postgresAvailable)("a large room moves to another process on drain", () => {
  const { startAt, seat } = useMovingProcesses();

  it("arrives as a large room on the same map, filtering by view, and its recording reruns on the large map", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arena-large-move-"));
    try {
      const port = await freePort();
      const env = { REPLAY_DIR: dir, LARGE_MIN_PLAYERS: "30" };
      const a = await startAt(port, env);
      const ann = await seat(a.url, "create", { name: "Ann", view: PHONE_VIEW }, undefined, LARGE_ROOM_NAME);
      ann.room.onMessage("*", () => {});
      const state = () => ann.room.state as LargeView;
      await waitFor(() => state().roster?.size === 30 && state().mapSeed > 0, { timeoutMs: 10_000, message: "30 players in the roster" });
      const seed = state().mapSeed;
      // Thirty players spread over the map: Ann's view holds some of them only.
      await waitFor(() => onlyWithinView(ann.room) && ann.room.state.players.size < 30, { timeoutMs: 10_000, message: "Ann sent only what she can see" });
      await pastMinUptime(ann.room);
      const back = reconnectionOf(ann.room);
      const b = await startAt(port, env);
      a.child.kill("SIGTERM");
      await back;
      expect(await a.exited).toBe(0);
      expect(logOf(b, "room arrived")).toHaveLength(1);
      expect(state().mapSeed).toBe(seed);
      const start = ann.room.state.timeLeft;
      await waitFor(() => ann.room.state.timeLeft <= start - 2, { timeoutMs: 5000, message: "two seconds of play on B" });
      // On B: still only the phone's view (it moved with the seat), and the own player's body (its private field) still comes.
      expect(onlyWithinView(ann.room)).toBe(true);
      expect(ann.room.state.players.size).toBeLessThan(30);
      expect(state().roster.size).toBe(30);
      expect(ownPlayerIn(ann.room)?.body).toBeDefined();
      await ann.room.leave(true);
      await waitFor(() => logOf(b, "match recorded").length === 1, { timeoutMs: 10_000, message: "the recording to be written on B" });
      const [recorded] = logOf(b, "match recorded");
      const replay = decodeReplay(new Uint8Array(readFileSync(join(dir, String(recorded!.file)))));
      expect(replay.header.rules.map).toEqual(JSON.parse(JSON.stringify(largeMap(seed))));
      expect(rerunReplay(replay)).toMatchObject({ matches: true, finalHash: recorded!.finalHash });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

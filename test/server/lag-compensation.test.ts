import { Rewind } from "@colyseus/core";
import { describe, expect, it, vi } from "vitest";
import { POSITION_X, snap } from "../../shared/precision.ts";
import { rewindLagCompensation } from "../../server/rooms/lagCompensation.ts";
import { ArenaState, Player } from "../../server/schema/ArenaState.ts";
import { newPlayer, type PlayerState } from "../../shared/worldState.ts";

const MAX_REWIND_MS = 250;
const TICK_MS = 1000 / 30;
/** The room's clock when recording starts (Rewind reads a moment at or before 0 as "now"). */
const START_MS = 60_000;

/** A state with two players walking at uneven speeds, recorded into a real Rewind for 20 ticks. */
function recordedRoom() {
  const state = new ArenaState();
  for (const id of ["a", "b"]) state.players.set(id, new Player());
  const rewind = Rewind.get(state, { maxRewindMs: MAX_REWIND_MS }).attachAll(state.players, { fields: ["x", "y"] });
  let clock = 0;
  const walk = (tick: number) => {
    state.players.forEach((player, id) => {
      player.x = snap(POSITION_X, 100 + tick * (id === "a" ? 7.3 : 3.1));
      player.y = snap(POSITION_X, 400 - tick * 2.7);
    });
  };
  for (let tick = 0; tick < 20; tick++) {
    walk(tick);
    clock = START_MS + tick * TICK_MS + (tick % 3) * 0.4; // a real clock's uneven ticks
    rewind.record(clock, TICK_MS);
  }
  return { state, rewind, now: () => clock, advance: (tick: number) => { walk(tick); clock = START_MS + tick * TICK_MS; rewind.record(clock, TICK_MS); } };
}

/** Player `id` as the step holds it, standing where the wire has it now. */
function target(state: ArenaState, id: string): PlayerState {
  const onWire = state.players.get(id)!;
  return { ...newPlayer(id, 0, false), x: onWire.x, y: onWire.y };
}

describe("lag compensation over Colyseus' Rewind", () => {
  it("answers where a target stood on the wire at the shooter's moment, on the position grid", () => {
    const room = recordedRoom();
    const lagComp = rewindLagCompensation(room.rewind, room.state, room.now, MAX_REWIND_MS);
    const out = { x: 0, y: 0 };
    const live = target(room.state, "a");
    expect(lagComp.positionAt("a", live, 0, out)).toEqual({ x: live.x, y: live.y });
    // 100 ms back: about three ticks of walking behind, between two recorded samples.
    const seen = { ...lagComp.positionAt("a", live, 100, out) };
    expect(live.x - seen.x).toBeGreaterThan(2.5 * 7.3);
    expect(live.x - seen.x).toBeLessThan(3.5 * 7.3);
    expect(snap(POSITION_X, seen.x)).toBe(seen.x);
    expect(snap(POSITION_X, seen.y)).toBe(seen.y);
    // Never further back than the cap, however late the shot says it is.
    const capped = { ...lagComp.positionAt("a", live, 10_000, out) };
    expect(capped).toEqual(lagComp.positionAt("a", live, MAX_REWIND_MS, out));
    // A target not on the wire (not yet published) is judged where it stands.
    expect(lagComp.positionAt("ghost", { ...newPlayer("Ghost", 0, false), x: 5, y: 6 }, 100, out)).toEqual({ x: 5, y: 6 });
  });

  it("gives a question asked again in the same tick the first answer, and a new tick new answers", () => {
    const room = recordedRoom();
    const remembered = rewindLagCompensation(room.rewind, room.state, room.now, MAX_REWIND_MS);
    const ask = (lagComp: typeof remembered, id: string, lagMs: number) => ({ ...lagComp.positionAt(id, target(room.state, id), lagMs, { x: 0, y: 0 }) });
    const lags = [40, 95.5, 40, 180, 95.5, 40, 0, 17];
    for (let tick = 20; tick < 26; tick++) {
      room.advance(tick);
      const answers = ["a", "b", "a", "b"].flatMap((id) => lags.map((lag) => ask(remembered, id, lag)));
      // A fresh compensation remembers nothing: what the Rewind itself answers.
      const looked = vi.spyOn(room.rewind, "at");
      const fresh = ["a", "b", "a", "b"].flatMap((id) => lags.map((lag) => ask(rewindLagCompensation(room.rewind, room.state, room.now, MAX_REWIND_MS), id, lag)));
      expect(looked).toHaveBeenCalledTimes(32);
      looked.mockRestore();
      expect(answers, `tick ${tick}`).toEqual(fresh);
      // Asked again within the tick, from memory: five distinct moments for each of the two targets.
      const again = vi.spyOn(room.rewind, "at");
      expect(["a", "b", "a", "b"].flatMap((id) => lags.map((lag) => ask(remembered, id, lag)))).toEqual(fresh);
      expect(again).not.toHaveBeenCalled();
      again.mockRestore();
    }
    // More distinct moments in one tick than it keeps: the rest are looked up every time, still right.
    for (let lag = 0; lag < 40; lag++) {
      expect(ask(remembered, "a", lag * 5)).toEqual(ask(rewindLagCompensation(room.rewind, room.state, room.now, MAX_REWIND_MS), "a", lag * 5));
    }
  });
});

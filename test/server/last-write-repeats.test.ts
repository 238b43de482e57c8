/**
 * LastWriteRepeats (server/rooms/lastWriteRepeats.ts) on a real schema
 * encoder and decoder: the unreliable channel only carries a field when it
 * changes, so losing the patch with a player's last move leaves a client
 * stale, until the repeats send it again.
 */
import { Encoder, Reflection } from "@colyseus/schema";
import { describe, expect, it } from "vitest";
import { UNRELIABLE_PLAYER_FIELDS } from "../../shared/protocol.ts";
import { ArenaState, Player } from "../../server/schema/ArenaState.ts";
import { LAST_WRITE_REPEAT_MS, LastWriteRepeats, repeatTicksFor } from "../../server/rooms/lastWriteRepeats.ts";

/** A state with one player, a client that has its full state, and a tick that writes `x` then sends the unreliable patch (or loses it). */
function wired(repeatTicks: number) {
  const state = new ArenaState();
  const player = new Player({ name: "Ann" });
  state.players.set("ann", player);
  const repeats = new LastWriteRepeats<Player>(UNRELIABLE_PLAYER_FIELDS, repeatTicks);
  repeats.written(player);
  const encoder = new Encoder(state);
  const client = Reflection.decode<ArenaState>(Reflection.encode(encoder));
  client.decode(encoder.encodeAll());
  encoder.discardChanges();
  const seen = () => client.state.players.get("ann")!.x;
  /** One tick: the write, the repeats' turn, then the reliable and unreliable patches; returns the unreliable patch's size. */
  const tick = (x: number, { lost = false } = {}) => {
    player.x = x;
    repeats.written(player);
    client.decode(encoder.encode());
    encoder.discardChanges();
    const patch = encoder.hasUnreliableChanges ? encoder.encodeUnreliable().slice() : undefined;
    encoder.discardUnreliableChanges();
    if (patch && !lost) client.decode(patch);
    return patch?.byteLength ?? 0;
  };
  return { tick, seen };
}

describe("last write repeats", () => {
  it("without them, a lost last move leaves the client where the move before put the player", () => {
    const { tick, seen } = wired(0);
    tick(10);
    tick(20, { lost: true });
    for (let i = 0; i < 5; i++) expect(tick(20)).toBe(0);
    expect(seen()).toBe(10);
  });

  it("send the last value again in the next patches, so the client gets it with the first that arrives", () => {
    const { tick, seen } = wired(3);
    tick(10);
    tick(20, { lost: true });
    expect(tick(20)).toBeGreaterThan(0);
    expect(seen()).toBe(20);
  });

  it("stop after their ticks, and cost nothing while the field keeps changing", () => {
    const { tick } = wired(3);
    const moving = [tick(10), tick(20), tick(30)];
    expect(new Set(moving).size).toBe(1);
    const repeated = [tick(30), tick(30), tick(30)];
    expect(repeated).toEqual(moving);
    expect([tick(30), tick(30)]).toEqual([0, 0]);
  });

  it("span the patches of LAST_WRITE_REPEAT_MS, at the tick and patch rates a host may set", () => {
    expect(LAST_WRITE_REPEAT_MS).toBeLessThanOrEqual(100);
    expect(repeatTicksFor(30, 30)).toBe(3);
    expect(repeatTicksFor(30, 20)).toBe(3);
    expect(repeatTicksFor(60, 30)).toBe(6);
    expect(repeatTicksFor(30, 5)).toBe(6);
  });
});

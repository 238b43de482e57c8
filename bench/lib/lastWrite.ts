/**
 * What it costs in bytes that a stopped player's lost last position cannot
 * leave a client stale, three ways, on one recorded game of 16 bots
 * (bench/lib/tickRecording.ts) published and encoded as Arena's room does:
 *   - `once`: each change sent once (Colyseus alone: a lost last write stays);
 *   - `repeats`: Arena's, the last value sent again in the patches of the
 *     next 100 ms once a field stops changing (`LastWriteRepeats`);
 *   - `keyframe`: every player's position and facing sent in full every
 *     100 ms of patches, whatever changed.
 * Each figure is the unreliable channel's bytes per client per tick, with its
 * frame headers; the reliable patches are the same in all three.
 *
 * Arena's way is also encoded through the wire image before positions rode
 * the unreliable channel (bench/baseline/reliableWire.ts: everything in the
 * reliable patches), so that what a client receives before and after compares
 * on the very same game: `wire`.
 */
import { Encoder, StateView } from "@colyseus/schema";
import { UNRELIABLE_PLAYER_FIELDS } from "../../shared/protocol.ts";
import type { Player } from "../../server/schema/ArenaState.ts";
import { repeatTicksFor } from "../../server/rooms/lastWriteRepeats.ts";
import { arenaMirror, playTick, type Game, type RecordedTick } from "./tickRecording.ts";
import { ReliableWire } from "../baseline/reliableWire.ts";

/** Unreliable bytes per client per tick under each way, and the reliable ones for scale. */
export interface LastWriteCost {
  once: number;
  repeats: number;
  keyframe: number;
  reliable: number;
  ticks: number;
  /** A client's state bytes per tick, all frames and their headers: before datagrams, and Arena's now on each transport. */
  wire: { before: number; websocket: number; datagrams: number };
}

type Way = "once" | "repeats" | "keyframe";

/** Replays `recording` (after `game.warmUpTicks`) once per way; see the module comment. */
export function measureLastWriteCost(game: Game, recording: readonly RecordedTick[]): LastWriteCost {
  const measured = (way: Way) => replay(game, recording, way);
  const once = measured("once");
  const arena = measured("repeats");
  const round = (bytes: number) => Math.round(bytes * 10) / 10;
  return {
    once: once.unreliable, repeats: arena.unreliable, keyframe: measured("keyframe").unreliable,
    reliable: once.reliable, ticks: recording.length - game.warmUpTicks,
    wire: {
      before: arena.before,
      websocket: round(arena.reliable + arena.unreliable),
      datagrams: round(arena.reliable + arena.unreliable + DATAGRAM_CLOCK * arena.unreliableFrames),
    },
  };
}

/** A frame's bytes besides its body: the reliable one's protocol byte and 8-byte timing prefix, the unreliable one's protocol byte and number. */
const RELIABLE_HEAD = 1 + 8;
const UNRELIABLE_HEAD = 1 + 2;
/** What a datagram carries besides: the room's clock (8 bytes), which the WebSocket's frames leave to its timed patches. */
const DATAGRAM_CLOCK = 8;

interface Replayed {
  unreliable: number;
  reliable: number;
  /** Unreliable frames per client per tick. */
  unreliableFrames: number;
  /** The reliable-only wire's bytes per client per tick. */
  before: number;
}

function replay(game: Game, recording: readonly RecordedTick[], way: Way): Replayed {
  const { rules } = game;
  const every = repeatTicksFor(rules.tickHz, rules.tickHz);
  const mirror = arenaMirror(game, way === "repeats" ? rules.tickHz : undefined);
  const encoder = new Encoder(mirror.state);
  const views = game.roster.map(({ id }) => {
    const view = new StateView();
    view.add(mirror.state.players.get(id)!);
    return view;
  });
  let unreliable = 0;
  let reliable = 0;
  let unreliableFrames = 0;
  let before = 0;
  const reliableWire = new ReliableWire();
  recording.forEach((tick, n) => {
    playTick(mirror, tick, rules);
    if (way === "keyframe" && n % every === 0) {
      mirror.state.players.forEach((player: Player) => {
        for (const field of UNRELIABLE_PLAYER_FIELDS) player.setDirty(field);
      });
    }
    const it = { offset: 1 };
    encoder.encode(it);
    const shared = it.offset;
    let bytes = 0;
    for (const view of views) bytes += RELIABLE_HEAD - 1 + encoder.encodeView(view, shared, it).byteLength;
    encoder.discardChanges();
    let unreliableBytes = 0;
    if (encoder.hasUnreliableChanges) {
      const u = { offset: UNRELIABLE_HEAD };
      encoder.encodeUnreliable(u);
      const sharedUnreliable = u.offset;
      for (const view of views) unreliableBytes += encoder.encodeUnreliableView(view, sharedUnreliable, u).byteLength;
      encoder.discardUnreliableChanges();
    }
    reliableWire.follow(mirror.state);
    const beforeBytes = reliableWire.patchBytes();
    if (n < game.warmUpTicks) return;
    reliable += bytes / views.length;
    unreliable += unreliableBytes / views.length;
    if (unreliableBytes > 0) unreliableFrames++;
    before += beforeBytes;
  });
  const ticks = recording.length - game.warmUpTicks;
  const perTick = (sum: number) => Math.round((sum / ticks) * 10) / 10;
  return { unreliable: perTick(unreliable), reliable: perTick(reliable), unreliableFrames: unreliableFrames / ticks, before: perTick(before) };
}

/**
 * `node bench/wireBreakdown.ts [players] [seconds] [large|arena]`: where a
 * client's bytes go. A room of `players` network bots (100 in a large room by
 * default, filled as the room-size benchmark fills it), and every fifth bot's
 * received frames taken apart: each patch's bytes by the part of the state
 * they write (the own player, other players' fields on the screen of a
 * desktop's view or in its margin, objects entering the view, the maps' adds
 * and deletes, the roster, the heat map, …), every other message by its type.
 * Prints bytes per client per second of each part, largest first, and the
 * frames a client received per second (a starved machine sends fewer).
 */
import "../testkit/sdkOverWs.ts";
import { Client, Protocol, type Room } from "@colyseus/sdk";
import { $decoder, decode, Decoder, type Iterator } from "@colyseus/schema";
import { frameBytes, frameCode } from "../client/net/frames.ts";
import { tapConnection, type TappableConnection } from "../client/net/sdkSeams.ts";
import { DEFAULT_TICK_HZ } from "../shared/constants.ts";
import { LARGE_ROOM_NAME, MAX_VIEW } from "../shared/largeMode.ts";
import { protocolCode, ROOM_NAME } from "../shared/protocol.ts";
import { pinClientsLeavingCpu0 } from "../testkit/serverProcess.ts";
import { runLoad } from "./lib/load.ts";

const players = Number(process.argv[2] ?? 100);
const seconds = Number(process.argv[3] ?? 10);
const arena = process.argv[4] === "arena";
const warmUpSeconds = 5;
const SWITCH_TO_STRUCTURE = 255;
const UNRELIABLE = 0x40;

const totals = new Map<string, number>();
const frames = new Map<string, number>();
let observed = 0;
let window: { from: number; to: number } | undefined;
let current: { room: Room; channel: string } | undefined;

const add = (part: string, bytes: number, into = totals) => into.set(part, (into.get(part) ?? 0) + bytes);
const measuring = () => window !== undefined && performance.now() >= window.from && performance.now() < window.to;

/** What a ref of the state is, for this client. */
function kindOf(room: Room, ref: object): string {
  const state = room.state as Record<string, any>;
  if (ref === state) return "root";
  if (ref === state.players) return "players map";
  if (ref === state.projectiles) return "projectiles map";
  if (ref === state.roster) return "roster map";
  if (ref === state.heat) return "heat";
  const own = state.players?.get(room.sessionId);
  if (own && ref === own) return "own player";
  if (own && ref === own.body) return "own body";
  // The client's classes are made from the server's definitions (reflection), nameless: told apart by their fields.
  const fields = Object.values((ref.constructor as any)[Symbol.metadata] ?? {}).map((field: any) => field?.name);
  if (fields.includes("bornMs")) return "projectile";
  if (fields.includes("body")) return "other player";
  if (fields.includes("name")) return "roster entry";
  return "?";
}

/** Whether a player lies within the observer's visible view (not its margin). */
function onScreen(room: Room, player: { x: number; y: number }): boolean {
  const own = (room.state as any).players?.get(room.sessionId);
  if (!own) return true;
  return Math.abs(player.x - own.x) <= MAX_VIEW.width / 2 && Math.abs(player.y - own.y) <= MAX_VIEW.height / 2;
}

/**
 * The decoder's loop (`Decoder.decode` of @colyseus/schema 5, less its resync
 * sweep, which full states take) copied to note the bytes of every operation
 * and structure switch of a measured client's patches; everything else goes
 * through the original.
 */
const originalDecode = Decoder.prototype.decode;
Decoder.prototype.decode = function (this: Decoder, bytes: Uint8Array, it: Iterator = { offset: 0 }, ref: any = this.state) {
  if (!current || !measuring() || this.resyncVisited !== null) return originalDecode.call(this, bytes, it, ref);
  const { room, channel } = current;
  const known = new Set(this.root.refs.keys());
  const allChanges: any[] | null = this.triggerChanges !== undefined ? [] : null;
  let decodeOp = ref.constructor[$decoder];
  let part = `${channel} ${kindOf(room, ref)}`;
  let fresh = false;
  while (it.offset < bytes.byteLength) {
    const start = it.offset;
    if (bytes[it.offset] === SWITCH_TO_STRUCTURE) {
      it.offset++;
      ref["~onDecodeEnd"]?.();
      const refId = decode.number(bytes, it);
      ref = this.root.refs.get(refId);
      decodeOp = ref.constructor[$decoder];
      fresh = !known.has(refId);
      part = `${channel} ${kindOf(room, ref)}${fresh ? " (entering)" : ""}`;
      if (!fresh && part.endsWith("other player")) part += onScreen(room, ref) ? " [on screen]" : " [off screen]";
      add(`${part}: switch`, it.offset - start);
      continue;
    }
    const first = bytes[it.offset];
    const metadata = ref.constructor[Symbol.metadata];
    let field = "";
    if (metadata && !(ref instanceof Map) && typeof ref.get !== "function") {
      const operation = (first >> 6) << 6;
      field = `.${metadata[first % (operation || 255)]?.name ?? "?"}`;
    } else {
      field = ` op${first}`;
    }
    decodeOp(this, bytes, it, ref, allChanges);
    add(fresh ? part : `${part}${field}`, it.offset - start);
  }
  ref["~onDecodeEnd"]?.();
  if (allChanges !== null) this.triggerChanges?.(allChanges);
  this.root.garbageCollectDeletedRefs();
  return allChanges;
} as typeof Decoder.prototype.decode;

function observe(room: Room): void {
  observed++;
  let messageBytes = 0;
  room.onMessage("*", (type) => {
    if (measuring()) add(`message ${String(type)}`, messageBytes);
  });
  tapConnection(room.connection as unknown as TappableConnection, {
    incoming(event, forward) {
      const bytes = frameBytes(event.data);
      const code = frameCode(event.data);
      messageBytes = bytes;
      const patch = protocolCode(code) === Protocol.ROOM_STATE_PATCH;
      const channel = patch && (code & UNRELIABLE) !== 0 ? "unreliable" : "reliable";
      if (measuring()) {
        add(patch ? `${channel} frame (total)` : "other frames (total)", bytes);
        add(patch ? `${channel} patches` : "messages", 1, frames);
      }
      current = patch ? { room, channel } : undefined;
      try {
        forward(event);
      } finally {
        current = undefined;
      }
    },
    outgoing: (frame, forward) => forward(frame),
  });
}

let joined = 0;
for (const method of ["joinOrCreate", "create", "joinById"] as const) {
  const original = Client.prototype[method] as (...args: unknown[]) => Promise<Room>;
  (Client.prototype as any)[method] = async function (this: Client, ...args: unknown[]) {
    const room = await original.apply(this, args);
    if (joined++ % 5 === 0) observe(room);
    return room;
  };
}

const serverCpus = pinClientsLeavingCpu0();
await runLoad({
  serverCpus,
  kind: "arena", rooms: 1, playersPerRoom: players, tickHz: DEFAULT_TICK_HZ, warmUpSeconds, seconds, seed: 1,
  env: arena ? {} : { LARGE_MAX_PLAYERS: String(players), LARGE_MIN_PLAYERS: "0", LARGE_INTEREST: "on", MAX_PLAYERS: "16" },
  room: arena ? { roomName: ROOM_NAME } : { roomName: LARGE_ROOM_NAME, view: MAX_VIEW },
  onProgress(line) {
    if (!window && line.includes("measuring")) window = { from: performance.now(), to: performance.now() + seconds * 1000 };
  },
});
const perClientSecond = (bytes: number) => bytes / observed / seconds;
const all = (totals.get("reliable frame (total)") ?? 0) + (totals.get("unreliable frame (total)") ?? 0) + (totals.get("other frames (total)") ?? 0);
const perSecond = [...frames].map(([kind, count]) => `${perClientSecond(count).toFixed(1)} ${kind}`).join(", ");
console.log(`${arena ? "arena" : "large"}, ${players}: ${perClientSecond(all).toFixed(0)} B/s received per client (${observed} clients observed; ${perSecond} a second)`);
const rows = [...totals].sort((a, b) => b[1] - a[1]);
for (const [part, bytes] of rows) console.log(`${perClientSecond(bytes).toFixed(1).padStart(9)} B/s  ${part}`);
process.exit(0);

/**
 * The datagrams' loss as the game sees it: every `@unreliable` state patch
 * is numbered (a 16-bit sequence after the protocol byte and, when the
 * TIMED bit is set, Colyseus' 8-byte time prefix), so
 * the numbers missing among those that came on the DataChannel are the ones
 * the network (or the network simulator, when this counts above it) lost or
 * the server dropped. Reordered ones count as received. No DOM.
 */
import { Protocol } from "@colyseus/sdk";
import { frameCode } from "./frames.ts";
import { tapConnection, type IncomingFrame, type TappableConnection } from "./sdkSeams.ts";

/** How many of the latest sequence numbers the figure covers: a few seconds of patches. */
const WINDOW = 150;
/** `ProtocolModifier.UNRELIABLE`: the bit Colyseus sets on a patch of `@unreliable` fields. */
const UNRELIABLE_BIT = 64;
/** `ProtocolModifier.TIMED`: the frame starts with `[uint32 server time][uint32 input ack]`. */
const TIMED_BIT = 128;
const TIMED_PREFIX_BYTES = 8;

/** Counts the loss of unreliable patches that arrive on the DataChannel. */
export class DatagramLoss {
  /** The latest sequence numbers received, unwrapped (they grow past 65535), in arrival order. */
  private readonly seen: number[] = [];
  private newest: number | undefined;
  private readonly untap: () => void;

  /** Taps `connection` (install it where the frames should be counted: above the network simulator for the game's view). */
  constructor(connection: TappableConnection) {
    this.untap = tapConnection(connection, {
      incoming: (event, forward) => {
        this.observe(event);
        forward(event);
      },
    });
  }

  /** Percent of the unreliable patches lost among the latest WINDOW numbers; undefined before two arrived on the channel. */
  get percent(): number | undefined {
    if (this.seen.length < 2 || this.newest === undefined) return undefined;
    const oldest = Math.min(...this.seen);
    const span = this.newest - oldest + 1;
    return (100 * Math.max(0, span - this.seen.length)) / span;
  }

  detach(): void {
    this.untap();
  }

  private observe(event: IncomingFrame): void {
    const code = frameCode(event.data);
    if ((code & 0x1f) !== Protocol.ROOM_STATE_PATCH || (code & UNRELIABLE_BIT) === 0) return;
    // A patch of the same numbering that came on the WebSocket: the channel was down, and its gap is no loss.
    if (!event.datagram) {
      this.seen.length = 0;
      this.newest = undefined;
      return;
    }
    const at = 1 + ((code & TIMED_BIT) !== 0 ? TIMED_PREFIX_BYTES : 0);
    const bytes = new Uint8Array(event.data as ArrayBuffer);
    if (bytes.byteLength < at + 2) return;
    const wrapped = bytes[at]! | (bytes[at + 1]! << 8);
    // Unwrap against the newest: a positive 16-bit difference is newer.
    const sequence = this.newest === undefined ? wrapped : this.newest + (((wrapped - this.newest) << 16) >> 16);
    if (this.newest === undefined || sequence > this.newest) this.newest = sequence;
    this.seen.push(sequence);
    if (this.seen.length > WINDOW) this.seen.shift();
  }
}

/**
 * When a room's state patches leave: at the end of the fixed step that
 * changed the state, rather than on Colyseus' patch timer.
 *
 * Colyseus runs the fixed step (`setFixedTimestep`) and the patches (the
 * `patchRate` setter) on two separate `setInterval` timers. Each is
 * rescheduled from the moment it last ran, so their phase drifts with the
 * event loop's jitter: when the patch timer fires just before the step, every
 * acknowledgement of an input waits almost a whole extra tick (input → own
 * echo p99 55–90 ms at 30 Hz on loopback, against one tick + 5 ms, 38 ms).
 *
 * The room keeps `patchRate` set, so the SDK is still told the patch interval
 * (its clock and reconciler use it), stops that timer (`stopPatchTimer`), and calls
 * `stepped()` after every step: it sends a patch then, at `patchHz` patches a
 * second on average (after every step when it equals the tick rate; catch-up
 * steps after a stall each get theirs, as ticks do).
 */
export class PatchPacer {
  private readonly patchesPerTick: number;
  private readonly send: () => void;
  private credit: number;

  constructor(patchHz: number, tickHz: number, send: () => void) {
    this.patchesPerTick = Math.min(1, patchHz / tickHz);
    this.send = send;
    // The first step sends.
    this.credit = 1 - this.patchesPerTick;
  }

  /** A step has just changed the state. */
  stepped(): void {
    this.credit += this.patchesPerTick;
    // 1e-9: 20 Hz patches over 60 Hz ticks must not miss every third patch to rounding.
    if (this.credit < 1 - 1e-9) return;
    this.credit -= 1;
    this.send();
  }
}

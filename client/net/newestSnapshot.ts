/** What the tracker reads of a room: its clock, and the call after each state frame is applied. */
export interface SnapshotSource {
  clock: { lastServerTime(): number };
  onStateChange(callback: () => void): unknown;
}

/**
 * The server time of the newest state a room has received. The SDK's clock
 * says the server time of the last frame that carried one, and with
 * datagrams the last is not always the newest: a datagram overtakes the
 * WebSocket whenever a lost TCP segment holds it back, and the patches held
 * behind it then arrive late, with older times. What the interpolation must
 * cover, and what the newest positions are, follow the newest.
 */
export class NewestSnapshot {
  private newest = 0;
  private readonly clock: SnapshotSource["clock"];

  constructor(room: SnapshotSource) {
    this.clock = room.clock;
    room.onStateChange(() => this.seen());
  }

  /** Server time (ms since the room started) of the newest state received; 0 before the first. */
  get serverTime(): number {
    this.seen();
    return this.newest;
  }

  /** A new connection (a reconnection, a room moved to another process): the clock starts over. */
  reset(): void {
    this.newest = 0;
  }

  private seen(): void {
    const time = this.clock.lastServerTime();
    if (time > this.newest) this.newest = time;
  }
}

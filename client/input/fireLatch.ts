/**
 * Keeps a trigger pull that was too short to be sampled: a tap on the touch
 * screen or a quick click can start and end between two fixed ticks, and the
 * session sends inputs only at ticks. The pull is held here until an input
 * that carries it has actually been sent. Pure: no DOM, no Phaser.
 */
export class FireLatch {
  private pending = false;

  /** A trigger was pulled (and may already be released). */
  pull(): void {
    this.pending = true;
  }

  /** True while a pull waits to be sent. */
  get armed(): boolean {
    return this.pending;
  }

  /** The fire value to send this frame: the trigger held now, or a pull still waiting. */
  fire(held: boolean): boolean {
    return held || this.pending;
  }

  /**
   * Call after the session's send with how many inputs went out this frame
   * (each one carried `fire(…)`): the pull is kept while none went (between
   * ticks, or while disconnected) and dropped once one did.
   */
  sent(inputs: number): void {
    if (inputs > 0) this.pending = false;
  }
}

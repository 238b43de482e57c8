import type { ArenaSession } from "./session.ts";

/**
 * The game going on elsewhere after a drain: when the server a session ran on
 * shuts down under the player (`ArenaSession.movedOut`), quick play finds
 * another game at once, under the same name, and `arrived` gets the new
 * session. The net layer decides and calls; scenes only show `underway` and
 * `failure`, and start the game again with what `arrived` receives.
 */
export class DrainMove {
  /** Why the move failed, in words for the player, if it did. */
  failure: string | undefined;
  private started = false;
  private readonly session: ArenaSession;
  private readonly arrived: (next: ArenaSession) => void;

  constructor(session: ArenaSession, arrived: (next: ArenaSession) => void) {
    this.session = session;
    this.arrived = arrived;
  }

  /** True from the drain's close until the move has failed (or for good, once it succeeded). */
  get underway(): boolean {
    return this.session.movedOut && this.failure === undefined;
  }

  /** Call once per frame: starts the move, once, as soon as the session was moved out. */
  update(): void {
    if (this.started || !this.session.movedOut) return;
    this.started = true;
    this.session.playElsewhere().then(this.arrived, (error: Error) => {
      this.failure = error.message;
    });
  }
}

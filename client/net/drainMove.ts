import { CloseCode } from "@colyseus/sdk";
import type { ArenaSession } from "./session.ts";

/**
 * The game going on elsewhere after a drain: when the server a session ran on
 * shuts down under the player (close code 4001, a drain), quick play finds
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
    return this.movedOut && this.failure === undefined;
  }

  /** The session's server shut down under its player, and the session knows how to join again (a seat taken back after a reload does not). */
  private get movedOut(): boolean {
    const { session } = this;
    return session.status === "closed" && session.closedCode === CloseCode.SERVER_SHUTDOWN && !session.spectating && session.playElsewhere !== undefined;
  }

  /** Call once per frame: starts the move, once, as soon as the session was moved out. */
  update(): void {
    const playElsewhere = this.session.playElsewhere;
    if (this.started || !this.movedOut || !playElsewhere) return;
    this.started = true;
    playElsewhere().then(this.arrived, (error: Error) => {
      this.failure = error.message;
    });
  }
}

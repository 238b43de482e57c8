import type { ArenaSession } from "./session.ts";
import { everyone } from "./roomMode.ts";

/**
 * The player after `current` among `ids` (sorted, so every client cycles in
 * the same order), the first when `current` is absent or gone; undefined when
 * there is nobody.
 */
export function nextFollowed(ids: readonly string[], current?: string): string | undefined {
  if (ids.length === 0) return undefined;
  const sorted = [...ids].sort();
  const at = current === undefined ? -1 : sorted.indexOf(current);
  return sorted[(at + 1) % sorted.length];
}

/**
 * Whom a spectator of a large room watches. The server sends a spectator
 * what lies around the player it follows (`"follow"` `{ sessionId }`), so the
 * choice is said to it: once at the start (the first player of the roster),
 * again when that player leaves the room, and each time the spectator asks
 * for the next player.
 */
export class SpectatorFollow {
  /** The session id of the player watched, once one is chosen. */
  followed: string | undefined;
  private readonly session: ArenaSession;

  constructor(session: ArenaSession) {
    this.session = session;
  }

  /** Keeps a player chosen while spectating (the first, or the next when the one watched left); returns it. */
  update(): string | undefined {
    if (!this.session.spectating) return this.followed;
    const roster = everyone(this.session.state);
    if (this.followed === undefined || !roster?.get(this.followed)) this.next();
    return this.followed;
  }

  /** Watches the next player of the room. */
  next(): void {
    const ids: string[] = [];
    everyone(this.session.state)?.forEach((_, id) => ids.push(id));
    const chosen = nextFollowed(ids, this.followed);
    if (chosen === undefined || chosen === this.followed) return;
    this.followed = chosen;
    this.session.follow(chosen);
  }
}

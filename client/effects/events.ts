/**
 * Game events for sound and effects, found in one place. Each frame the
 * detector compares the state (every player's hp and `alive`, the match phase
 * and the time left) with the previous frame; the session's confirmed hits and
 * kills and the shots as they appear are passed in as they arrive. Sound and
 * effects consume the same events, so they never disagree, and nothing here is
 * invented: every event stands on a state change the server sent, a message it
 * sent, or a shot the client predicted with the server's own rules.
 *
 * Plain TypeScript over plain values (no Phaser, no DOM), so it runs in Node tests.
 */

/** Everything the game can react to. `own` marks events about the own player. */
export type GameEvent =
  /** A shot appeared: the own one when predicted, anyone else's when the server's projectile arrives. */
  | { kind: "shot"; owner: string; own: boolean; x: number; y: number; angle: number }
  /** A player's hp fell (it was hit, by anyone). */
  | { kind: "hurt"; id: string; own: boolean; damage: number }
  /** The server confirmed a hit by one of the own shots. */
  | { kind: "hitDealt"; victim: string }
  /** The own player killed `victim`. */
  | { kind: "kill"; victim: string }
  /** A player died (`alive` went false, or the server said the own player was killed). */
  | { kind: "death"; id: string; own: boolean }
  /** A player came back (`alive` went true). */
  | { kind: "respawn"; id: string; own: boolean }
  /** One of the last seconds before the next match starts (3, 2, 1). */
  | { kind: "countdown"; secondsLeft: number }
  /** The scoreboard ended and a match began. */
  | { kind: "matchStart" }
  /** The match ended and the scoreboard is up. */
  | { kind: "matchEnd" };

/** The kinds of `GameEvent`. */
export type GameEventKind = GameEvent["kind"];

/** What the detector reads of a player each frame. */
export interface ObservedPlayer {
  hp: number;
  alive: boolean;
}

/** What the detector reads of the room each frame: the same shapes as the decoded state. */
export interface ObservedFrame<P extends ObservedPlayer = ObservedPlayer> {
  players: { forEach(callback: (player: P, id: string) => void): void };
  phase: "playing" | "scoreboard";
  /** Whole seconds left in the current phase. */
  timeLeft: number;
}

/** The own hp at or under which the low-hp warning shows. */
export const LOW_HP = 25; // hp
/** The countdown speaks for the last this many seconds of the scoreboard. */
const COUNTDOWN_SECONDS = 3; // s

interface Tracked {
  hp: number;
  alive: boolean;
  /** The frame it was last seen in; players not seen are forgotten. */
  seenFrame: number;
}

/** Finds `GameEvent`s frame by frame and hands each to `emit` as it is found. */
export class GameEventDetector {
  private readonly emit: (event: GameEvent) => void;
  private readonly tracked = new Map<string, Tracked>();
  private frame = 0;
  private phase: "playing" | "scoreboard" | undefined;
  private timeLeft = 0;
  /** The own death was already announced (by the kill notice): the state's `alive` change must not repeat it. */
  private ownDeathAnnounced = false;
  private meId = "";

  constructor(emit: (event: GameEvent) => void) {
    this.emit = emit;
  }

  /**
   * Compares this frame's state with the last one. Players seen for the first
   * time and the first frame of all only set the baseline: joining a room in
   * progress is not a burst of events.
   */
  observe(frame: ObservedFrame, meId: string): void {
    this.meId = meId;
    const number = ++this.frame;
    frame.players.forEach((player, id) => this.observePlayer(player, id, number));
    for (const [id, last] of this.tracked) if (last.seenFrame !== number) this.tracked.delete(id);
    this.observeMatch(frame.phase, frame.timeLeft);
  }

  /** The own player is alive with hp at or under `LOW_HP`. */
  get ownLowHp(): boolean {
    const me = this.tracked.get(this.meId);
    return me !== undefined && me.alive && me.hp <= LOW_HP;
  }

  /** A shot appeared (see `GameEvent` "shot"); `angle` in radians. */
  shot(owner: string, x: number, y: number, angle: number): void {
    this.emit({ kind: "shot", owner, own: owner === this.meId, x, y, angle });
  }

  /** The server confirmed a hit by one of the own shots. */
  hitConfirmed(victim: string): void {
    this.emit({ kind: "hitDealt", victim });
  }

  /** The server announced a kill (anyone's); session ids. */
  killed(killer: string, victim: string): void {
    if (killer === this.meId && victim !== this.meId) this.emit({ kind: "kill", victim });
    if (victim !== this.meId) return;
    const me = this.tracked.get(this.meId);
    // Already dead in the state (the patch came first): the death was announced there.
    if (me && !me.alive) return;
    if (this.ownDeathAnnounced) return;
    this.ownDeathAnnounced = true;
    this.emit({ kind: "death", id: victim, own: true });
  }

  private observePlayer(player: ObservedPlayer, id: string, frame: number): void {
    const last = this.tracked.get(id);
    if (!last) {
      this.tracked.set(id, { hp: player.hp, alive: player.alive, seenFrame: frame });
      return;
    }
    last.seenFrame = frame;
    const own = id === this.meId;
    if (player.hp < last.hp && last.alive) this.emit({ kind: "hurt", id, own, damage: last.hp - player.hp });
    if (last.alive && !player.alive) {
      if (!(own && this.ownDeathAnnounced)) this.emit({ kind: "death", id, own });
      if (own) this.ownDeathAnnounced = false;
    } else if (!last.alive && player.alive) {
      if (own) this.ownDeathAnnounced = false;
      this.emit({ kind: "respawn", id, own });
    }
    last.hp = player.hp;
    last.alive = player.alive;
  }

  private observeMatch(phase: "playing" | "scoreboard", timeLeft: number): void {
    const lastPhase = this.phase;
    const lastTimeLeft = this.timeLeft;
    this.phase = phase;
    this.timeLeft = timeLeft;
    if (lastPhase === undefined) return;
    if (lastPhase === "playing" && phase === "scoreboard") this.emit({ kind: "matchEnd" });
    else if (lastPhase === "scoreboard" && phase === "playing") this.emit({ kind: "matchStart" });
    else if (phase === "scoreboard" && timeLeft !== lastTimeLeft && timeLeft >= 1 && timeLeft <= COUNTDOWN_SECONDS) {
      this.emit({ kind: "countdown", secondsLeft: timeLeft });
    }
  }
}

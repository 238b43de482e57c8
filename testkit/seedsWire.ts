/**
 * The wire of the seeds' baseline (bench/baseline/seedsServer.ts): JSON both
 * ways, the whole game every tick. Here because the network bots speak it too
 * (testkit/wsBots.ts).
 */
import type { ArenaView, MatchPhase, PlayerView, ProjectileView } from "../shared/protocol.ts";

/** A player as the seeds' method sends it: the velocity of every player to everyone. */
export type SeedsPlayer = PlayerView & { vx: number; vy: number };

/** What every client receives every tick: the whole game. */
export interface SeedsStateMessage {
  type: "state";
  tick: number;
  phase: MatchPhase;
  timeLeft: number;
  matchNumber: number;
  spectators: number;
  players: Record<string, SeedsPlayer>;
  projectiles: Record<string, ProjectileView>;
}

/** The first message a client receives. */
export interface SeedsWelcomeMessage {
  type: "welcome";
  /** The client's player id (a key of `players`). */
  id: string;
  tickHz: number;
}

/** A decoded state message in the shape the bot brain and `ArenaView` readers expect. */
export function seedsView(message: SeedsStateMessage): ArenaView {
  return {
    players: new Map(Object.entries(message.players)),
    projectiles: new Map(Object.entries(message.projectiles)),
    phase: message.phase,
    timeLeft: message.timeLeft,
    matchNumber: message.matchNumber,
    spectators: message.spectators,
  };
}

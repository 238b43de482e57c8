import type { MatchRules } from "../../shared/rules.ts";

/** How a baseline server is set up; both baselines take the same. */
export interface BaselineServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  rules: MatchRules;
  /** Match seed (spawn points). */
  seed: number;
  maxPlayers: number;
}

/** A running baseline server. */
export interface BaselineServer {
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  /** Disconnects everyone and closes the port. */
  close(): Promise<void>;
}

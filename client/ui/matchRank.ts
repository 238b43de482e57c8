import { profileFor } from "../net/profile.ts";

/** A match's result reaches the records a moment after it ends (the server writes it off its tick). */
const RESULT_DELAY_MS = 1500;

/**
 * The player's place on this week's kills board, for the end-of-match table:
 * asked for once each time the scoreboard phase begins, shown until the next
 * match starts. Empty without a profile, or while the answer is on its way.
 */
export class MatchRank {
  private readonly endpoint: string;
  private phase = "";
  private text = "";
  private asked = 0;

  constructor(endpoint: string) {
    this.endpoint = endpoint;
  }

  /** Call every frame with the match phase; the line to add under the table ("" until known). */
  line(phase: string): string {
    if (phase !== this.phase) {
      this.phase = phase;
      this.text = "";
      if (phase === "scoreboard") void this.fetch(++this.asked);
    }
    return this.text;
  }

  private async fetch(ask: number): Promise<void> {
    const profiles = profileFor(this.endpoint);
    if (!profiles.secret) return;
    await new Promise((resolve) => setTimeout(resolve, RESULT_DELAY_MS));
    try {
      const me = await profiles.me();
      const board = await profiles.leaderboard("kills", "week", me.id);
      const mine = board.around?.find((entry) => entry.id === me.id);
      if (mine && ask === this.asked && this.phase === "scoreboard") this.text = `You: #${mine.rank} this week (${mine.value} kills)`;
    } catch {
      // The rank is a nicety: without the records it is simply not shown.
    }
  }
}

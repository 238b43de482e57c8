/** A worker thread of a balance run (bench/lib/balanceRun.ts): plays the matches it is given, one task each. */
import { playBalanceMatch, type BalanceMatchOptions, type MatchStats } from "../../sim/balance/match.ts";

/** Plays one match; tinypool calls it with each task. */
export default function playMatch(options: BalanceMatchOptions): MatchStats {
  return playBalanceMatch(options);
}

import { ErrorCode, ServerError } from "@colyseus/core";
import type { RoomMetrics } from "../metrics.ts";
import { ArenaRoom } from "../rooms/ArenaRoom.ts";
import { describeTokenProblem, type GuestTokens } from "./tokens.ts";

/**
 * The arena room as this server defines it: joins need a valid guest token,
 * checked at matchmaking (`onAuth`); a refusal is counted in `metrics` and
 * answered with code 525 and the problem in words.
 */
export function arenaRoomWithTokens(tokens: GuestTokens, metrics: RoomMetrics): typeof ArenaRoom {
  return class GuardedArenaRoom extends ArenaRoom {
    static override async onAuth(token: string | undefined) {
      const check = tokens.check(token);
      if (check.ok) return check.claims;
      metrics.refused(`token_${check.problem}`);
      throw new ServerError(ErrorCode.AUTH_FAILED, describeTokenProblem(check.problem));
    }
  };
}

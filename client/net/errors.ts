import { CloseCode, ErrorCode, MatchMakeError, ServerError } from "@colyseus/sdk";
import { JoinError, KickCode } from "../../shared/protocol.ts";
import { REGISTRY_UNAVAILABLE, REGISTRY_UNAVAILABLE_STATUS } from "../../shared/registry.ts";

/** A refusal whose message is already a sentence for the player. */
export class RefusedError extends Error {
  override name = "RefusedError";
}

/**
 * True when a join was refused because the game's registry (Redis, behind a
 * deployment of several servers) is away: worth trying again in a few seconds.
 */
export function registryUnavailable(error: unknown): boolean {
  return (error instanceof ServerError || error instanceof MatchMakeError) && error.code === REGISTRY_UNAVAILABLE_STATUS;
}

/** The server's registry sentence as the player reads it. */
export const REGISTRY_UNAVAILABLE_SENTENCE = `${REGISTRY_UNAVAILABLE[0]!.toUpperCase()}${REGISTRY_UNAVAILABLE.slice(1)}.`;

/** Turns a failed join into a sentence for the player (never a stack trace). */
export function describeJoinError(error: unknown, endpoint: string): string {
  if (error instanceof RefusedError) return error.message;
  const code = error instanceof ServerError || error instanceof MatchMakeError ? error.code : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case JoinError.roomFull:
    case JoinError.spectatorsFull:
      return detail;
    case ErrorCode.MATCHMAKE_INVALID_ROOM_ID:
      return /locked/.test(detail)
        ? "That game is full. You can watch it instead."
        : "No game with that code: check it, or the game may have ended.";
    case ErrorCode.MATCHMAKE_EXPIRED:
      return `That seat is gone (${detail}). Try again.`;
    case ErrorCode.AUTH_FAILED:
      return `The server refused you: ${detail}`;
    case ErrorCode.MATCHMAKE_NO_HANDLER:
      return "This server does not host Arena rooms.";
    case REGISTRY_UNAVAILABLE_STATUS:
      return REGISTRY_UNAVAILABLE_SENTENCE;
    case undefined:
      return `Cannot reach the game server at ${endpoint}. Is it running? (${detail})`;
    default:
      return `The server could not seat you: ${detail} (code ${code})`;
  }
}

/** Says why a room connection ended, from its close code. */
export function describeLeave(code: number, reason?: string): string {
  switch (code) {
    case CloseCode.CONSENTED:
    case CloseCode.NORMAL_CLOSURE:
      return "You left the game.";
    case CloseCode.SERVER_SHUTDOWN:
      return "The server is shutting down. Join again to play on.";
    case CloseCode.FAILED_TO_RECONNECT:
      return "The connection was lost and could not be restored. Join again to play on.";
    case KickCode.invalidMessages:
      return "The server closed the connection: this client kept sending messages it does not accept.";
    case KickCode.messageFlood:
      return "The server closed the connection: this client sent too many messages too fast.";
    case KickCode.removed:
      return `A moderator took you out of the game (${reason || "no reason given"}).`;
    case 1009:
      return "The server closed the connection: this client sent a message larger than it accepts.";
    default:
      return `Disconnected from the server (code ${code}${reason ? `: ${reason}` : ""}).`;
  }
}

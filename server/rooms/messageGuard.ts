import type { Client } from "@colyseus/core";
import { INVALID_MESSAGE_WINDOW_SECONDS, ServerMessage, type MessageRejection } from "../../shared/protocol.ts";

/** The part of the Standard Schema interface (zod, valibot, arktype…) a guard needs: synchronous validation. */
export interface StandardSchema<Output> {
  readonly "~standard": {
    validate(value: unknown): { value: Output; issues?: undefined } | { issues: ReadonlyArray<{ message: string }> } | Promise<unknown>;
  };
}

/** Why a message was dropped (the `reason` label of arena_messages_rejected_total). */
export type RejectionKind = "unknown_type" | "invalid_payload" | "malformed_frame";

export interface MessageGuardHooks {
  now(): number;
  rejected(kind: RejectionKind): void;
  /** The client passed MAX_INVALID_MESSAGES: close it (the room uses KickCode.invalidMessages). */
  kick(client: Client, reason: string): void;
}

/**
 * Every client message, validated before a handler sees it. A message of an
 * unknown type, with a payload its schema refuses, or in a frame that does not
 * decode is dropped, counted, and answered with `messageRejected`; a client
 * that sends more than `maxInvalid` of them within
 * INVALID_MESSAGE_WINDOW_SECONDS is kicked.
 *
 * Why not Colyseus' own `validate()`: it closes the connection on the first
 * invalid payload with the generic code 4002 (which holds the seat for a
 * reconnect) and prints an error line per offender, log noise any client can
 * cause at will. The schemas are standard ones all the same.
 */
export class MessageGuard {
  private readonly maxInvalid: number;
  private readonly hooks: MessageGuardHooks;
  /** Per client: when (ms) each recent invalid message came. */
  private readonly strikes = new Map<string, number[]>();

  constructor(maxInvalid: number, hooks: MessageGuardHooks) {
    this.maxInvalid = maxInvalid;
    this.hooks = hooks;
  }

  /** A handler that runs only with payloads `schema` accepts, parsed by it. */
  validated<Payload>(type: string, schema: StandardSchema<Payload>, handler: (client: Client, payload: Payload) => void) {
    return (client: Client, payload: unknown): void => {
      const result = schema["~standard"].validate(payload);
      if (result instanceof Promise) throw new Error(`the schema for "${type}" is asynchronous; message schemas must validate synchronously`);
      if (result.issues) {
        this.strike(client, "invalid_payload", { type, reason: `Invalid "${type}" message: ${result.issues.map((issue) => issue.message).join("; ")}` });
        return;
      }
      handler(client, result.value as Payload);
    };
  }

  /** A message type no handler knows. */
  unknownType(client: Client, type: unknown): void {
    const shown = String(type).slice(0, 32);
    this.strike(client, "unknown_type", { type: shown, reason: `Unknown message type "${shown}".` });
  }

  /** A frame that did not decode (truncated, garbage, a protocol code clients may not send). */
  malformedFrame(client: Client): void {
    this.strike(client, "malformed_frame", { type: "", reason: "A frame could not be decoded." });
  }

  forget(sessionId: string): void {
    this.strikes.delete(sessionId);
  }

  private strike(client: Client, kind: RejectionKind, rejection: MessageRejection): void {
    this.hooks.rejected(kind);
    const now = this.hooks.now();
    const recent = (this.strikes.get(client.sessionId) ?? []).filter((at) => now - at < INVALID_MESSAGE_WINDOW_SECONDS * 1000);
    recent.push(now);
    this.strikes.set(client.sessionId, recent);
    if (recent.length > this.maxInvalid) {
      this.strikes.delete(client.sessionId);
      this.hooks.kick(client, `${recent.length} invalid messages within ${INVALID_MESSAGE_WINDOW_SECONDS} s`);
      return;
    }
    client.send(ServerMessage.messageRejected, rejection);
  }
}

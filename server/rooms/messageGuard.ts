import { Protocol, type Client } from "@colyseus/core";
import { decode } from "@colyseus/schema";
import type { SecurityConfig } from "../securityConfig.ts";
import { unpack } from "msgpackr";
import { INVALID_MESSAGE_WINDOW_SECONDS, KickCode, protocolCode, ServerMessage, type MessageRejection } from "../../shared/protocol.ts";

/** The part of the Standard Schema interface (zod, valibot, arktype…) a guard needs: synchronous validation. */
export interface StandardSchema<Output> {
  readonly "~standard": {
    validate(value: unknown): { value: Output; issues?: undefined } | { issues: ReadonlyArray<{ message: string }> } | Promise<unknown>;
  };
}

/** The protocol codes a client may send; Colyseus silently ignores any other, the guard counts them. */
const CLIENT_CODES: ReadonlySet<number> = new Set([
  Protocol.JOIN_ROOM, Protocol.LEAVE_ROOM, Protocol.ROOM_DATA, Protocol.ROOM_DATA_BYTES, Protocol.PING,
  Protocol.ROOM_INPUT_RELIABLE, Protocol.ROOM_INPUT_UNRELIABLE, Protocol.ROOM_REQUEST,
]);

/** Why a message was dropped (the `reason` label of arena_messages_rejected_total). */
export type RejectionKind = "unknown_type" | "invalid_payload" | "malformed_frame";

export interface MessageGuardHooks {
  now(): number;
  rejected(kind: RejectionKind): void;
  /** The client broke a limit: close it with `code` (a KickCode). */
  kick(client: Client, code: number, reason: string): void;
}

/** Frames per second per client (MAX_MESSAGES_PER_SECOND), invalid messages per INVALID_MESSAGE_WINDOW_SECONDS (MAX_INVALID_MESSAGES). */
export type MessageLimits = Pick<SecurityConfig, "maxMessagesPerSecond" | "maxInvalidMessages">;

/**
 * Every frame and message a client sends, checked before anything acts on it:
 *
 * - `admit` screens raw frames before Colyseus decodes them: a client over
 *   the frame rate is kicked with 4429; a frame that is empty, carries a
 *   protocol code clients may not send, or whose message does not decode is
 *   dropped as malformed.
 * - `validated` checks a message's payload against its Standard Schema before
 *   the handler runs; `unknownType` answers types no handler knows.
 *
 * Whatever is dropped is counted and answered with `messageRejected`; a client
 * that sends more than `maxInvalidMessages` such within
 * INVALID_MESSAGE_WINDOW_SECONDS is kicked with 4400.
 *
 * Why not Colyseus' own `validate()` and `maxMessagesPerSecond`: both close
 * the connection with the generic code 4002, through the path that holds the
 * seat for a reconnect, and an undecodable message is logged as an error: log
 * noise any client can cause at will. The schemas are standard ones all the same.
 */
export class MessageGuard {
  private readonly limits: MessageLimits;
  private readonly hooks: MessageGuardHooks;
  /** Per client: when (ms) each recent invalid message came. */
  private readonly strikes = new Map<string, number[]>();
  /** Per client: frames in the current one-second window, and when it ends. */
  private readonly rates = new Map<string, { frames: number; until: number }>();
  /** Per client: the close code of a WebSocket protocol fault. */
  private readonly faults = new Map<string, number>();

  constructor(limits: MessageLimits, hooks: MessageGuardHooks) {
    this.limits = limits;
    this.hooks = hooks;
  }

  /**
   * Notes when the transport closes `client` for breaking the WebSocket
   * protocol: the server then sees an abnormal close (1006), since a client
   * that is still pushing a huge frame never completes the close handshake.
   */
  watchProtocolFaults(client: Client): void {
    client.ref.on("error", (error: { code?: unknown }) => {
      if (typeof error.code !== "string" || !error.code.startsWith("WS_ERR_")) return;
      this.faults.set(client.sessionId, error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" ? 1009 : error.code === "WS_ERR_INVALID_UTF8" ? 1007 : 1002);
    });
  }

  /** The WebSocket close code of the protocol fault `sessionId` committed, if any (1002, 1007 or 1009). */
  protocolFault(sessionId: string): number | undefined {
    return this.faults.get(sessionId);
  }

  /** True when Colyseus may decode `frame`; otherwise it has been dealt with here. */
  admit(client: Client, frame: Uint8Array): boolean {
    const now = this.hooks.now();
    let rate = this.rates.get(client.sessionId);
    if (!rate || now >= rate.until) this.rates.set(client.sessionId, rate = { frames: 0, until: now + 1000 });
    if (++rate.frames > this.limits.maxMessagesPerSecond) {
      this.forget(client.sessionId);
      this.hooks.kick(client, KickCode.messageFlood, `more than ${this.limits.maxMessagesPerSecond} messages per second`);
      return false;
    }
    if (frame.length === 0 || !CLIENT_CODES.has(protocolCode(frame[0])) || !decodesAsMessage(frame)) {
      this.malformedFrame(client);
      return false;
    }
    return true;
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

  /** A frame that did not decode (empty, garbage, a protocol code clients may not send). */
  malformedFrame(client: Client): void {
    this.strike(client, "malformed_frame", { type: "", reason: "A frame could not be decoded." });
  }

  forget(sessionId: string): void {
    this.strikes.delete(sessionId);
    this.rates.delete(sessionId);
    this.faults.delete(sessionId);
  }

  private strike(client: Client, kind: RejectionKind, rejection: MessageRejection): void {
    this.hooks.rejected(kind);
    const now = this.hooks.now();
    const recent = (this.strikes.get(client.sessionId) ?? []).filter((at) => now - at < INVALID_MESSAGE_WINDOW_SECONDS * 1000);
    recent.push(now);
    this.strikes.set(client.sessionId, recent);
    if (recent.length > this.limits.maxInvalidMessages) {
      this.forget(client.sessionId);
      this.hooks.kick(client, KickCode.invalidMessages, `${recent.length} invalid messages within ${INVALID_MESSAGE_WINDOW_SECONDS} s`);
      return;
    }
    client.send(ServerMessage.messageRejected, rejection);
  }
}

/**
 * For the frames that carry a message (ROOM_DATA, ROOM_REQUEST, ROOM_DATA_BYTES):
 * whether its type and payload decode the way Colyseus will decode them (a
 * request id, a string or number type, then msgpack). Other frames pass.
 */
function decodesAsMessage(frame: Uint8Array): boolean {
  const code = protocolCode(frame[0]);
  if (code !== Protocol.ROOM_DATA && code !== Protocol.ROOM_REQUEST && code !== Protocol.ROOM_DATA_BYTES) return true;
  try {
    const it = { offset: 1 };
    if (code === Protocol.ROOM_REQUEST && !Number.isFinite(decode.number(frame as Buffer, it))) return false;
    const type = decode.stringCheck(frame as Buffer, it) ? decode.string(frame as Buffer, it) : decode.number(frame as Buffer, it);
    if (it.offset > frame.length || (typeof type === "number" && !Number.isFinite(type))) return false;
    if (code !== Protocol.ROOM_DATA_BYTES && frame.length > it.offset) unpack(frame.subarray(it.offset));
    return true;
  } catch {
    return false;
  }
}

/**
 * Closes after which no seat is held: our kicks, and the WebSocket protocol
 * violations the transport closes on (1002 protocol error, 1007 invalid data,
 * 1009 frame over MAX_FRAME_BYTES), which no honest client commits.
 */
const KICK_CODES: ReadonlySet<number> = new Set([...Object.values(KickCode), 1002, 1007, 1009]);

/** A close code after which the room holds no seat (see KICK_CODES). */
export function isKickCode(code: number): boolean {
  return KICK_CODES.has(code);
}

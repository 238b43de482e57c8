import type { Room } from "@colyseus/sdk";
import { ServerMessage } from "../../shared/protocol.ts";
import { redirectReconnection, tapConnection, type AddressedConnection, type TappableConnection } from "./sdkSeams.ts";

/** How many times a client asks the matchmaker where its moved room is, and the first pause between (ms; it grows linearly). */
const FOLLOW_ATTEMPTS = 5;
const FOLLOW_RETRY_MS = 100;
/** How long one question to the matchmaker may take before it counts as failed (ms). */
const MATCHMAKER_TIMEOUT_MS = 2000;

/** Where a seat is now, as the matchmaker answers `POST /matchmake/reconnect/<roomId>`. */
export interface SeatWhereabouts {
  roomId: string;
  sessionId: string;
  processId: string;
  /** The process's PUBLIC_ADDRESS (host[:port][/path]); absent when it answers at the matchmaker's own address. */
  publicAddress?: string;
}

/**
 * Asks the matchmaker at `endpoint` (the address the page was loaded from)
 * where room `roomToken`'s seat now is: `roomToken` is `room.reconnectionToken`
 * (`<roomId>:<token>`). The token is checked by the process that holds the
 * room and not spent: the reconnection itself spends it. Rejects when the
 * matchmaker refuses (an expired or forged token, a room gone).
 */
export async function whereIsSeat(endpoint: string, roomToken: string): Promise<SeatWhereabouts> {
  const [roomId, reconnectionToken] = roomToken.split(":");
  const response = await fetch(`${endpoint}/matchmake/reconnect/${roomId}`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ reconnectionToken }),
    signal: AbortSignal.timeout(MATCHMAKER_TIMEOUT_MS),
  });
  const answer = await response.json() as SeatWhereabouts & { error?: string };
  if (!response.ok || answer.error !== undefined) throw new Error(answer.error ?? `matchmaker answered ${response.status}`);
  return answer;
}

/** The room socket URL of `seat`, reached through `endpoint`'s scheme (ws or wss). */
export function roomSocketUrl(endpoint: string, seat: SeatWhereabouts): URL {
  const matchmaker = new URL(endpoint);
  const scheme = matchmaker.protocol === "https:" ? "wss:" : "ws:";
  const address = seat.publicAddress ?? `${matchmaker.host}${matchmaker.pathname.replace(/\/$/, "")}`;
  return new URL(`${scheme}//${address}/${seat.processId}/${seat.roomId}`);
}

/**
 * Follows `room` when the server moves it to another process, wherever that
 * listens (issue "Deploys anywhere"). The old process says `roomMoving`, then
 * closes the socket with 4010, on which the SDK starts reconnecting, by itself,
 * to the URL it joined. On `roomMoving` this asks the matchmaker at `endpoint`
 * where the seat is now and points the SDK's next attempt there: the same Room
 * object, session id, state, prediction and interpolation carry on, and only
 * the socket's address changes. Should the answer come after an attempt, the
 * SDK's next one (its backoff, 100 ms on) goes to the new address; should the
 * matchmaker not answer, the SDK keeps trying the old URL, which a successor
 * sharing the port answers. The socket's close is held back from the SDK
 * until the matchmaker's first answer (seam 1), so its first attempt goes to
 * the new address. `endpoint` may be a function, asked at each move
 * (a bot picking a process that is not draining). Returns the function that stops following.
 */
export function followRoomMoves(room: Room, endpoint: string | (() => string), onError: (error: Error) => void = () => {}): () => void {
  let following = true;
  /** Settles once the matchmaker's first answer is in, or its first question failed. */
  let firstAnswer: Promise<void> | undefined;
  const follow = async (answered: () => void) => {
    const matchmaker = typeof endpoint === "string" ? endpoint : endpoint();
    // A load balancer may still send a request to the process that is draining: ask again, a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        const seat = await whereIsSeat(matchmaker, room.reconnectionToken);
        if (following && seat.sessionId === room.sessionId) {
          redirectReconnection(room.connection as unknown as AddressedConnection, roomSocketUrl(matchmaker, seat));
        }
        return;
      } catch (error) {
        if (attempt >= FOLLOW_ATTEMPTS || !following) throw error;
        answered();
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_RETRY_MS * attempt));
      }
    }
  };
  // The close that follows roomMoving is held until the matchmaker's first answer, so the SDK's first
  // attempt, 100-200 ms after it hears of the close, already goes to the new address: let through at
  // once, it would go to the old one and the next wait for the SDK's backoff. Held no longer than
  // that: where the matchmaker is the old address itself (one process restarted in place), its
  // successor answers the SDK there while the questions go on.
  const untap = tapConnection(room.connection as unknown as TappableConnection, {
    closed(event, forward) {
      if (!firstAnswer) return forward(event);
      void firstAnswer.finally(() => forward(event));
    },
  });
  room.onMessage(ServerMessage.roomMoving, () => {
    let answered = () => {};
    const first = new Promise<void>((resolve) => { answered = resolve; });
    firstAnswer = first;
    follow(answered)
      .catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))))
      .finally(answered);
    void first.finally(() => { if (firstAnswer === first) firstAnswer = undefined; });
  });
  const stop = () => {
    following = false;
    untap();
  };
  room.onLeave(stop);
  return stop;
}

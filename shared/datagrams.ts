/**
 * The datagram channel's contract (docs/contract.md, "Datagrams"): the
 * messages that set a WebRTC DataChannel up over the room's own WebSocket, and
 * the timings both ends keep. Colyseus' own frames ride the channel unchanged
 * (`@unreliable` state patches one way, `mode: "unreliable"` inputs the
 * other); these are the only additions.
 *
 * The server offers, the client answers, then the server sends its
 * candidates: the server's DTLS fingerprint and its addresses reach the
 * client over the authenticated WebSocket, and the client's fingerprint comes
 * back the same way before the client knows where to send a datagram, so only
 * the DTLS peer that answered can use the channel. The server takes no candidate from a client:
 * it answers connectivity checks where they come from, and never sends to an
 * address a client names.
 */

/** Room message types of the signalling, each a plain Colyseus message on the WebSocket. */
export const DatagramMessage = {
  /** Client → server, no payload: open (or re-open) this client's channel. Answered by `offer`. */
  open: "datagram:open",
  /** Server → client, `{ sdp: string }`: the server's SDP offer, without candidates. */
  offer: "datagram:offer",
  /** Client → server, `{ sdp: string }`: the client's SDP answer (candidates in it are ignored). */
  answer: "datagram:answer",
  /**
   * Server → client, `{ candidates: string[], mid: string }`, once the answer
   * is in: every address the server answers on (`candidate:` lines, for
   * `addIceCandidate`). Sent last so that no check of the client's reaches
   * the server before it knows the client's DTLS fingerprint.
   */
  candidates: "datagram:candidates",
  /** Server → client, `{ reason: string }`: this process has no datagrams ("off", or "no UDP port"); play over the WebSocket. */
  unavailable: "datagram:unavailable",
} as const;

/** The payload of `datagram:offer` and `datagram:answer`. */
export interface SessionDescriptionMessage {
  sdp: string;
}

/** The payload of `datagram:candidates`. */
export interface CandidatesMessage {
  candidates: string[];
  /** The media id of the offer's data section, for each candidate. */
  mid: string;
}

/** The longest SDP a server accepts in an answer (characters); a browser's is under a kilobyte. */
export const MAX_ANSWER_SDP_LENGTH = 3000;

/** The DataChannel's label: one per peer connection, unordered, never retransmitted. */
export const DATAGRAM_CHANNEL_LABEL = "arena-datagrams";

/**
 * A one-byte datagram that keeps a quiet channel proven alive. No Colyseus
 * frame starts with 0 (protocol codes start at 10), so neither end can take
 * it for one; it never reaches a room or a decoder.
 */
export const KEEPALIVE_BYTE = 0;

/** Each end sends a keepalive when it has sent nothing on the channel for this long. */
export const KEEPALIVE_INTERVAL_MS = 250; // ms
/**
 * Each end gives the channel up after hearing nothing on it for this long,
 * and plays on over the WebSocket (the client tries again later). Four
 * keepalives missed in a row: no loss a game survives looks like that.
 */
export const SILENCE_LIMIT_MS = 1000; // ms
/** A client gives up on a channel that has not opened this long after asking, and plays over the WebSocket. */
export const OPEN_TIMEOUT_MS = 3000; // ms
/** The server ignores a second `open` from one client sooner than this after the previous one (each makes a peer connection). */
export const MIN_REOPEN_INTERVAL_MS = 1000; // ms

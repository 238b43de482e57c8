/**
 * The public contract between the server and any client (the browser game,
 * bots, tests). Field and message names here are part of it: change them only
 * on purpose, together with the README.
 */

import { wrapAngle } from "./geometry.ts";

/** Name of the game room type to join. */
export const ROOM_NAME = "arena";

/**
 * One player input, sent with `room.input()` once per fixed tick. Deliberately
 * absent: a `dt` or a client clock (the server's fixed step is the only time
 * there is) and positions (the server simulates them).
 */
export interface PlayerInput {
  /** Horizontal move intent, −1 (left) … 1 (right). */
  moveX: number;
  /** Vertical move intent, −1 (up) … 1 (down). */
  moveY: number;
  /** Aim direction in radians, 0 = +x, π/2 = +y (down the screen). */
  aim: number;
  /** Trigger held. */
  fire: boolean;
}

/**
 * Brings a decoded input into its legal domain in place: move axes clamped to
 * −1…1, aim wrapped into [−π, π), anything non-finite zeroed. The server runs
 * it on every input before the simulation reads it; a hostile value becomes a
 * legal one rather than an error.
 */
export function sanitizeInput(input: PlayerInput): void {
  input.moveX = clampAxis(input.moveX);
  input.moveY = clampAxis(input.moveY);
  input.aim = wrapAngle(input.aim);
  input.fire = input.fire === true;
}

function clampAxis(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return value < -1 ? -1 : value > 1 ? 1 : value;
}

/** The idle input: no movement, aim to the right, trigger released. */
export const IDLE_INPUT: Readonly<PlayerInput> = Object.freeze({ moveX: 0, moveY: 0, aim: 0, fire: false });

/** `playing` while a match runs; `scoreboard` between matches. */
export type MatchPhase = "playing" | "scoreboard";

/** Options a client may pass when joining `"arena"`. */
export interface JoinOptions {
  name?: string;
  /** Watch instead of play: no seat, no inputs; the whole state is received. */
  spectate?: boolean;
  /** On `create`: a private room, never listed or matched, joined by its code (which is its room id). */
  private?: boolean;
  /** The large mode: the world units this client shows across and down (`shared/largeMode.ts` clamps them). */
  view?: { width: number; height: number };
}

/** The kinds of game room: the 16-player arena, and the large mode (`shared/largeMode.ts`). */
export type GameMode = "arena" | "large";

/**
 * What the lobby lists for each public room (its metadata): seats, the match
 * and, for a private room (never listed), its code.
 */
export interface RoomListing {
  /** The room's kind: `"arena"`, or the large mode's `"large"`. */
  mode: GameMode;
  players: number;
  maxPlayers: number;
  spectators: number;
  phase: MatchPhase;
  timeLeft: number;
  /** True while a player seat is free. */
  open: boolean;
}

/** Name of the lobby room (Colyseus' LobbyRoom), which streams the list of public arena rooms. */
export const LOBBY_ROOM_NAME = "lobby";

/** Errors a join can fail with, beyond Colyseus' own. */
export const JoinError = {
  /** Every player seat is taken: watch instead (`spectate`), or try another room. */
  roomFull: 4401,
  /** Every spectator seat is taken too. */
  spectatorsFull: 4402,
} as const;

/** Message types a client may send with `room.send(type, payload)`. */
export const ClientMessage = {
  /** `{ text: string }`: a chat line for everyone in the room. */
  chat: "chat",
  /** No payload: a spectator asks for a free player seat; answered by a new player or `seatRefused`. */
  takeSeat: "takeSeat",
  /** `{ sessionId: string, reason: string }`: reports another player to the moderators; answered by `notice`. */
  report: "report",
} as const;

/** Message types the server sends. */
export const ServerMessage = {
  /** `{ from: string, text: string }`: a chat line; `from` is a player's name or "" for the server. */
  chat: "chat",
  /** `{ killer: string, victim: string }`: session ids, for the kill feed. */
  kill: "kill",
  /** `{ victim: string, projectile: string }`, to the shooter only: its projectile (state key) hit `victim`. */
  hit: "hit",
  /** `{ reason: string }`: a spectator's inputs are ignored (sent once). */
  inputRefused: "inputRefused",
  /** `{ reason: string }`: `takeSeat` could not be granted. */
  seatRefused: "seatRefused",
  /** `{ reason: string }`: the client's chat line was not sent, and why. */
  chatRejected: "chatRejected",
  /**
   * `{ seconds: number }`: the server is shutting down; the room closes with
   * code 4001 (SERVER_SHUTDOWN) after that many seconds. Rejoin to play on.
   */
  serverClosing: "serverClosing",
  /**
   * `{}`: the room is moving to another server process, mid-match (a deploy):
   * the connection closes next with code 4010 and the SDK's own reconnection
   * brings the client back to the same room, seat and score, at the same address.
   */
  roomMoving: "roomMoving",
  /**
   * `{ type: string, reason: string }`: a message the client sent was dropped
   * (unknown type, invalid payload, undecodable frame). A client that keeps
   * sending them is closed with `KickCode.invalidMessages`.
   */
  messageRejected: "messageRejected",
  /** `{ text: string }`: a word from the moderators or the server to this client alone (a warning, a mute, a rename, a report received). */
  notice: "notice",
} as const;

/**
 * Close codes the server ends a game connection with when the client broke a
 * rule; the seat is freed at once (no reconnection). Colyseus' own codes are
 * 4000 (left), 4001 (server shutting down), 4002 (error) and 4003 (reconnect
 * refused); a frame over the size limit closes with WebSocket's 1009.
 */
export const KickCode = {
  /** More than MAX_INVALID_MESSAGES unknown or invalid messages within INVALID_MESSAGE_WINDOW_SECONDS. */
  invalidMessages: 4400,
  /** More than MAX_MESSAGES_PER_SECOND frames within one second. */
  messageFlood: 4429,
  /** Kicked or banned by a moderator; the close reason says which, and why ("banned until …: reason"). */
  removed: 4403,
} as const;

/** The window over which invalid messages are counted against MAX_INVALID_MESSAGES. */
export const INVALID_MESSAGE_WINDOW_SECONDS = 10; // s

/** Join errors for tokens: matchmaking answers Colyseus' AUTH_FAILED with a message naming the problem. */
export const AUTH_FAILED = 525;

/** `POST /auth/guest` `{ name? }` and `POST /auth/refresh` (with the old token) answer this. */
export interface GuestToken {
  /** Send it as `Authorization: Bearer <token>` (the SDK: `client.auth.token = token`). */
  token: string;
  /** The name it carries, cleaned; "" if none was asked for or it was not valid. */
  name: string;
  /** ms since the epoch. */
  expiresAt: number;
}

export interface MessageRejection {
  type: string;
  reason: string;
}

export interface ChatBroadcast {
  from: string;
  text: string;
}

/** Chat lines are trimmed and must then be 1 to this many characters. */
export const CHAT_MAX_LENGTH = 200; // characters
/** Each client may send this many chat lines per CHAT_WINDOW_SECONDS. */
export const CHAT_BURST = 5; // lines
export const CHAT_WINDOW_SECONDS = 5; // s

export interface KillNotice {
  killer: string;
  victim: string;
}

/**
 * What a player looks like on the wire (the schema's synchronised fields).
 * Numbers travel at the precision of `shared/precision.ts`: positions in
 * 1/32 u, velocities in 1/64 u/s, the facing in 256 directions. The fields in
 * UNRELIABLE_PLAYER_FIELDS ride the unreliable channel; a player who stops is
 * still drawn where it stopped within 100 ms when one of them is lost.
 */
export interface PlayerView {
  name: string;
  x: number;
  y: number;
  /** Where the player faces (radians, [−π, π), 256 directions): for drawing; shots fly along the input's aim. */
  aim: number;
  hp: number;
  score: number;
  deaths: number;
  alive: boolean;
  shielded: boolean;
  /** False while the player's connection is lost and its seat is held. */
  connected: boolean;
  /** Played by the server's bot brain. */
  bot: boolean;
  /** The weapon's reload in inputs: sent to the player itself only (absent for everyone else). */
  reloadTicks?: number;
  /** The player's body for its own prediction: sent to the player itself only (absent for everyone else). */
  body?: PlayerBodyView;
  color: number;
}

/**
 * The own player's body, on the reliable channel with the acknowledgement of
 * the inputs that made it: what its prediction is checked against. Velocity
 * in u/s.
 */
export interface PlayerBodyView {
  x: number;
  y: number;
  vx: number;
  vy: number;
  alive: boolean;
}

/** The player fields that change every tick and ride the unreliable channel (datagrams, when a client has them). */
export const UNRELIABLE_PLAYER_FIELDS = ["x", "y", "aim"] as const;

/** The own player as its client receives it: with the fields sent to it alone. */
export interface OwnPlayerView extends PlayerView {
  reloadTicks: number;
  body: PlayerBodyView;
}

/**
 * A projectile, sent once when fired and removed when it hits something or
 * expires; never updated in between. It flies straight: at server time T it
 * is at (x, y) + (vx, vy) · (T − bornMs) / 1000 until a wall stops it (the
 * shared `flyProjectile` computes exactly that, walls included).
 */
export interface ProjectileView {
  /** Where it was at `bornMs` (u). */
  x: number;
  y: number;
  /** Velocity (u/s). */
  vx: number;
  vy: number;
  owner: string;
  /** Server time (ms since the room started) of the tick that fired it. */
  bornMs: number;
}

/** Read-only collection as the client's decoder exposes it. */
export interface ViewMap<T> {
  get(key: string): T | undefined;
  forEach(callback: (value: T, key: string) => void): void;
  readonly size: number;
}

/** The room state as clients see it. */
export interface ArenaView {
  players: ViewMap<PlayerView>;
  projectiles: ViewMap<ProjectileView>;
  phase: MatchPhase;
  /** Whole seconds left in the current phase. */
  timeLeft: number;
  matchNumber: number;
  /** How many are watching. */
  spectators: number;
}

/**
 * The Colyseus protocol code carried by a frame's first byte: its low five
 * bits. The high three carry modifiers (such as TIMED on state patches), so a
 * code is compared only after they are stripped. Compare it with Colyseus'
 * own `Protocol` values.
 */
export function protocolCode(firstByte: number): number {
  return firstByte & 0x1f;
}

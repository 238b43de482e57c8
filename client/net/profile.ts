/**
 * The player's profile on a server: its long-lived secret, kept in this
 * browser's localStorage (one per server), and the player-data API
 * (docs/players.md). The secret is what makes the next visit the same player;
 * the short-lived join token is made from it (`GuestAuth`).
 */
import type { Board, HistoryEntry, LeaderboardPage, Period } from "../../shared/playerApi.ts";

/** What `GET /api/me` answers. */
export interface MyProfile {
  id: string;
  name: string;
  username: string | null;
  claimed: boolean;
  totals: { matches: number; wins: number; kills: number; deaths: number; score: number; secondsPlayed: number };
}

const storageKey = (endpoint: string) => `arena.profile.${endpoint}`;

/** The storage the page has; none in Node (bots, tests) or a locked-down browser. */
function storage(): Storage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** A refusal from the API, with the server's own words. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The player-data API of one server, as this browser's profile. */
export class ProfileClient {
  readonly endpoint: string;
  private creating: Promise<string | undefined> | undefined;

  constructor(endpoint: string) {
    this.endpoint = endpoint;
  }

  /** The stored secret, if this browser has a profile here. */
  get secret(): string | undefined {
    return storage()?.getItem(storageKey(this.endpoint)) ?? undefined;
  }

  /** The secret, creating the profile on the first visit; undefined when the server cannot make one now. */
  async ensureSecret(name?: string): Promise<string | undefined> {
    const stored = this.secret;
    if (stored || !storage()) return stored;
    this.creating ??= this.request<{ secret: string }>("POST", "/auth/profile", name ? { name } : {})
      .then((made) => {
        storage()?.setItem(storageKey(this.endpoint), made.secret);
        return made.secret;
      }, () => undefined)
      .finally(() => { this.creating = undefined; });
    return this.creating;
  }

  /** Forgets the stored secret (it no longer opens a profile, or the player deleted it). */
  forget(): void {
    storage()?.removeItem(storageKey(this.endpoint));
  }

  me(): Promise<MyProfile> {
    return this.request("GET", "/api/me", undefined, true);
  }

  matches(id: string): Promise<{ matches: HistoryEntry[] }> {
    return this.request("GET", `/api/players/${encodeURIComponent(id)}/matches`);
  }

  leaderboard(board: Board, period: Period, around?: string): Promise<LeaderboardPage> {
    const query = new URLSearchParams({ board, period, limit: "100" });
    if (around) query.set("around", around);
    return this.request("GET", `/api/leaderboard?${query}`);
  }

  claim(username: string, password: string): Promise<{ username: string }> {
    return this.request("POST", "/auth/claim", { username, password }, true);
  }

  /** Logs in as a claimed profile: this browser keeps the new secret from then on. */
  async login(username: string, password: string): Promise<void> {
    const answer = await this.request<{ secret: string }>("POST", "/auth/login", { username, password });
    storage()?.setItem(storageKey(this.endpoint), answer.secret);
  }

  /** Deletes the profile and its personal data on the server, and forgets it here. */
  async deleteProfile(): Promise<void> {
    await this.request("DELETE", "/api/me", undefined, true);
    this.forget();
  }

  /** The server's URL for a path it answered (a replay's `replayUrl`). */
  url(path: string): string {
    return `${this.endpoint}${path}`;
  }

  private async request<T>(method: string, path: string, body?: unknown, asMe = false): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (asMe) {
      const secret = this.secret;
      if (!secret) throw new ApiError(401, "You have no profile here yet: play a match first.");
      headers.authorization = `Bearer ${secret}`;
    }
    const response = await fetch(`${this.endpoint}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = await response.json().catch(() => ({})) as T & { error?: string };
    if (!response.ok) throw new ApiError(response.status, answer.error ?? `The server answered HTTP ${response.status}.`);
    return answer;
  }
}

const clients = new Map<string, ProfileClient>();
/** The profile client of this page for `endpoint`. */
export function profileFor(endpoint: string): ProfileClient {
  let client = clients.get(endpoint);
  if (!client) clients.set(endpoint, client = new ProfileClient(endpoint));
  return client;
}

import { Client } from "@colyseus/sdk";
import type { GuestToken } from "../../shared/protocol.ts";
import { RefusedError } from "./errors.ts";
import { profileFor, type ProfileClient } from "./profile.ts";

/** A token with less than this left is refreshed before it is used. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * A guest token for one server, kept fresh: fetched from `POST /auth/guest` on
 * first use, renewed through `POST /auth/refresh` when less than a minute is
 * left (or fetched anew if it has run out), so a client never joins with a
 * stale token. Works in browsers and in Node (global `fetch`).
 */
export class GuestAuth {
  private readonly endpoint: string;
  private readonly name: string | undefined;
  private readonly profile: ProfileClient | undefined;
  private current: GuestToken | undefined;
  /** The profile secret the current token was made from. */
  private madeFrom: string | undefined;
  private pending: Promise<GuestToken> | undefined;

  /** With `profile`, tokens are made from that player profile (created on first use), so matches count for it. */
  constructor(endpoint: string, name?: string, profile?: ProfileClient) {
    this.endpoint = endpoint;
    this.name = name;
    this.profile = profile;
  }

  /** A token valid for at least a minute more. */
  async token(): Promise<string> {
    // Logged in as another profile (or deleted it) since: the old token speaks for the wrong player.
    if (this.profile && this.profile.secret !== this.madeFrom) this.current = undefined;
    const current = this.current;
    if (current && current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.token;
    // One request at a time, however many joins ask at once.
    this.pending ??= this.renew(current).finally(() => { this.pending = undefined; });
    this.current = await this.pending;
    return this.current.token;
  }

  /** An SDK client that sends the token with its matchmaking requests. */
  async client(): Promise<Client> {
    const client = new Client(this.endpoint);
    client.auth.token = await this.token();
    return client;
  }

  private async renew(current: GuestToken | undefined): Promise<GuestToken> {
    if (current && current.expiresAt > Date.now()) {
      const refreshed = await this.post("/auth/refresh", undefined, current.token).catch(() => undefined);
      if (refreshed) return refreshed;
    }
    const secret = await this.profile?.ensureSecret(this.name);
    const issued = await this.post("/auth/guest", { name: this.name, profile: secret });
    // A secret that no longer opens a profile (deleted, or the server's records were reset): a new profile next time.
    if (secret && issued.profileUnknown) this.profile?.forget();
    this.madeFrom = this.profile?.secret;
    return issued;
  }

  private async post(path: string, body: unknown, bearer?: string): Promise<GuestToken & { profileId?: string; profileUnknown?: boolean }> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch(`${this.endpoint}${path}`, { method: "POST", headers, body: JSON.stringify(body ?? {}) });
    const answer = await response.json().catch(() => ({})) as Partial<GuestToken> & { error?: string; profileId?: string; profileUnknown?: boolean };
    if (!response.ok || typeof answer.token !== "string" || typeof answer.expiresAt !== "number") {
      throw new RefusedError(answer.error ?? `The server would not let you in (HTTP ${response.status} from ${path}).`);
    }
    return { token: answer.token, name: answer.name ?? "", expiresAt: answer.expiresAt, profileId: answer.profileId, profileUnknown: answer.profileUnknown === true };
  }
}

/** An SDK client for `endpoint` carrying a fresh guest token (for one-off joins: bots, tests, tools). */
export function guestClient(endpoint: string, name?: string): Promise<Client> {
  return new GuestAuth(endpoint, name).client();
}

/**
 * One guest identity per server for the life of the page: its token is reused
 * and refreshed across joins, and made from this browser's player profile.
 */
const guestAuths = new Map<string, GuestAuth>();
export function guestAuthFor(endpoint: string): GuestAuth {
  let auth = guestAuths.get(endpoint);
  if (!auth) guestAuths.set(endpoint, auth = new GuestAuth(endpoint, undefined, profileFor(endpoint)));
  return auth;
}

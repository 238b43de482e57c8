import { Client } from "@colyseus/sdk";
import type { GuestToken } from "../../shared/protocol.ts";
import { RefusedError } from "./errors.ts";

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
  private current: GuestToken | undefined;
  private pending: Promise<GuestToken> | undefined;

  constructor(endpoint: string, name?: string) {
    this.endpoint = endpoint;
    this.name = name;
  }

  /** A token valid for at least a minute more. */
  async token(): Promise<string> {
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
    return this.post("/auth/guest", { name: this.name });
  }

  private async post(path: string, body: unknown, bearer?: string): Promise<GuestToken> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch(`${this.endpoint}${path}`, { method: "POST", headers, body: JSON.stringify(body ?? {}) });
    const answer = await response.json().catch(() => ({})) as Partial<GuestToken> & { error?: string };
    if (!response.ok || typeof answer.token !== "string" || typeof answer.expiresAt !== "number") {
      throw new RefusedError(answer.error ?? `The server would not let you in (HTTP ${response.status} from ${path}).`);
    }
    return { token: answer.token, name: answer.name ?? "", expiresAt: answer.expiresAt };
  }
}

/** An SDK client for `endpoint` carrying a fresh guest token (for one-off joins: bots, tests, tools). */
export function guestClient(endpoint: string, name?: string): Promise<Client> {
  return new GuestAuth(endpoint, name).client();
}

/** One guest identity per server for the life of the page: its token is reused and refreshed across joins. */
const guestAuths = new Map<string, GuestAuth>();
export function guestAuthFor(endpoint: string): GuestAuth {
  let auth = guestAuths.get(endpoint);
  if (!auth) guestAuths.set(endpoint, auth = new GuestAuth(endpoint));
  return auth;
}

import { matchMaker, type Presence } from "@colyseus/core";
import type { Socket } from "node:net";
import type { Log } from "../log.ts";
import type { Ban, ModerationStore } from "../storage/moderation.ts";
import { BanList, banMessage, plainAddress } from "./bans.ts";
import type { WordFilter } from "./wordFilter.ts";

/** The presence channel every process hears bans and lifts on. */
const CHANNEL = "arena:moderation";
/** The ban list is read again from the database this often (a process that missed an event catches up), and ended mutes forgotten. */
const REFRESH_MS = 30_000;

/** What travels on the moderation channel. */
type ModerationEvent = { type: "ban"; ban: Ban } | { type: "lift"; id: string };

/** What a ban asks for: at least one of profile and address; no `minutes` is permanent. */
export interface BanRequest {
  profileId?: string;
  address?: string;
  minutes?: number;
  reason: string;
}

/** A room that enforces bans on its own clients (`ArenaRoom`, through `RoomModeration`). */
export interface EnforcingRoom {
  /** With `{ kind: "enforce" }`: takes out every client the ban list now bans. */
  moderate(action: { kind: "enforce" }): unknown;
}

/** What moderation is built from: the database's store, the word filter, the log, and this process's rooms. */
export interface ModerationOptions {
  store: ModerationStore;
  filter: WordFilter;
  log: Log;
  /** The rooms of this process that enforce bans. */
  rooms: () => Iterable<EnforcingRoom>;
}

/**
 * Moderation on one process: the bans in force (`BanList`), who holds which
 * address, the word filter, and the database behind them. A ban made on any
 * process is stored, then announced on the presence channel (Redis pub/sub in
 * a cluster, in-process alone): every process adds it to its list and takes
 * the banned player out of its rooms at once.
 */
export class Moderation {
  readonly bans = new BanList();
  readonly store: ModerationStore;
  readonly filter: WordFilter;
  private readonly options: ModerationOptions;
  /** The address each room connection came from (as the gate read it, TRUST_PROXY included), by session id. */
  private readonly addresses = new Map<string, { address: string; socket: Socket }>();
  private presence: Presence | undefined;
  private refresher: NodeJS.Timeout | undefined;

  constructor(options: ModerationOptions) {
    this.options = options;
    this.store = options.store;
    this.filter = options.filter;
  }

  /** Reads the bans in force and starts hearing the other processes' (after the database is migrated and Colyseus listens). */
  async start(presence: Presence = matchMaker.presence): Promise<void> {
    this.presence = presence;
    await presence.subscribe(CHANNEL, (event: ModerationEvent) => this.heard(event));
    await this.refresh();
    this.refresher = setInterval(() => void this.refresh(), REFRESH_MS);
    this.refresher.unref();
  }

  /** Stops hearing the other processes and refreshing the list (the server closes). */
  stop(): void {
    clearInterval(this.refresher);
    this.presence?.unsubscribe(CHANNEL);
  }

  /** Stores a ban with its audit line and announces it to every process; resolves with the ban. */
  async ban(request: BanRequest, actor: string, now = Date.now()): Promise<Ban> {
    const address = request.address === undefined ? null : plainAddress(request.address);
    const ban = await this.store.ban(
      { profileId: request.profileId ?? null, address, reason: request.reason, createdAt: now, endsAt: request.minutes === undefined ? null : now + request.minutes * 60_000 },
      { actor, action: "ban", targetProfile: request.profileId ?? null, targetName: null, targetAddress: address, reason: request.reason, details: { minutes: request.minutes ?? null } },
    );
    this.announce({ type: "ban", ban });
    return ban;
  }

  /** Lifts a ban on every process; false when none in force had that id. */
  async lift(id: string, actor: string, reason: string): Promise<boolean> {
    const lifted = await this.store.lift(id, actor, reason);
    if (lifted) this.announce({ type: "lift", id });
    return lifted !== undefined;
  }

  /** Why `who` may not play ("banned until …: reason"), or undefined when it may. */
  refusal(who: { profileId?: string | null; address?: string | null }): string | undefined {
    const ban = this.bans.find(who);
    return ban && banMessage(ban);
  }

  /** The gate saw room connection `sessionId` open from `address` on `socket`. */
  connected(sessionId: string, address: string, socket: Socket): void {
    const entry = { address: plainAddress(address), socket };
    this.addresses.set(sessionId, entry);
    // A reconnection brings a new socket under the same session: only the entry's own socket's end removes it.
    socket.once("close", () => {
      if (this.addresses.get(sessionId) === entry) this.addresses.delete(sessionId);
    });
  }

  /** The address room connection `sessionId` came from, while it is open. */
  addressOf(sessionId: string): string | undefined {
    return this.addresses.get(sessionId)?.address;
  }

  private announce(event: ModerationEvent): void {
    // Heard here too (the presence delivers to its own process); applied at once regardless, so the caller sees it done.
    this.heard(event);
    this.presence?.publish(CHANNEL, event);
  }

  private heard(event: ModerationEvent): void {
    if (event.type === "ban") {
      this.bans.add(event.ban);
      for (const room of this.options.rooms()) void room.moderate({ kind: "enforce" });
    } else {
      this.bans.remove(event.id);
    }
  }

  private async refresh(): Promise<void> {
    try {
      this.bans.replace(await this.store.activeBans());
      await this.store.dropEndedMutes();
    } catch (error) {
      this.options.log.warn("bans not refreshed: the database is unreachable", { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

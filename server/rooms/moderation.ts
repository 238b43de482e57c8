import { randomInt } from "node:crypto";
import type { Client, Room } from "@colyseus/core";
import { generatedName } from "../../shared/names.ts";
import { KickCode, ServerMessage } from "../../shared/protocol.ts";
import type { WorldState } from "../../shared/worldState.ts";
import type { Log } from "../log.ts";
import { matchIdOf } from "../players/playerRecords.ts";
import type { Moderation } from "../moderation/moderation.ts";
import type { GuestClaims } from "../security/tokens.ts";
import type { RoomChat } from "./chat.ts";
import type { Seats } from "./seats.ts";

/** A moderator's action on one client of a room. */
export interface ModeratorAction {
  kind: "warn" | "mute" | "kick" | "rename";
  sessionId: string;
  reason: string;
  /** A mute's length; 10 minutes when not given. */
  minutes?: number;
}

/**
 * What `ArenaRoom.moderate` takes: an action, `view` (the room's clients for
 * the moderator page) or `enforce` (a ban was announced: take out whom it bans).
 */
export type RoomAction = ModeratorAction | { kind: "view" } | { kind: "enforce" };

/** A client of a room as moderators see it. */
export interface ModeratedPlayer {
  sessionId: string;
  name: string;
  profileId: string | null;
  address: string | null;
  spectator: boolean;
  /** ms since the epoch; null when not muted. */
  mutedUntil: number | null;
  /** After a rename: the generated name now shown. */
  renamedTo?: string;
}

/** Flagged lines within AUTO_MUTE_WINDOW_MS that mute their sender for AUTO_MUTE_MINUTES. */
export const AUTO_MUTE_AFTER = 3;
const AUTO_MUTE_WINDOW_MS = 10 * 60_000;
/** How long the filter's automatic mute lasts. */
export const AUTO_MUTE_MINUTES = 10; // min
const DEFAULT_MUTE_MINUTES = 10;
/** A player's mute is looked up this long at most: with the database away, chat goes on unmuted rather than held. */
const MUTE_LOOKUP_MS = 2000;

/** What moderation needs of its room. */
export interface ModeratedRoomParts {
  room: Pick<Room, "roomId" | "clients"> & { readonly world: WorldState };
  seats: Seats;
  chat: RoomChat;
  /** Whether the room's matches are recorded (a report then names its match, whose replay is kept). */
  recorded(): boolean;
  /** A line went out (true) or was refused (false): the chat counters. */
  chatted(sent: boolean): void;
  log: Log;
}

/**
 * Moderation inside one room: bans enforced on its clients (at join, at a
 * reconnection, and when a ban is announced), chat mutes (kept in the
 * database by player, so they follow the player into another room, a
 * reconnection or a moved room), the word filter on chat with automatic
 * mutes, moderators' actions and players' reports. Chat lines are screened
 * in the message handler, never in the step.
 */
export class RoomModeration {
  private readonly parts: ModeratedRoomParts;
  private readonly moderation: Moderation | undefined;
  /** Until when (ms) each client is muted, 0 when not; a promise while the database answers. */
  private readonly mutes = new Map<string, Promise<number>>();
  /** When each subject's recent lines were masked. */
  private readonly flagged = new Map<string, number[]>();

  constructor(parts: ModeratedRoomParts, moderation: Moderation | undefined) {
    this.parts = parts;
    this.moderation = moderation;
  }

  /** A client joined or came back: a banned one is taken out; its mute (if any) is read. */
  joined(client: Client): void {
    if (this.enforce(client)) return;
    const subject = subjectOf(client);
    const store = this.moderation?.store;
    if (!store || subject === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<number>((resolve) => { timer = setTimeout(() => resolve(0), MUTE_LOOKUP_MS); });
    const lookup = store.mutedUntil(subject).then((until) => until ?? 0, () => 0).finally(() => clearTimeout(timer));
    this.mutes.set(client.sessionId, Promise.race([lookup, deadline]));
  }

  /** Takes out every client the ban list bans now. */
  enforceBans(): void {
    for (const client of [...this.parts.room.clients]) this.enforce(client);
  }

  /** A chat line from `client`: refused while it is muted, masked by the filter, and then sent. */
  async chat(client: Client, text: string): Promise<void> {
    const until = await (this.mutes.get(client.sessionId) ?? 0);
    if (until > Date.now()) {
      client.send(ServerMessage.chatRejected, { reason: `you are muted in chat until ${clock(until)}` });
      this.parts.chatted(false);
      return;
    }
    const screened = this.moderation?.filter.screen(text) ?? { text, clean: true };
    this.parts.chatted(this.parts.chat.receive(client, screened.text));
    if (!screened.clean) await this.flag(client);
  }

  /** Runs a moderator's action; resolves with the player acted on, or undefined when the session is not here. */
  async apply(action: RoomAction): Promise<ModeratedPlayer[] | ModeratedPlayer | undefined> {
    if (action.kind === "view") return Promise.all([...this.parts.room.clients].map((client) => this.view(client)));
    if (action.kind === "enforce") return void this.enforceBans();
    const client = this.parts.room.clients.getById(action.sessionId);
    if (!client) return undefined;
    const player = await this.view(client);
    if (action.kind === "warn") {
      client.send(ServerMessage.notice, { text: `Warning from the moderators: ${action.reason}` });
    } else if (action.kind === "mute") {
      player.mutedUntil = await this.mute(client, action.minutes ?? DEFAULT_MUTE_MINUTES, action.reason);
    } else if (action.kind === "kick") {
      client.leave(KickCode.removed, `kicked: ${action.reason}`);
    } else {
      const name = generatedName(randomInt(2 ** 31));
      this.parts.seats.rename(client.sessionId, name);
      client.send(ServerMessage.notice, { text: `A moderator renamed you ${name}: ${action.reason}` });
      player.renamedTo = name;
    }
    return player;
  }

  /** `reporter` reports `sessionId`: stored with the match and the chat around it; the reporter is told. */
  async report(reporter: Client, sessionId: string, reason: string): Promise<void> {
    const reported = this.parts.room.clients.getById(sessionId);
    const store = this.moderation?.store;
    if (!store || !reported || reported === reporter) {
      reporter.send(ServerMessage.notice, { text: "That player cannot be reported." });
      return;
    }
    try {
      await store.report({
        at: Date.now(), reporterProfile: profileOf(reporter), reporterName: this.parts.seats.nameOf(reporter.sessionId),
        reportedProfile: profileOf(reported), reportedName: this.parts.seats.nameOf(sessionId),
        reportedAddress: this.moderation?.addressOf(sessionId) ?? null, roomId: this.roomId, sessionId,
        matchId: this.matchId(), reason: reason.trim() || "no reason given", chat: this.parts.chat.recent(),
      });
    } catch (error) {
      this.parts.log.warn("report not stored: the database is unreachable", { roomId: this.roomId, error: messageOf(error) });
      reporter.send(ServerMessage.notice, { text: "The report could not be sent: try again shortly." });
      return;
    }
    reporter.send(ServerMessage.notice, { text: `Thank you: ${this.parts.seats.nameOf(sessionId)} is reported to the moderators.` });
  }

  forget(sessionId: string): void {
    this.mutes.delete(sessionId);
  }

  private get roomId(): string {
    return this.parts.room.roomId;
  }

  /** The match being played, when its replay will be kept. */
  private matchId(): string | null {
    const { world, roomId } = this.parts.room;
    return this.parts.recorded() ? matchIdOf({ roomId, seed: world.seed, matchNumber: world.matchNumber }) : null;
  }

  /** Takes `client` out if it is banned; true when it was. */
  private enforce(client: Client): boolean {
    const refusal = this.moderation?.refusal({ profileId: profileOf(client), address: this.moderation.addressOf(client.sessionId) });
    if (refusal === undefined) return false;
    this.parts.log.info("banned player removed", { roomId: this.roomId, sessionId: client.sessionId });
    client.leave(KickCode.removed, refusal);
    return true;
  }

  /** Mutes `client` here at once, and by player in the database (a failure there is logged: the mute holds in this room). */
  private async mute(client: Client, minutes: number, reason: string): Promise<number> {
    const until = Date.now() + minutes * 60_000;
    this.mutes.set(client.sessionId, Promise.resolve(until));
    const subject = subjectOf(client);
    if (subject !== undefined) {
      await this.moderation?.store.mute(subject, until, reason)
        .catch((error: unknown) => this.parts.log.warn("mute not stored: the database is unreachable", { roomId: this.roomId, error: messageOf(error) }));
    }
    client.send(ServerMessage.notice, { text: `You are muted in chat until ${clock(until)}: ${reason}` });
    return until;
  }

  /** A masked line counts against its sender; AUTO_MUTE_AFTER of them in the window mute it. */
  private async flag(client: Client): Promise<void> {
    const subject = subjectOf(client) ?? client.sessionId;
    const now = Date.now();
    const times = (this.flagged.get(subject) ?? []).filter((at) => at > now - AUTO_MUTE_WINDOW_MS);
    times.push(now);
    this.flagged.set(subject, times);
    if (times.length < AUTO_MUTE_AFTER) return;
    this.flagged.delete(subject);
    const reason = `${AUTO_MUTE_AFTER} filtered lines within ${AUTO_MUTE_WINDOW_MS / 60_000} minutes`;
    const player = await this.view(client);
    await this.mute(client, AUTO_MUTE_MINUTES, reason);
    await this.moderation?.store.audit({
      actor: "filter", action: "auto-mute", targetProfile: player.profileId, targetName: player.name, targetAddress: player.address, reason,
      details: { roomId: this.roomId, sessionId: client.sessionId, minutes: AUTO_MUTE_MINUTES },
    }).catch((error: unknown) => this.parts.log.warn("auto-mute not audited", { error: messageOf(error) }));
  }

  private async view(client: Client): Promise<ModeratedPlayer> {
    const until = await (this.mutes.get(client.sessionId) ?? 0);
    return {
      sessionId: client.sessionId, name: this.parts.seats.nameOf(client.sessionId), profileId: profileOf(client) ?? null,
      address: this.moderation?.addressOf(client.sessionId) ?? null, spectator: this.parts.seats.spectators.has(client.sessionId),
      mutedUntil: until > Date.now() ? until : null,
    };
  }
}

/** Whom a mute follows: the player's profile, or its guest id without one. */
function subjectOf(client: Client): string | undefined {
  const claims = client.auth as GuestClaims | undefined;
  return claims?.profileId ?? claims?.guestId;
}

function profileOf(client: Client): string | null {
  return (client.auth as GuestClaims | undefined)?.profileId ?? null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function clock(ms: number): string {
  return `${new Date(ms).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** Whether the word filter of `moderation` lets a requested name be shown (every name without one). */
export function acceptableName(moderation: Moderation | undefined): (name: string) => boolean {
  return (name) => moderation?.filter.passes(name) ?? true;
}

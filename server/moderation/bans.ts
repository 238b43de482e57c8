import type { Ban } from "../storage/moderation.ts";

/**
 * The bans in force, held in memory on every process so that each check
 * (a token request, a matchmaking request, a WebSocket upgrade, a join) is a
 * lookup, not a query. Filled from the database at start and every
 * `REFRESH_MS` after, and kept current between by the ban events every
 * process hears (`Moderation`). A ban past its end simply stops matching.
 */
export class BanList {
  private readonly bans = new Map<string, Ban>();
  /** The same bans by profile and by address: a check looks at the few bans of one player, however many there are. */
  private readonly byProfile = new Map<string, Set<Ban>>();
  private readonly byAddress = new Map<string, Set<Ban>>();

  /** Replaces everything held with `bans` (a fresh read of the database). */
  replace(bans: readonly Ban[]): void {
    this.bans.clear();
    this.byProfile.clear();
    this.byAddress.clear();
    for (const ban of bans) this.add(ban);
  }

  add(ban: Ban): void {
    this.remove(ban.id);
    const held = { ...ban, address: ban.address === null ? null : plainAddress(ban.address) };
    this.bans.set(ban.id, held);
    if (held.profileId !== null) index(this.byProfile, held.profileId).add(held);
    if (held.address !== null) index(this.byAddress, held.address).add(held);
  }

  remove(id: string): void {
    const held = this.bans.get(id);
    if (!held) return;
    this.bans.delete(id);
    if (held.profileId !== null) unindex(this.byProfile, held.profileId, held);
    if (held.address !== null) unindex(this.byAddress, held.address, held);
  }

  /** The ban in force on `profileId` or `address` at `now` that ends last, if any. */
  find(who: { profileId?: string | null; address?: string | null }, now = Date.now()): Ban | undefined {
    let found: Ban | undefined;
    const candidates = [
      ...(who.profileId ? this.byProfile.get(who.profileId) ?? [] : []),
      ...(who.address ? this.byAddress.get(plainAddress(who.address)) ?? [] : []),
    ];
    for (const ban of candidates) {
      if (ban.endsAt !== null && ban.endsAt <= now) continue;
      if (found === undefined || endOf(ban) > endOf(found)) found = ban;
    }
    return found;
  }

  /** How many bans are held (ended ones included until the next refresh). */
  get size(): number {
    return this.bans.size;
  }
}

function index(map: Map<string, Set<Ban>>, key: string): Set<Ban> {
  let bans = map.get(key);
  if (!bans) map.set(key, bans = new Set());
  return bans;
}

function unindex(map: Map<string, Set<Ban>>, key: string, ban: Ban): void {
  const bans = map.get(key);
  bans?.delete(ban);
  if (bans?.size === 0) map.delete(key);
}

function endOf(ban: Ban): number {
  return ban.endsAt ?? Number.POSITIVE_INFINITY;
}

/**
 * What a banned player is told: "banned until 2026-12-07 14:00 UTC: reason",
 * or "banned permanently: reason".
 */
export function banMessage(ban: Pick<Ban, "endsAt" | "reason">): string {
  if (ban.endsAt === null) return `banned permanently: ${ban.reason}`;
  const end = new Date(ban.endsAt).toISOString().replace("T", " ").slice(0, 16);
  return `banned until ${end} UTC: ${ban.reason}`;
}

/** An address as bans compare them: an IPv4 address mapped into IPv6 (`::ffff:1.2.3.4`) is the IPv4 address. */
export function plainAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith("::ffff:") && trimmed.includes(".") ? trimmed.slice(7) : trimmed;
}

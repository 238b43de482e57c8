/**
 * Rebuilding the registry from the rooms. When Redis returns (restarted and
 * empty, or after a pause with entries gone stale), each process writes its
 * own part again: its subscriptions, one entry per live room as the room
 * keeps it in memory (clients, lock, privacy and private code, metadata), its
 * process stats; it removes entries of its rooms that ended meanwhile, and
 * tells the lobbies; its own lobbies then put their lists right by the
 * registry, for what they missed from other processes. No process writes
 * another's part.
 */
import { LobbyRoom, matchMaker } from "@colyseus/core";
import { announceToLobbies, goneListing, listingOf, processStatsEntry, PROCESS_STATS_KEY, resyncLobbies, roomIsUp } from "../colyseusSeams.ts";
import type { GuardedRedisDriver, GuardedRedisPresence } from "./guarded.ts";
import type { LocalRooms } from "./localRooms.ts";

/** What one re-registration wrote. */
export interface Reregistration {
  /** Rooms of this process written back. */
  rooms: number;
  /** Entries removed: rooms of this process that ended while Redis was away. */
  removed: number;
}

/** The registry connections and what this process holds. */
export interface RegistryParts {
  readonly presence: GuardedRedisPresence;
  readonly driver: GuardedRedisDriver;
  readonly rooms: LocalRooms;
}

/** Writes this process's part of the registry again; rejects if Redis fails meanwhile (the caller retries). */
export async function registerAgain({ presence, driver, rooms }: RegistryParts): Promise<Reregistration> {
  // A draining process has taken itself out of the registry on purpose: it must not come back.
  if (draining()) return { rooms: 0, removed: 0 };
  // Subscriptions first: another process that sees this one's stats expects it to answer on its channel.
  await presence.restoreSubscriptions();
  const listed = await driver.query({ processId: matchMaker.processId });
  // Compared in the same turn with the rooms held now: a room created since the query is not in
  // it, and one created before it is held here, so no live room is ever taken for gone.
  const liveIds = new Set(rooms.live().map((room) => room.roomId));
  const gone = new Set([...listed.map((listing) => listing.roomId), ...driver.removedWhileAway].filter((roomId) => !liveIds.has(roomId)));
  await Promise.all([...gone].map((roomId) => driver.removeOrFail(roomId)));
  // Whether a room is still up is checked in the same turn as its write is sent, so a room
  // disposing meanwhile cannot be written back after its removal.
  const written = rooms.live();
  await Promise.all(written.map((room) => driver.persistOrFail(listingOf(room))));
  await presence.commands.hset(...processStatsEntry());
  for (const roomId of gone) driver.removedWhileAway.delete(roomId);
  for (const roomId of gone) announceToLobbies(goneListing(roomId), true);
  for (const room of written) {
    if (matchMaker.getHandler(room.roomName).realtimeListingEnabled) announceToLobbies(listingOf(room));
  }
  // This process's lobbies missed what other processes announced while its subscriber was away.
  const lobbies = rooms.live().filter((room): room is LobbyRoom => room instanceof LobbyRoom);
  await resyncLobbies(lobbies, (channel, notice) => presence.deliverLocally(channel, notice));
  return { rooms: written.length, removed: gone.size };
}

/**
 * True when the registry still holds this process's stats and an entry for
 * each of its live rooms. Checked now and then while Redis is up: a restart
 * quicker than a probe, or writes a paused Redis took late, can leave gaps.
 */
export async function registrationIntact({ presence, driver, rooms }: RegistryParts): Promise<boolean> {
  if (draining()) return true;
  const live = rooms.live();
  const [found, stats] = await Promise.all([
    driver.findByIds(live.map((room) => room.roomId)),
    presence.commands.hexists(PROCESS_STATS_KEY, matchMaker.processId),
  ]);
  return stats === 1 && live.every((room) => found.has(room.roomId) || !roomIsUp(room));
}

function draining(): boolean {
  return matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN;
}

/**
 * Where a draining process's rooms go: the live processes that take moved
 * rooms, by load (players, not rooms: a room of sixteen weighs sixteen times a
 * room of one), wherever they listen (server/migration/mover.ts).
 */

/** A live process that can take rooms: its id, its address, and its players now (with the rooms sent to it since). */
export interface MoveTarget {
  processId: string;
  address: string;
  players: number;
}

/** `targets` in the order rooms go to them: fewest players first, and at a tie those at `address` (where an unmodified SDK client follows). */
export function targetLoads(targets: MoveTarget[], address: string): MoveTarget[] {
  return targets.sort((a, b) => a.players - b.players || Number(b.address === address) - Number(a.address === address));
}

/**
 * The order in which one room of `players` players is offered: the least
 * loaded target first, the rest after it as fallbacks. Counts the room on the
 * first one, so the next room weighs it: a drain spreads its rooms by players.
 */
export function pickTargets(targets: MoveTarget[], players: number, address: string): MoveTarget[] {
  targetLoads(targets, address);
  const ordered = [...targets];
  if (ordered[0]) ordered[0].players += players;
  return ordered;
}

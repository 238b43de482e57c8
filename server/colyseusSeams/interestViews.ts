// Part of the one seam module, server/colyseusSeams.ts, which re-exports it.
import type { Room } from "@colyseus/core";
import { $filter, $refId, MapSchema, OPERATION, StateView } from "@colyseus/schema";
import { SEAMS } from "./names.ts";

/** What the encoder asks a view of each changed object (`StateView.isChangeTreeVisible`'s argument). */
type ChangeTree = Parameters<StateView["isChangeTreeVisible"]>[0];
type EntryFilter = (map: MapSchema, index: number, view: StateView) => boolean;

/**
 * A client's `StateView` for interest management, with two savings over
 * Colyseus' own (both need `interestViews` on its room):
 * - the objects in `everyOtherPatch` (which its owner keeps up to date) get
 *   their unreliable fields on every other patch only: the rest of the time
 *   their changes on that channel are left out of this client's frame, and
 *   the next one carries their new values. Their reliable fields, their adds
 *   and their removals go every patch as before.
 * - a map entry created in the tick it is added to the view is announced
 *   once: Colyseus writes its ADD from the view's own changes and again from
 *   the map's shared changes (the decoder drops the second), 10 to 20 bytes
 *   each time, for every shot a client sees fired.
 */
export class InterestView extends StateView {
  /** Schema instances of this view whose unreliable changes go out on every other patch. */
  readonly everyOtherPatch = new Set<object>();
  /** While its reliable patch is written: the entries (map reference id → indexes) its own changes have just added. */
  introduced: Map<number, Set<unknown>> | undefined;
  private resting = false;
  private unreliableFrames = 0;

  override isChangeTreeVisible(changeTree: ChangeTree): boolean {
    if (this.resting && this.everyOtherPatch.has(changeTree.ref)) return false;
    return super.isChangeTreeVisible(changeTree);
  }

  /** Around each of its reliable patches: notes what its own changes add, before Colyseus writes and clears them. */
  patch<T>(encode: () => T): T {
    this.introduced = new Map();
    for (const [refId, changes] of this.changes) {
      const added = new Set<unknown>();
      for (const [index, operation] of changes) if ((operation & OPERATION.ADD) === OPERATION.ADD) added.add(index);
      if (added.size > 0) this.introduced.set(refId, added);
    }
    try {
      return encode();
    } finally {
      this.introduced = undefined;
    }
  }

  /** Around each of its unreliable frames: every other one rests `everyOtherPatch`. */
  unreliableFrame<T>(encode: () => T): T {
    this.resting = this.unreliableFrames++ % 2 === 1;
    try {
      return encode();
    } finally {
      this.resting = false;
    }
  }
}

/** Where @colyseus/schema caches a class's encode descriptor, whose `filter` is the class's `$filter` as it was then. */
const ENCODE_DESCRIPTOR = "~__encodeDescriptor";
const maps = MapSchema as unknown as Record<string, EntryFilter | { filter?: EntryFilter } | undefined>;
const entryFilter = maps[$filter] as EntryFilter | undefined;
/** MapSchema's entry filter, but for an entry an InterestView's own changes have just added. */
const interestFilter: EntryFilter = function (this: unknown, map, index, view) {
  if (view instanceof InterestView && view.introduced?.get((map as unknown as Record<symbol, number>)[$refId])?.has(index)) return false;
  return entryFilter!.call(this, map, index, view);
};
if (typeof entryFilter === "function") {
  maps[$filter] = interestFilter;
  const descriptor = maps[ENCODE_DESCRIPTOR] as { filter?: EntryFilter } | undefined;
  if (descriptor && descriptor.filter === entryFilter) descriptor.filter = interestFilter;
}

/**
 * Seam: interest views. Colyseus' serializer writes each client's reliable
 * patch with `encoder.encodeView(view, …)`, which first writes and clears the
 * view's own changes (`view.changes`: the ADDs of what `view.add` brought in),
 * then the shared changes the view may see, each map entry through
 * `MapSchema[$filter]`; and each client's unreliable frame with
 * `encoder.encodeUnreliableView(view, …)`, which asks the view
 * `isChangeTreeVisible` of every object with unreliable changes, the very
 * question the reliable patch asks. This wraps the room's encoder (the
 * serializer's `encoder`, made when the state is set) so an `InterestView`
 * knows which of the two it is in; and, as this module loads, the map entry
 * filter (and the encode descriptor MapSchema caches it in, if made already),
 * so that an entry the view's own changes have just added is not added again.
 * Call from `onCreate`, after the state is set.
 */
export function interestViews(room: Room): void {
  const encoder = (room as unknown as { _serializer?: { encoder?: Record<string, unknown> } })._serializer?.encoder;
  const encodeView = encoder?.encodeView;
  const encodeUnreliableView = encoder?.encodeUnreliableView;
  const descriptor = maps[ENCODE_DESCRIPTOR] as { filter?: EntryFilter } | undefined;
  if (!encoder || typeof encodeView !== "function" || typeof encodeUnreliableView !== "function" || maps[$filter] !== interestFilter
    || (descriptor !== undefined && descriptor.filter !== interestFilter) || typeof StateView.prototype.isChangeTreeVisible !== "function") {
    throw new Error(`Colyseus seam moved: ${SEAMS.interestViews}`);
  }
  encoder.encodeView = function (this: unknown, view: unknown, ...rest: unknown[]) {
    if (!(view instanceof InterestView)) return encodeView.call(this, view, ...rest);
    return view.patch(() => encodeView.call(this, view, ...rest));
  };
  encoder.encodeUnreliableView = function (this: unknown, view: unknown, ...rest: unknown[]) {
    if (!(view instanceof InterestView)) return encodeUnreliableView.call(this, view, ...rest);
    return view.unreliableFrame(() => encodeUnreliableView.call(this, view, ...rest));
  };
}

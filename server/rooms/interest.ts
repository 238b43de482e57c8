import type { StateView } from "@colyseus/schema";
import { MAX_VIEW, VIEW_MARGIN, type ViewSize } from "../../shared/largeMode.ts";
import type { WorldState } from "../../shared/worldState.ts";
import type { LargeState } from "../schema/LargeState.ts";

/**
 * A player that has left a view is taken out of it only this far beyond the
 * margin it came in at: one walking along the edge is not added and removed
 * tick after tick.
 */
const LEAVE_SLACK = 60; // u

/**
 * Each view is looked at whole once every this many ticks, in turn (the
 * views of a room spread over them); in between, only for the shots just
 * fired. A player at top speed crosses a tenth of the margin in that time,
 * a shot a third of it.
 */
const SWEEP_TICKS = 3;

/** A view's area with its margin: its centre and half-sizes. */
interface Bounds {
  x: number;
  y: number;
  halfWidth: number;
  halfHeight: number;
}

/** One client's window on the room: its StateView, how much it sees, whom it follows, and what it was given. */
interface Viewer {
  readonly view: StateView;
  size: ViewSize;
  /** The player its view is centred on: its own, or the one a spectator follows (re-chosen when that one leaves). */
  follow: string | undefined;
  own: boolean;
  readonly players: Set<string>;
  readonly shots: Set<string>;
  /** Which of the SWEEP_TICKS ticks its sweep falls on. */
  readonly slot: number;
  readonly bounds: Bounds;
}

/**
 * Interest management of the large mode: each client's `StateView` holds the
 * players and projectiles within its view (`inView`: its size, centred on the
 * player it follows, grown by VIEW_MARGIN), so the encoder sends each client
 * those alone (Colyseus' per-view encoding of `.view()` collections). Run
 * once a tick after the state is written (`update`); a player entering is
 * added to the view, one leaving it removed (a DELETE for that client); a
 * projectile is added once it comes within reach and stays until it is gone
 * (it is never updated, so it costs nothing more while it flies on). Each
 * view is swept whole every SWEEP_TICKS ticks, the views of the room in turn,
 * and in between looks only at the shots just fired: a hundred views of a
 * hundred players and as many shots cost a third of a sweep each tick.
 */
export class RoomInterest {
  private readonly viewers = new Map<string, Viewer>();
  private readonly state: LargeState;
  private readonly world: WorldState;
  private readonly filtering: boolean;
  private tick = 0;
  private lastShotId: number;
  private viewersMade = 0;
  /** The ids of the shots fired this tick (reused). */
  private readonly fresh: string[] = [];

  /** `filtering` false: every view holds everything, wherever it is (to measure what filtering saves). */
  constructor(state: LargeState, world: WorldState, filtering = true) {
    this.state = state;
    this.world = world;
    this.filtering = filtering;
    this.lastShotId = world.nextProjectileId - 1;
  }

  /**
   * Starts (or changes) `sessionId`'s window: `own` when it plays (its view
   * follows its own player, which its view holds already), else it watches
   * and follows whomever it last chose. `size` undefined keeps the size it had
   * (a desktop's for a new window: a seat moved from another process).
   */
  watch(sessionId: string, view: StateView, size: ViewSize | undefined, own: boolean): void {
    const viewer = this.viewers.get(sessionId);
    if (viewer && viewer.view === view) {
      viewer.size = size ?? viewer.size;
      viewer.own = own;
      viewer.follow = own ? sessionId : viewer.follow;
      viewer.players.delete(sessionId);
      return;
    }
    this.viewers.set(sessionId, {
      view, size: size ?? MAX_VIEW, own, follow: own ? sessionId : undefined, players: new Set(), shots: new Set(),
      slot: this.viewersMade++ % SWEEP_TICKS, bounds: { x: 0, y: 0, halfWidth: 0, halfHeight: 0 },
    });
  }

  /** A spectator chooses whom to follow; false (nothing changes) when that is no player of the room or the viewer plays. */
  follow(sessionId: string, target: string): boolean {
    const viewer = this.viewers.get(sessionId);
    if (!viewer || viewer.own || !this.world.players.has(target)) return false;
    viewer.follow = target;
    return true;
  }

  /** The player `sessionId`'s view is centred on, if any. */
  followed(sessionId: string): string | undefined {
    return this.viewers.get(sessionId)?.follow;
  }

  /** Its size of view, as clamped. */
  sizeOf(sessionId: string): ViewSize | undefined {
    return this.viewers.get(sessionId)?.size;
  }

  forget(sessionId: string): void {
    this.viewers.delete(sessionId);
  }

  /** Brings every view up to date with the world as this tick left it. */
  update(): void {
    this.tick++;
    // The shots fired this tick are looked at by every view at once: one fired near a player shows from its muzzle.
    const fresh = this.fresh;
    fresh.length = 0;
    for (let id = this.lastShotId + 1; id < this.world.nextProjectileId; id++) {
      const key = String(id);
      if (this.world.projectiles.has(key)) fresh.push(key);
    }
    this.lastShotId = this.world.nextProjectileId - 1;
    for (const viewer of this.viewers.values()) {
      const centre = this.centreOf(viewer);
      if (!centre) continue;
      const bounds = this.boundsOf(viewer, centre);
      if ((this.tick + viewer.slot) % SWEEP_TICKS === 0) this.sweep(viewer, bounds);
      else this.addShots(viewer, bounds, fresh);
    }
  }

  /** Where `viewer`'s view is centred: its own player, or the one it follows (re-chosen when that one has left). */
  private centreOf(viewer: Viewer): { x: number; y: number } | undefined {
    const players = this.world.players;
    if (!viewer.own && (viewer.follow === undefined || !players.has(viewer.follow))) viewer.follow = players.keys().next().value;
    return viewer.follow === undefined ? undefined : players.get(viewer.follow);
  }

  /** The area of `viewer`'s view and the margin, as half-sizes around its centre: everything when not filtering. */
  private boundsOf(viewer: Viewer, centre: { x: number; y: number }): Bounds {
    const bounds = viewer.bounds;
    bounds.x = centre.x;
    bounds.y = centre.y;
    bounds.halfWidth = this.filtering ? viewer.size.width / 2 + VIEW_MARGIN : Infinity;
    bounds.halfHeight = this.filtering ? viewer.size.height / 2 + VIEW_MARGIN : Infinity;
    return bounds;
  }

  /** Every player and projectile looked at again: who came in, who went out, what is gone. */
  private sweep(viewer: Viewer, bounds: Bounds): void {
    const { world, state } = this;
    const { view, players, shots } = viewer;
    for (const id of players) if (!world.players.has(id)) players.delete(id);
    for (const id of shots) if (!world.projectiles.has(id)) shots.delete(id);
    for (const [id, player] of world.players) {
      if (viewer.own && id === viewer.follow) continue;
      const dx = Math.abs(player.x - bounds.x);
      const dy = Math.abs(player.y - bounds.y);
      if (!players.has(id)) {
        if (dx > bounds.halfWidth || dy > bounds.halfHeight) continue;
        const wire = state.players.get(id);
        if (!wire) continue;
        view.add(wire);
        players.add(id);
      } else if (dx > bounds.halfWidth + LEAVE_SLACK || dy > bounds.halfHeight + LEAVE_SLACK) {
        const wire = state.players.get(id);
        if (wire) view.remove(wire);
        players.delete(id);
      }
    }
    for (const [id, shot] of world.projectiles) this.addShot(viewer, bounds, id, shot);
  }

  private addShots(viewer: Viewer, bounds: Bounds, ids: readonly string[]): void {
    for (const id of ids) this.addShot(viewer, bounds, id, this.world.projectiles.get(id)!);
  }

  private addShot(viewer: Viewer, bounds: Bounds, id: string, shot: { x: number; y: number }): void {
    if (viewer.shots.has(id) || Math.abs(shot.x - bounds.x) > bounds.halfWidth || Math.abs(shot.y - bounds.y) > bounds.halfHeight) return;
    const wire = this.state.projectiles.get(id);
    if (!wire) return;
    viewer.view.add(wire);
    viewer.shots.add(id);
  }
}

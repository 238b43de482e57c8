import type { StateView } from "@colyseus/schema";
import { inView, MAX_VIEW, VIEW_MARGIN, type ViewSize } from "../../shared/largeMode.ts";
import type { WorldState } from "../../shared/worldState.ts";
import type { LargeState } from "../schema/LargeState.ts";

/**
 * A player that has left a view is taken out of it only this far beyond the
 * margin it came in at: one walking along the edge is not added and removed
 * tick after tick.
 */
const LEAVE_SLACK = 60; // u

/** One client's window on the room: its StateView, how much it sees, whom it follows, and what it was given. */
interface Viewer {
  readonly view: StateView;
  size: ViewSize;
  /** The player its view is centred on: its own, or the one a spectator follows (re-chosen when that one leaves). */
  follow: string | undefined;
  own: boolean;
  readonly players: Set<string>;
  readonly shots: Set<string>;
}

/**
 * Interest management of the large mode: each client's `StateView` holds the
 * players and projectiles within its view (`inView`: its size, centred on the
 * player it follows, grown by VIEW_MARGIN), so the encoder sends each client
 * those alone (Colyseus' per-view encoding of `.view()` collections). Run
 * once a tick after the state is written (`update`); a player entering is
 * added to the view, one leaving it removed (a DELETE for that client); a
 * projectile is added once it comes within reach and stays until it is gone
 * (it is never updated, so it costs nothing more while it flies on).
 */
export class RoomInterest {
  private readonly viewers = new Map<string, Viewer>();
  private readonly state: LargeState;
  private readonly world: WorldState;
  private readonly filtering: boolean;

  /** `filtering` false: every view holds everything, wherever it is (to measure what filtering saves). */
  constructor(state: LargeState, world: WorldState, filtering = true) {
    this.state = state;
    this.world = world;
    this.filtering = filtering;
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
    for (const viewer of this.viewers.values()) this.updateViewer(viewer);
  }

  private updateViewer(viewer: Viewer): void {
    const { world, state } = this;
    if (!viewer.own && (viewer.follow === undefined || !world.players.has(viewer.follow))) {
      viewer.follow = world.players.keys().next().value;
    }
    const centre = viewer.follow === undefined ? undefined : world.players.get(viewer.follow);
    for (const id of viewer.players) {
      if (!world.players.has(id)) viewer.players.delete(id);
    }
    for (const id of viewer.shots) {
      if (!world.projectiles.has(id)) viewer.shots.delete(id);
    }
    if (!centre) return;
    const { size, view, players, shots } = viewer;
    const near = (x: number, y: number, margin = VIEW_MARGIN) => !this.filtering || inView(size, centre.x, centre.y, x, y, margin);
    world.players.forEach((player, id) => {
      if (viewer.own && id === viewer.follow) return;
      const seen = players.has(id);
      if (!seen && near(player.x, player.y)) {
        const wire = state.players.get(id);
        if (!wire) return;
        view.add(wire);
        players.add(id);
      } else if (seen && !near(player.x, player.y, VIEW_MARGIN + LEAVE_SLACK)) {
        const wire = state.players.get(id);
        if (wire) view.remove(wire);
        players.delete(id);
      }
    });
    world.projectiles.forEach((shot, id) => {
      if (shots.has(id) || !near(shot.x, shot.y)) return;
      const wire = state.projectiles.get(id);
      if (!wire) return;
      view.add(wire);
      shots.add(id);
    });
  }
}

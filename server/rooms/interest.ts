import type { StateView } from "@colyseus/schema";
import { FULL_RATE_MARGIN, inArea, MAX_VIEW, VIEW_LEAVE_SLACK, viewArea, type ViewArea, type ViewSize } from "../../shared/largeMode.ts";
import type { WorldState } from "../../shared/worldState.ts";
import { InterestView } from "../colyseusSeams.ts";
import type { LargeState } from "../schema/LargeState.ts";

/**
 * Each view is looked at whole once every this many ticks, in turn (the
 * views of a room spread over them); in between, only for the shots just
 * fired. A player at top speed crosses a tenth of the margin in that time,
 * a shot a third of it.
 */
const SWEEP_TICKS = 3;

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
  /** Its area this tick, and the part of it sent every patch (reused). */
  readonly area: ViewArea;
  readonly fullRate: ViewArea;
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
 * A player in the view's margin, beyond FULL_RATE_MARGIN, has its position
 * and aim sent every other patch (an `InterestView`): the client cannot show
 * it there.
 */
export class RoomInterest {
  private readonly viewers = new Map<string, Viewer>();
  private readonly state: LargeState;
  private readonly world: WorldState;
  private readonly filtering: boolean;
  private tick = 0;
  private viewersMade = 0;

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
      slot: this.viewersMade++ % SWEEP_TICKS, area: { x: 0, y: 0, halfWidth: 0, halfHeight: 0 },
      fullRate: { x: 0, y: 0, halfWidth: 0, halfHeight: 0 },
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

  /**
   * Brings every view up to date with the world as this tick left it.
   * `fired`: the ids of the shots fired this tick, which every view looks at
   * at once (one fired near a player shows from its muzzle).
   */
  update(fired: readonly string[]): void {
    this.tick++;
    for (const viewer of this.viewers.values()) {
      const area = this.areaOf(viewer);
      if (!area) continue;
      if ((this.tick + viewer.slot) % SWEEP_TICKS === 0) this.sweep(viewer, area);
      else for (const id of fired) this.addShot(viewer, area, id, this.world.projectiles.get(id)!);
      if (this.filtering && viewer.view instanceof InterestView) this.rateOf(viewer, viewer.view);
    }
  }

  /** The ids of the players `sessionId`'s client is sent every other patch (those in its view's margin, for tests). */
  everyOtherPatch(sessionId: string): string[] {
    const viewer = this.viewers.get(sessionId);
    if (!viewer || !(viewer.view instanceof InterestView)) return [];
    const halfRate = viewer.view.everyOtherPatch;
    return [...viewer.players].filter((id) => {
      const wire = this.state.players.get(id);
      return wire !== undefined && halfRate.has(wire);
    });
  }

  /** The players of `viewer`'s view beyond its full-rate part get their position and aim every other patch. */
  private rateOf(viewer: Viewer, view: InterestView): void {
    const { x, y } = viewer.area;
    const fullRate = viewArea(viewer.size, x, y, FULL_RATE_MARGIN, viewer.fullRate);
    view.everyOtherPatch.clear();
    for (const id of viewer.players) {
      const player = this.world.players.get(id);
      const wire = this.state.players.get(id);
      if (player && wire && !inArea(fullRate, player.x, player.y)) view.everyOtherPatch.add(wire);
    }
  }

  /** Where `viewer`'s view is centred: its own player, or the one it follows (re-chosen when that one has left). */
  private centreOf(viewer: Viewer): { x: number; y: number } | undefined {
    const players = this.world.players;
    if (!viewer.own && (viewer.follow === undefined || !players.has(viewer.follow))) viewer.follow = players.keys().next().value;
    return viewer.follow === undefined ? undefined : players.get(viewer.follow);
  }

  /** The area of `viewer`'s view and its margin around the player it follows (everywhere when not filtering); undefined when it follows nobody. */
  private areaOf(viewer: Viewer): ViewArea | undefined {
    const centre = this.centreOf(viewer);
    if (!centre) return undefined;
    const area = viewArea(viewer.size, centre.x, centre.y, undefined, viewer.area);
    if (!this.filtering) area.halfWidth = area.halfHeight = Infinity;
    return area;
  }

  /** Every player and projectile looked at again: who came in, who went out, what is gone. */
  private sweep(viewer: Viewer, area: ViewArea): void {
    const { world, state } = this;
    const { view, players, shots } = viewer;
    for (const id of players) if (!world.players.has(id)) players.delete(id);
    for (const id of shots) if (!world.projectiles.has(id)) shots.delete(id);
    for (const [id, player] of world.players) {
      if (viewer.own && id === viewer.follow) continue;
      if (!players.has(id)) {
        if (!inArea(area, player.x, player.y)) continue;
        const wire = state.players.get(id);
        if (!wire) continue;
        view.add(wire);
        players.add(id);
      } else if (!inArea(area, player.x, player.y, VIEW_LEAVE_SLACK)) {
        const wire = state.players.get(id);
        if (wire) view.remove(wire);
        players.delete(id);
      }
    }
    for (const [id, shot] of world.projectiles) this.addShot(viewer, area, id, shot);
  }

  private addShot(viewer: Viewer, area: ViewArea, id: string, shot: { x: number; y: number }): void {
    if (viewer.shots.has(id) || !inArea(area, shot.x, shot.y)) return;
    const wire = this.state.projectiles.get(id);
    if (!wire) return;
    viewer.view.add(wire);
    viewer.shots.add(id);
  }
}

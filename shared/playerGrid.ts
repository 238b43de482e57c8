/**
 * Where the players stand, by cell: the step's spatial index on a crowded map
 * (the large mode's, `ArenaMap.crowded`). A shot's step asks for the players
 * near it instead of trying every player of the room, so a tick's cost grows
 * with the players, not with their square: there are about as many shots in
 * flight as players, and each meets the handful near it.
 */
import type { PlayerState, WorldState } from "./worldState.ts";

/** Side of a cell: a shot's step (30 u at 30 Hz) with its reach fits in one or two. */
const CELL = 256; // u

export class PlayerGrid {
  /** The players and their ids, in the world's order: a cell lists indexes into these. */
  readonly ids: string[] = [];
  readonly players: PlayerState[] = [];
  private columns = 0;
  private rows = 0;
  private readonly cells: number[][] = [];

  /** Files every player of `world` (whose map is `width` × `height`) under its cell. Call when they have moved. */
  rebuild(world: WorldState, width: number, height: number): void {
    this.columns = Math.max(1, Math.ceil(width / CELL));
    this.rows = Math.max(1, Math.ceil(height / CELL));
    const count = this.columns * this.rows;
    while (this.cells.length < count) this.cells.push([]);
    for (let i = 0; i < count; i++) this.cells[i]!.length = 0;
    this.ids.length = 0;
    this.players.length = 0;
    world.players.forEach((player, id) => {
      this.cells[this.cellOf(player.x, player.y)]!.push(this.ids.length);
      this.ids.push(id);
      this.players.push(player);
    });
  }

  /**
   * The indexes (into `ids` and `players`, ascending: the world's order) of
   * the players standing within the box, and perhaps a few more near it;
   * written into `out`, which is returned.
   */
  near(minX: number, minY: number, maxX: number, maxY: number, out: number[]): number[] {
    out.length = 0;
    const firstColumn = this.column(minX);
    const lastColumn = this.column(maxX);
    const firstRow = this.row(minY);
    const lastRow = this.row(maxY);
    for (let row = firstRow; row <= lastRow; row++) {
      for (let column = firstColumn; column <= lastColumn; column++) {
        const cell = this.cells[row * this.columns + column]!;
        for (let i = 0; i < cell.length; i++) out.push(cell[i]!);
      }
    }
    if (out.length > 1) out.sort(ascending);
    return out;
  }

  private cellOf(x: number, y: number): number {
    return this.row(y) * this.columns + this.column(x);
  }

  private column(x: number): number {
    const column = Math.floor(x / CELL);
    return !(column >= 0) ? 0 : column >= this.columns ? this.columns - 1 : column;
  }

  private row(y: number): number {
    const row = Math.floor(y / CELL);
    return !(row >= 0) ? 0 : row >= this.rows ? this.rows - 1 : row;
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}

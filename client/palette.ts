/** Player colours by the server-assigned `color` index; distinct on the dark floor. */
export const PLAYER_COLORS: readonly number[] = [
  0xff5d5d, 0x4fc3f7, 0xffd54f, 0x81c784, 0xba68c8, 0xff8a65, 0x4db6ac, 0xf06292,
  0xaed581, 0x7986cb, 0xffb74d, 0x90a4ae, 0xe57373, 0x64b5f6, 0xdce775, 0xa1887f,
];

export function playerColor(index: number): number {
  return PLAYER_COLORS[((index % PLAYER_COLORS.length) + PLAYER_COLORS.length) % PLAYER_COLORS.length];
}

export const FLOOR_COLOR = 0x1b1f27;
export const GRID_COLOR = 0x232833;
export const WALL_COLOR = 0x59627a;
export const WALL_EDGE_COLOR = 0x8892ad;
export const PROJECTILE_COLOR = 0xfff3b0;
export const TEXT_COLOR = "#e8ecf4";
export const MUTED_TEXT_COLOR = "#9aa3b5";

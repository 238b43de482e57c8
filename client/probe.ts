import type { GameEventKind } from "./effects/events.ts";
import type { NetStatsSnapshot } from "./net/netstats.ts";
import type { SoundName } from "./sound/synth.ts";

/**
 * What the game scene last drew, on `window.arenaProbe`: one object per scene,
 * updated in place every frame. The browser tests read it, and it is handy in
 * the console.
 */
export interface RenderProbe {
  /** Frames drawn so far: wait for it to grow to wait for the next frame. */
  frame: number;
  sessionId: string;
  /** Where the own player was drawn (world units), if alive. */
  me?: { x: number; y: number };
  playersDrawn: number;
  /** Where each player was drawn this frame (world units), the own one included; live matches only. */
  players?: Array<{ id: string; x: number; y: number }>;
  pingMs: number;
  pendingInputs: number;
  /** The connection: "connected", "reconnecting" or "closed". */
  status: string;
  /** Why the connection closed, as the player is told. */
  closedReason: string;
  /** The private room's code, when in one. */
  roomCode?: string;
  /** Watching without a seat. */
  spectating: boolean;
  /** The room's type (live matches only): the 16-player arena, or the large mode. */
  mode?: "arena" | "large";
  /** The large map's seed, from the state (the walls drawn are `largeMap(mapSeed)`'s). */
  mapSeed?: number;
  /** The view (world units) the session joined a large room with. */
  largeView?: { width: number; height: number };
  /** How many players and projectiles the room's state holds now (in the large mode, those near the view). */
  inState?: { players: number; projectiles: number };
  /** Players and projectiles gone from the state and fading out now (large mode). */
  fadingOut?: number;
  /** Players that started fading in (entering the state) and out (leaving it) so far (large mode). */
  playerFades?: { in: number; out: number };
  /** The size of the map drawn and how many walls it has. */
  mapDrawn?: { width: number; height: number; walls: number };
  /** The player a spectator of a large room follows. */
  followed?: string;
  /** The feed's lines (chat and system), oldest first, as shown. */
  feed: string[];
  /** Playing a replay back (`?replay=URL`): how far, how fast, and where each player was drawn. */
  replay?: {
    tick: number;
    ticks: number;
    speed: number;
    paused: boolean;
    finished: boolean;
    players: Array<{ id: string; x: number; y: number }>;
  };
  /** The input sampled last frame, and the device that led it (`keyboardMouse`, `touch`, `gamepad`). */
  controls?: { device?: string; moveX: number; moveY: number; aim: number; fire: boolean };
  /**
   * The part of the world the game camera shows (world units), and where on
   * the canvas it shows it (`screen`: the camera's viewport and the game's
   * size, in game pixels): enough to find a world point on the page.
   */
  view?: {
    x: number; y: number; width: number; height: number;
    screen: { x: number; y: number; width: number; height: number; gameWidth: number; gameHeight: number };
  };
  /** Sound and effects: the audio context's state, sounds asked for and started by name, effects shown, game events found. */
  feel?: FeelProbe;
  /** The large mode's minimap: its box on screen (CSS pixels), and how many heat cells it paints. */
  minimap?: ProbeRect & { hotCells: number };
  /** The HUD as laid out this frame (HudScene adds it every frame): boxes in CSS pixels, and what it shows. */
  hud?: HudProbe;
  /** The net graph's numbers (NetGraphScene adds them every frame), and whether the graph is on screen. */
  net?: NetStatsSnapshot & { visible: boolean };
}

/** A box on screen, CSS pixels. */
export interface ProbeRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the HUD shows and where (see `RenderProbe.hud`). */
export interface HudProbe {
  clock: ProbeRect;
  status: ProbeRect;
  stats: ProbeRect;
  /** An empty box at the feed's place while no kill is shown. */
  killFeed: ProbeRect;
  chat: ProbeRect;
  /** The kills in the feed, oldest first, colours as CSS hex. */
  kills: Array<{ killer: string; victim: string; killerColor: string; victimColor: string }>;
  /** The chat list's lines (kills are not among them). */
  chatLines: string[];
  /** The text of the fps/ping readout ("" when hidden). */
  statsText: string;
  scoreboard: boolean;
  settingsOpen: boolean;
  /** The camera: the whole arena, or following the own player; and its zoom (px per world unit). */
  camera: { wholeWorld: boolean; zoom: number };
  /** The arena's rectangle on screen. */
  arena: ProbeRect;
}

declare global {
  interface Window {
    arenaProbe?: RenderProbe;
  }
}

/** What the sound layer has done (`window.arenaProbe.feel.sound`). */
export interface SoundProbe {
  /** "webaudio" when sounds can play; "none" on a device without Web Audio (the game plays on, silent). */
  backend: "webaudio" | "none";
  /** The AudioContext's state ("suspended" until the first gesture, then "running"), or "none". */
  context: string;
  /** Sounds the game asked for, by name, since the scene started. */
  requested: Partial<Record<SoundName, number>>;
  /** Sounds that actually started, by name (never before the first gesture). */
  started: Partial<Record<SoundName, number>>;
  /** Voices sounding now. */
  playing: number;
  /** The sound manager's master volume (0 … 1) and mute, as the settings set them. */
  volume: number;
  muted: boolean;
}

/** Effects shown so far, by kind. */
export interface EffectCounts {
  muzzleFlash: number;
  hitFlash: number;
  hitMarker: number;
  deathBurst: number;
  respawn: number;
  shake: number;
}

/** Sound and effects of the match on screen. */
export interface FeelProbe {
  sound: SoundProbe;
  effects: EffectCounts;
  /** Game events found so far, by kind. */
  events: Partial<Record<GameEventKind, number>>;
  /** The low-hp warning is on screen. */
  lowHpWarning: boolean;
}

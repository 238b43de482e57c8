/**
 * Every tuning value of the game, in one place. Server, client prediction and
 * the headless runner all read these, so a change here changes the game for
 * everyone at once (a client built against other values would mispredict).
 */

/** Default fixed simulation rate; the server's `TICK_HZ` overrides it and tells clients. */
export const DEFAULT_TICK_HZ = 30; // Hz

// World
export const WORLD_WIDTH = 1600; // u
export const WORLD_HEIGHT = 1200; // u

// Players
export const PLAYER_RADIUS = 18; // u
export const PLAYER_ACCEL = 2400; // u/s²
export const PLAYER_FRICTION = 8; // 1/s, velocity damping rate
export const PLAYER_MAX_SPEED = 320; // u/s
export const PLAYER_MAX_HP = 100; // hp
export const RESPAWN_SECONDS = 2.5; // s dead before respawning
export const SPAWN_PROTECTION_SECONDS = 1.5; // s of immunity after a spawn
/** A spawn point closer than this to a living enemy is avoided when another is free. */
export const SPAWN_SAFE_DISTANCE = 220; // u

// Weapon
export const FIRE_COOLDOWN_SECONDS = 0.25; // s between shots
export const PROJECTILE_SPEED = 900; // u/s
export const PROJECTILE_RADIUS = 5; // u
export const PROJECTILE_DAMAGE = 25; // hp per hit
export const PROJECTILE_LIFETIME_SECONDS = 1.2; // s before a miss fades

// Match
export const MATCH_SECONDS = 180; // s of play per match
export const SCOREBOARD_SECONDS = 10; // s the scoreboard shows between matches

// Names
export const NAME_MAX_LENGTH = 16; // characters

/**
 * Server-side input pacing: a player may bank at most this many ticks of
 * unused input credit, so the inputs held up by a delivery stall (a TCP
 * retransmission takes 200–500 ms) are all applied when they arrive, while a
 * client that floods inputs still moves at one input per tick on average. The
 * same idea as Source's `sv_maxusrcmdprocessticks`.
 */
export const INPUT_CATCHUP_TICKS = 16; // ticks
/** Inputs buffered per player beyond this are dropped, oldest first. */
export const INPUT_BUFFER_TICKS = 32; // ticks

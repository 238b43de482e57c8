/**
 * What a server answers while its room registry (Redis, in a deployment of
 * several processes) is away: part of the public contract. Matchmaking, the
 * lobby and /watch answer HTTP 503 with `{ code: 503, error: REGISTRY_UNAVAILABLE }`
 * and a `Retry-After` of REGISTRY_RETRY_AFTER_SECONDS; rooms already running play on.
 */

/** The sentence a refused join carries (and the browser client shows). */
export const REGISTRY_UNAVAILABLE = "the game's registry is unavailable; try again shortly";

/** HTTP status of that answer. */
export const REGISTRY_UNAVAILABLE_STATUS = 503;

/** The `Retry-After` sent with it, in seconds: the registry usually returns within seconds of Redis. */
export const REGISTRY_RETRY_AFTER_SECONDS = 3;

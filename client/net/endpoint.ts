/** Set by vite.config.ts: "/colyseus" under the dev server, "" in a build. */
declare const __GAME_PATH__: string;

/**
 * Where the game server is. The built client is served by the game server
 * itself, so the page's own origin is right; under `npm run dev` Vite proxies
 * `/colyseus` to the game server (see vite.config.ts). `?server=URL` points a
 * page at another server.
 */
export function gameServerEndpoint(location: Location = window.location): string {
  const override = new URLSearchParams(location.search).get("server");
  if (override) return override;
  return `${location.origin}${__GAME_PATH__}`;
}

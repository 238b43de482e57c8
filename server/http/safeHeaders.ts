import { ServerResponse, type IncomingMessage } from "node:http";

/**
 * What the game's page may load and run. Every directive is the least the
 * game needs (checked in Chromium by test/e2e/page-headers.test.ts):
 * - scripts and styles only from this server: no inline script, no eval. Phaser
 *   styles its canvas and DOM elements through the CSSOM, which CSP allows;
 * - images, sound and fonts from this server, `data:` and `blob:` (Phaser makes
 *   its built-in textures from data: URLs; sounds made at run time may use blob: URLs);
 * - connections (fetch, WebSocket) anywhere over http(s) and ws(s), on purpose:
 *   `?server=URL` points the page at another game server, and in a cluster a seat
 *   sends the client to the process that holds the room (its PUBLIC_ADDRESS), which
 *   need not share the page's origin. Each server decides which pages may talk to
 *   it by their Origin (ALLOWED_ORIGINS), which the browser sends and a page cannot forge;
 * - no plugins, no `<base>`, forms submit only here, and no framing by other sites.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' http: https: ws: wss:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The admin monitor's page (`@colyseus/monitor`, mounted at /monitor) styles
 * itself with inline styles and asks for Google's icon font; the rest of the
 * game's policy holds there too.
 */
export const MONITOR_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY
  .replace("style-src 'self'", "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com")
  .replace("font-src 'self' data:", "font-src 'self' data: https://fonts.gstatic.com");

/**
 * Headers on every HTTP response of the server, whoever answers (the game's
 * files, the API, Colyseus' matchmaking). A route may replace one (the admin
 * monitor has a looser policy of its own).
 */
export const SAFE_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  // Browsers take a response for the type it says it is, never a guess from its bytes.
  "X-Content-Type-Options": "nosniff",
  // Links out of the game (and fetches to another server) carry no address of the page:
  // room codes and `?server=` stay private. Origin checks use the Origin header, not this.
  "Referrer-Policy": "no-referrer",
  // For browsers that predate frame-ancestors.
  "X-Frame-Options": "DENY",
  // A window this page opens cannot reach back into it.
  "Cross-Origin-Opener-Policy": "same-origin",
};

/**
 * The response class given to `http.createServer({ ServerResponse })`: each
 * response starts with `SAFE_HEADERS`, set before any listener runs, so no
 * route (Colyseus' own included) can forget them.
 */
export class SafeHeadersResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  // Node also passes the server's response options (high-water mark…), which Node's typings omit:
  // the rest parameter hands on whatever it is given.
  constructor(...args: [request: Request]) {
    super(...args);
    for (const [name, value] of Object.entries(SAFE_HEADERS)) this.setHeader(name, value);
  }
}

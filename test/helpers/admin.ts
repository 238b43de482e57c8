/** The moderation API as a test speaks it: the admin's Basic auth, JSON in, status and JSON out. */

/** The ADMIN_PASSWORD of every test server that moderates. */
export const ADMIN_PASSWORD = "correct horse battery";

/** `Authorization` for user `admin` with `password`. */
export function basicAuth(password = ADMIN_PASSWORD): string {
  return `Basic ${Buffer.from(`admin:${password}`).toString("base64")}`;
}

/**
 * `method path` on `base` with an optional JSON body, as the admin (or with
 * `authorization` as given, "" for none), from `forwardedFor` when given (a
 * server under TRUST_PROXY reads the address there).
 */
export async function adminCall(base: string, method: string, path: string, json?: unknown,
  options: { authorization?: string; forwardedFor?: string } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization ?? basicAuth();
  if (authorization) headers.authorization = authorization;
  if (json !== undefined) headers["content-type"] = "application/json";
  if (options.forwardedFor) headers["x-forwarded-for"] = options.forwardedFor;
  const response = await fetch(`${base}${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  return { status: response.status, body: await response.json() };
}

/** The player-data API as a test speaks it: JSON in, status and JSON out. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  contentType: string;
}

/** `method path` on `base` with an optional JSON body (or raw text) and bearer. */
export async function call<T = any>(base: string, method: string, path: string, options: { json?: unknown; raw?: string; bearer?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.json !== undefined || options.raw !== undefined) headers["content-type"] = "application/json";
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const response = await fetch(`${base}${path}`, {
    method, headers, body: options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
  });
  const contentType = response.headers.get("content-type") ?? "";
  const text = await response.text();
  return { status: response.status, contentType, body: (contentType.includes("json") && text ? JSON.parse(text) : text) as T };
}

/** A new profile on `base`: its id and secret. */
export async function newProfile(base: string, name?: string): Promise<{ id: string; secret: string }> {
  const answer = await call<{ id: string; secret: string }>(base, "POST", "/auth/profile", { json: name === undefined ? {} : { name } });
  if (answer.status !== 201) throw new Error(`profile refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A join token bound to the profile whose secret this is. */
export async function profileToken(base: string, secret: string, name?: string): Promise<string> {
  const answer = await call<{ token: string; profileId?: string }>(base, "POST", "/auth/guest", { json: { name, profile: secret } });
  if (answer.status !== 200 || !answer.body.profileId) throw new Error(`no token for the profile: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.token;
}

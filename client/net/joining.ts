import { ServerError, type Client, type Room } from "@colyseus/sdk";
import { LARGE_ROOM_NAME, type ViewSize } from "../../shared/largeMode.ts";
import { ROOM_NAME } from "../../shared/protocol.ts";
import { REGISTRY_RETRY_AFTER_SECONDS, REGISTRY_UNAVAILABLE_STATUS } from "../../shared/registry.ts";
import { RefusedError, REGISTRY_UNAVAILABLE_SENTENCE, registryUnavailable } from "./errors.ts";

/**
 * The ways into a room, from the menu. Quick play joins the arena, or the
 * large mode with `large` (the view the screen shows, in world units: the
 * large room sends what lies in it). A room joined by its id takes the view
 * too when it is a large one (the lobby says so).
 */
export type Entry =
  | { kind: "quickPlay"; name: string; large?: ViewSize }
  | { kind: "createPrivate"; name: string }
  | { kind: "code"; code: string; name: string; large?: ViewSize }
  | { kind: "watch"; roomId: string; name: string };

/** Opens the room `entry` asks for; errors are Colyseus' or a RefusedError with a sentence. */
export async function openRoom(client: Client, endpoint: string, entry: Entry): Promise<Room> {
  switch (entry.kind) {
    case "quickPlay": return entry.large
      ? client.joinOrCreate(LARGE_ROOM_NAME, { name: entry.name, view: entry.large })
      : client.joinOrCreate(ROOM_NAME, { name: entry.name });
    case "createPrivate": return client.create(ROOM_NAME, { name: entry.name, private: true });
    case "code": return client.joinById(entry.code.trim().toUpperCase(), entry.large ? { name: entry.name, view: entry.large } : { name: entry.name });
    case "watch": {
      // Spectator seats go through the server's /watch route: it also seats watchers in full rooms.
      const response = await fetch(`${endpoint}/watch/${encodeURIComponent(entry.roomId.trim())}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${client.auth.token}` },
        body: JSON.stringify({ name: entry.name }),
      });
      const answer = await response.json() as { error?: string };
      if (response.status === REGISTRY_UNAVAILABLE_STATUS) throw new ServerError(response.status, answer.error ?? "");
      if (!response.ok) throw new RefusedError(answer.error ?? `The game cannot be watched (HTTP ${response.status}).`);
      return client.consumeSeatReservation(answer as Parameters<Client["consumeSeatReservation"]>[0]);
    }
  }
}

/** How long a join keeps trying by itself while the game's registry is away (ms). */
export const REGISTRY_PATIENCE_MS = 120_000;

/**
 * Runs `attempt` (a join), and again every REGISTRY_RETRY_AFTER_SECONDS while
 * it is refused because the game's registry is away (503), for up to
 * `patienceMs`, telling the player through `onWait` each time. Any other
 * refusal, and the last 503, is thrown as `attempt` threw it.
 */
export async function retryWhileRegistryAway<T>(
  attempt: () => Promise<T>, onWait: (sentence: string) => void = () => {}, patienceMs = REGISTRY_PATIENCE_MS,
): Promise<T> {
  const giveUpAt = Date.now() + patienceMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!registryUnavailable(error) || Date.now() >= giveUpAt) throw error;
      onWait(`${REGISTRY_UNAVAILABLE_SENTENCE} Trying again…`);
      await new Promise((resolve) => setTimeout(resolve, REGISTRY_RETRY_AFTER_SECONDS * 1000));
    }
  }
}

/**
 * The reconnection token of the seat this tab holds, in sessionStorage: it
 * survives a reload of the tab, and no other tab can take the seat over.
 */
export const savedSeat = {
  key: "arena.seat",
  // Headless clients (Node: bots, measurements) have no sessionStorage and nothing to resume.
  storage: typeof sessionStorage === "undefined" ? undefined : sessionStorage,
  read(): string | null {
    return this.storage?.getItem(this.key) ?? null;
  },
  write(token: string): void {
    this.storage?.setItem(this.key, token);
  },
  clear(): void {
    this.storage?.removeItem(this.key);
  },
};

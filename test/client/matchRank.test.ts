import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MatchRank } from "../../client/ui/matchRank.ts";
import { newProfile } from "../helpers/playerApi.ts";
import { recordedMatch } from "../helpers/records.ts";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

/** A Storage over a Map: what the page's localStorage is to the profile client. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() { return items.size; },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => { items.delete(key); },
    setItem: (key, value) => { items.set(key, String(value)); },
  };
}

describe("the player's rank under the end-of-match table", () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
    (globalThis as { localStorage?: Storage }).localStorage = memoryStorage();
  });

  afterEach(async () => {
    delete (globalThis as { localStorage?: Storage }).localStorage;
    await server.close();
  });

  it("shows this week's place once the scoreboard is up, and clears it when the next match starts", async () => {
    const ann = await newProfile(server.url, "Ann");
    const bob = await newProfile(server.url, "Bob");
    localStorage.setItem(`arena.profile.${server.url}`, bob.secret);
    server.arena.records.sink(recordedMatch([{ name: "Ann", score: 5, profileId: ann.id }, { name: "Bob", score: 3, profileId: bob.id }]));
    await server.arena.records.queue.whenIdle();

    const rank = new MatchRank(server.url);
    expect(rank.line("playing")).toBe("");
    expect(rank.line("scoreboard")).toBe("");
    await waitFor(() => rank.line("scoreboard") !== "", { timeoutMs: 10_000, message: "the rank line" });
    expect(rank.line("scoreboard")).toBe("You: #2 this week (3 kills)");
    expect(rank.line("playing")).toBe("");
  });
});

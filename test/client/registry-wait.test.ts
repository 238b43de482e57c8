/** The game client while the game's registry is away: what it says, and that it tries again by itself. */
import { MatchMakeError } from "@colyseus/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { describeJoinError, REGISTRY_UNAVAILABLE_SENTENCE, registryUnavailable } from "../../client/net/errors.ts";
import { retryWhileRegistryAway } from "../../client/net/joining.ts";
import { REGISTRY_RETRY_AFTER_SECONDS, REGISTRY_UNAVAILABLE } from "../../shared/registry.ts";

const away = () => new MatchMakeError(REGISTRY_UNAVAILABLE, 503);

describe("a join refused because the registry is away", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads as the server's sentence", () => {
    expect(registryUnavailable(away())).toBe(true);
    expect(registryUnavailable(new MatchMakeError("full", 4212))).toBe(false);
    expect(REGISTRY_UNAVAILABLE_SENTENCE).toBe("The game's registry is unavailable; try again shortly.");
    expect(describeJoinError(away(), "http://x")).toBe(REGISTRY_UNAVAILABLE_SENTENCE);
  });

  it("is tried again every Retry-After, saying so, until it goes through", async () => {
    vi.useFakeTimers();
    const answers: Array<() => Promise<string>> = [() => Promise.reject(away()), () => Promise.reject(away()), async () => "seated"];
    const waits: string[] = [];
    const joining = retryWhileRegistryAway(() => answers.shift()!(), (sentence) => waits.push(sentence));
    await vi.advanceTimersByTimeAsync(2 * REGISTRY_RETRY_AFTER_SECONDS * 1000);
    expect(await joining).toBe("seated");
    expect(waits).toEqual([`${REGISTRY_UNAVAILABLE_SENTENCE} Trying again…`, `${REGISTRY_UNAVAILABLE_SENTENCE} Trying again…`]);
  });

  it("gives up after its patience, and never retries another refusal", async () => {
    const last = away();
    let tries = 0;
    await expect(retryWhileRegistryAway(() => { tries++; return Promise.reject(last); }, () => {}, 0)).rejects.toBe(last);
    expect(tries).toBe(1);
    const full = new MatchMakeError("full", 4212);
    let attempts = 0;
    await expect(retryWhileRegistryAway(() => { attempts++; return Promise.reject(full); })).rejects.toBe(full);
    expect(attempts).toBe(1);
  });
});

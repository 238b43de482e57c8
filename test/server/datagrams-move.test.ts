import { describe, expect, it } from "vitest";
import { ArenaSession } from "../../client/net/session.ts";
import { NODE_DATAGRAMS } from "../../testkit/datagrams.ts";
import { freePort } from "../../testkit/serverProcess.ts";
import { logOf, useMovingProcesses } from "../helpers/movingProcesses.ts";
import { ownRedisAvailable } from "../helpers/ownRedis.ts";
import { postgresAvailable } from "../helpers/postgres.ts";
import { waitFor } from "../helpers/server.ts";

/**
 * A rolling restart with datagrams: the successor shares the predecessor's
 * TCP port but cannot share its UDP port, so it takes another and announces
 * it in its offers; a session whose room moves there opens its channel again.
 */
describe.skipIf(!ownRedisAvailable || !postgresAvailable)("datagrams across a room's move to another process", () => {
  const { startAt } = useMovingProcesses();

  it("the successor takes a UDP port of its own, and the moved session plays on datagrams there", async () => {
    const port = await freePort();
    const a = await startAt(port);
    const game = await ArenaSession.enter(a.url, { kind: "quickPlay", name: "Gamer" }, undefined, undefined, NODE_DATAGRAMS);
    try {
      await waitFor(() => game.transport === "datagram", { timeoutMs: 15_000, message: "the channel to the first process" });
      const statuses = new Set<string>();
      const watch = setInterval(() => statuses.add(game.status), 5);
      const b = await startAt(port);
      const [first] = logOf(a, "datagrams on");
      const [second] = logOf(b, "datagrams on");
      expect(first?.udpPort).toBe(port);
      expect(second?.udpPort).not.toBe(port);
      a.child.kill("SIGTERM");
      expect(await a.exited).toBe(0);
      await waitFor(() => statuses.has("reconnecting") && game.status === "connected" && game.transport === "datagram", {
        timeoutMs: 30_000, message: () => `the session back on datagrams (status ${game.status}, transport ${game.transport})`,
      });
      clearInterval(watch);
      expect(game.me?.name).toBe("Gamer");
    } finally {
      await game.leave();
    }
  }, 90_000);
});

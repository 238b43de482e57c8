import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATAGRAM_ATTACKS } from "../../bench/lib/datagramAttacks.ts";
import type { AttackTarget } from "../../bench/lib/attacks.ts";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import { honestPlayer, type HonestPlayer } from "./honest.ts";

/**
 * The hostile run's datagram attacks (bench/lib/datagramAttacks.ts), each run
 * once against a server with datagrams on while an honest player plays: each
 * gets the answer docs/security.md gives it, and the honest player never
 * notices. Each attacker comes from a loopback address of its own.
 */
describe("attacks on the datagram channel (npm run hostile's)", () => {
  let server: TestServer;
  let honest: HonestPlayer;
  let target: AttackTarget;
  beforeAll(async () => {
    server = await startTestServer();
    honest = await honestPlayer(server);
    const { security } = server.config;
    target = {
      url: server.url, authSecret: "", udpPort: server.arena.datagrams.udpPort,
      maxConnectionsPerIp: security.maxConnectionsPerIp, joinsPerMinutePerIp: security.joinsPerMinutePerIp,
    };
  });
  afterAll(async () => {
    honest?.stop();
    await server?.close();
  });

  it("has a UDP port to attack", () => {
    expect(target.udpPort).toBeGreaterThan(0);
  });

  it.each(DATAGRAM_ATTACKS.map((attack, i) => [attack.name, attack, i] as const))("%s: answered as documented, the honest player plays on", async (_name, attack, i) => {
    const outcome = await attack.run(target, { from: `127.0.0.${10 + i}` });
    expect(outcome, outcome.detail).toMatchObject({ documented: true });
    // The attacker's seat is gone (kicked, or closed by the attack itself); the honest player is alone again and still served.
    const room = server.serverRoom(honest.room.roomId);
    await waitFor(() => room.state.players.size === 1, { timeoutMs: 5000, message: () => `the attacker's seat to be freed (${room.state.players.size} players)` });
    await honest.expectStillPlaying();
  }, 60_000);
});

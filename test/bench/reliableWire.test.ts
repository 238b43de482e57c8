import { Decoder } from "@colyseus/schema";
import { describe, expect, it } from "vitest";
import { ReliableState, ReliableWire } from "../../bench/baseline/reliableWire.ts";
import { measureLastWriteCost } from "../../bench/lib/lastWrite.ts";
import { arenaMirror, playTick, recordGame } from "../../bench/lib/tickRecording.ts";
import { makeRules } from "../../shared/rules.ts";
import { botRoster } from "../../shared/simulation.ts";

/**
 * The wire image before datagrams, which `npm run bench` encodes the same game
 * through to compare bytes (bench/baseline/reliableWire.ts): it must carry the
 * very game Arena's state does, or the comparison means nothing.
 */
const rules = makeRules({ tickHz: 30, matchSeconds: 3600 });
const game = { rules, roster: botRoster(3, 6), seed: 3, warmUpTicks: 30 };
const { recording } = recordGame(game, 240, 6);

describe("the reliable-only wire image (bench/baseline/reliableWire.ts)", () => {
  it("gives a client that decodes its patches every player where Arena's state has it, and the shots in flight, tick after tick", () => {
    const mirror = arenaMirror(game);
    const wire = new ReliableWire();
    const seen = new ReliableState();
    const decoder = new Decoder(seen);
    const watcher = game.roster[0]!.id;
    let moves = 0;
    for (const tick of recording) {
      playTick(mirror, tick, rules);
      wire.follow(mirror.state);
      wire.patchBytes((id, patch) => { if (id === watcher) decoder.decode(patch, { offset: 1 }); });
      mirror.state.players.forEach((player, id) => {
        const decoded = seen.players.get(id)!;
        expect({ id, x: decoded.x, y: decoded.y, aim: decoded.aim, hp: decoded.hp, alive: decoded.alive })
          .toEqual({ id, x: player.x, y: player.y, aim: player.aim, hp: player.hp, alive: player.alive });
      });
      const own = mirror.state.players.get(watcher)!;
      expect({ vx: seen.players.get(watcher)!.vx, vy: seen.players.get(watcher)!.vy }).toEqual({ vx: own.body.vx, vy: own.body.vy });
      expect([...seen.projectiles.keys()].sort()).toEqual([...mirror.state.projectiles.keys()].sort());
      if (own.body.vx !== 0 || own.body.vy !== 0) moves++;
    }
    // A game, not a still life: the watcher moved and shots flew.
    expect(moves).toBeGreaterThan(10);
  });

  it("costs fewer bytes a tick than Arena's image on the WebSocket, which costs fewer than on datagrams by the datagrams' clocks", () => {
    const { wire } = measureLastWriteCost(game, recording);
    expect(wire.before).toBeGreaterThan(0);
    expect(wire.before).toBeLessThan(wire.websocket);
    expect(wire.websocket).toBeLessThan(wire.datagrams);
    // Eight bytes of clock per datagram, at most one datagram a tick.
    expect(wire.datagrams - wire.websocket).toBeLessThanOrEqual(8.05);
  });
});

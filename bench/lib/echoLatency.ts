/**
 * Input → own-echo latency, measured with Arena's real client net layer
 * (`ArenaSession`, as the browser game uses it, headless): from the moment an
 * input leaves the client to the arrival of the state patch that acknowledges
 * it (the input handle's `lastProcessed` reaching its sequence number). This
 * includes waiting for the server's next tick and its next patch.
 *
 * Only the session's public API is used: inputs go out inside `update()` and
 * are counted there (`pendingInputs` rises by the number sent; no patch can
 * arrive during the synchronous call), and every applied patch lowers
 * `pendingInputs` by the number it acknowledged, oldest first.
 */
import { ArenaSession } from "../../client/net/session.ts";
import type { DatagramChoice } from "../../client/net/datagrams.ts";
import { botInput, botRandom, newBotMemory } from "../../shared/bot.ts";
import { ArenaSight } from "../../testkit/arenaSight.ts";
import { IDLE_INPUT, type PlayerInput } from "../../shared/protocol.ts";
import type { MatchRules } from "../../shared/rules.ts";

/** A browser's frame interval: the session is updated once per frame. */
const FRAME_MS = 1000 / 60;

export class EchoLatencyProbe {
  /** Latencies (ms) of the inputs acknowledged while `measuring`. */
  readonly samples: number[] = [];
  measuring = false;
  private readonly session: ArenaSession;
  private readonly sentAt: number[] = [0];
  private acknowledged = 0;
  private timer: NodeJS.Timeout | undefined;

  private constructor(session: ArenaSession) {
    this.session = session;
  }

  /** Joins `url` by quick play and starts playing with the shared bot brain, one update per frame; `datagrams` as a session's. */
  static async join(url: string, name: string, rules: MatchRules, seed: number, datagrams: DatagramChoice = "websocket"): Promise<EchoLatencyProbe> {
    const probe = new EchoLatencyProbe(await ArenaSession.join(url, name, undefined, datagrams));
    probe.start(rules, seed);
    return probe;
  }

  private get sent(): number {
    return this.sentAt.length - 1;
  }

  private start(rules: MatchRules, seed: number): void {
    const { session } = this;
    session.onSnapshot(() => {
      const now = performance.now();
      const acknowledged = this.sent - session.pendingInputs;
      for (let seq = this.acknowledged + 1; seq <= acknowledged; seq++) {
        if (this.measuring) this.samples.push(now - this.sentAt[seq]);
      }
      this.acknowledged = Math.max(this.acknowledged, acknowledged);
    });
    const memory = newBotMemory();
    const sight = new ArenaSight();
    let controls: PlayerInput = { ...IDLE_INPUT };
    const frame = () => {
      const before = session.pendingInputs;
      session.update(performance.now(), controls);
      const sent = session.pendingInputs - before;
      const now = performance.now();
      for (let i = 0; i < sent; i++) this.sentAt.push(now);
      const me = session.me;
      if (sent > 0 && me) {
        const { players, projectiles } = sight.see(session.state, session.snapshotTime, session.serverNow);
        controls = botInput({
          id: session.sessionId, self: players.get(session.sessionId) ?? { ...me, ...me.body }, tick: this.sent, phase: session.state.phase, rules, players, projectiles,
        }, memory, botRandom(seed, this.sent, session.sessionId));
      }
      this.timer = setTimeout(frame, FRAME_MS);
    };
    frame();
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.session.leave().catch(() => undefined);
  }
}

/**
 * The datagram half of the reconnect stress run (bench/chaos.ts with
 * `--transport datagrams` or `mixed`). A bot on datagrams keeps a
 * DatagramLink, as the browser client does, and the run watches two things:
 *
 * - after a WebSocket cut and resume, the link opens a channel on the new
 *   connection by itself: counted, and timed from the resume;
 * - a channel cut alone (`DatagramLink.closeChannel`: the client's side
 *   closes it mid-match): the bot plays on over the WebSocket in its seat
 *   (state patches keep coming, seat and score stay), and the link opens a
 *   new channel after its back-off: counted, and timed from the cut.
 *
 * A channel is awaited until it opens or the run ends; a bot with one awaited
 * is cut no further (neither kind), so every time measures one recovery.
 */
import type { Room } from "@colyseus/sdk";
import { DatagramLink } from "../../client/net/datagrams.ts";
import type { ArenaView } from "../../shared/protocol.ts";
import { datagramsFor, type TransportMix } from "../../testkit/datagrams.ts";
import { percentile } from "./report.ts";

/** How often awaited channels are looked at: the resolution of the times measured (ms). */
const CHECK_EVERY_MS = 10;
/** The reason a channel cut by this run ends with, in the link's stats. */
const CUT_REASON = "cut by the chaos run";

/** A bot on datagrams, as this module follows it. */
interface ChannelBot {
  room: Room;
  link: DatagramLink;
  /** State patches received so far. */
  patches: number;
  /** The link's `stats.failed` when last looked at. */
  failedSeen: number;
  left: boolean;
  awaited?: AwaitedChannel;
}

/** A channel the run waits for, after a resume or after a channel cut. */
interface AwaitedChannel {
  after: "resume" | "cut";
  at: number;
  /** The link's `stats.opened` then: the next channel proven makes it one more. */
  openedBefore: number;
  sessionId: string;
  score: number;
  patchesBefore: number;
}

/** The datagram figures of a chaos run, as bench/results/chaos.json holds them under `datagrams`. */
export interface ChannelFigures {
  /** Bots that played with a DataChannel. */
  bots: number;
  /** Of them, with a channel open before the first cut. */
  openAtStart: number;
  reopenedAfterResume: number;
  reopenMsP50: number;
  reopenMsP99: number;
  /** Resumed bots whose channel had not opened again by the end (goal 0). */
  notBackAfterResume: number;
  channelCuts: number;
  /** Channel cuts the bot played through over the WebSocket, patches coming, seat and score kept (goal: all). */
  fallbacksInSeat: number;
  recovered: number;
  recoverMsP50: number;
  recoverMsP99: number;
  recoverMsMax: number;
  /** Cut channels not open again by the end (goal 0). */
  notRecovered: number;
  /** Channels that failed with no cut: an attempt that timed out, a channel gone silent or closed by the server. */
  failedUncut: number;
  /** Of them, how many for each reason the link gave. */
  uncutFailureReasons: Record<string, number>;
}

/** See the module comment. `stop` must be called at the end of the run. */
export class ChaosChannels {
  private readonly mix: TransportMix;
  private readonly bots = new Map<Room, ChannelBot>();
  private readonly reopenMs: number[] = [];
  private readonly recoverMs: number[] = [];
  private readonly checker = setInterval(() => this.check(), CHECK_EVERY_MS);
  private openAtStart = 0;
  private channelCuts = 0;
  private fallbacksInSeat = 0;
  private readonly uncutFailureReasons: Record<string, number> = {};

  constructor(mix: TransportMix) {
    this.mix = mix;
  }

  /** Channel cuts made so far. */
  get cutsMade(): number {
    return this.channelCuts;
  }

  /** Gives the `index`th bot of the run its link, if `--transport` puts it on datagrams. Call right after it joined. */
  attach(room: Room, index: number): void {
    const choice = datagramsFor(this.mix, index);
    if (choice === "websocket") return;
    const bot: ChannelBot = { room, link: new DatagramLink(room, choice.peerConnection), patches: 0, failedSeen: 0, left: false };
    room.onStateChange(() => bot.patches++);
    room.onLeave(() => (bot.left = true));
    this.bots.set(room, bot);
  }

  /** Resolves once every link has its channel open, or after `deadlineMs`, with how many are open (remembered for the figures). */
  async opened(deadlineMs: number): Promise<number> {
    const deadline = performance.now() + deadlineMs;
    const open = () => [...this.bots.values()].filter((bot) => bot.link.transport === "datagram").length;
    while (open() < this.bots.size && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    this.openAtStart = open();
    return this.openAtStart;
  }

  /** `room`'s WebSocket was resumed after a cut: its channel is awaited from now. */
  resumed(room: Room): void {
    const bot = this.bots.get(room);
    if (bot && !bot.awaited) bot.awaited = this.awaiting(bot, "resume");
  }

  /** True while `room`'s channel is awaited: the bot is not to be cut. */
  busy(room: Room): boolean {
    return this.bots.get(room)?.awaited !== undefined;
  }

  /**
   * Closes the channel of one of `rooms` (picked with `random`) whose channel
   * is up and not awaited; false when none of them has one.
   */
  cutOne(rooms: readonly Room[], random: () => number): boolean {
    const candidates = rooms.map((room) => this.bots.get(room))
      .filter((bot): bot is ChannelBot => bot !== undefined && !bot.awaited && bot.link.transport === "datagram");
    if (candidates.length === 0) return false;
    const bot = candidates[Math.floor(random() * candidates.length)];
    bot.awaited = this.awaiting(bot, "cut");
    this.noteFailures(bot);
    bot.link.closeChannel(CUT_REASON);
    bot.failedSeen = bot.link.stats.failed;
    this.channelCuts++;
    return true;
  }

  /** Channels awaited now. */
  pending(): number {
    return [...this.bots.values()].filter((bot) => bot.awaited).length;
  }

  /** Stops watching; what is still awaited counts as never back. */
  stop(): ChannelFigures {
    clearInterval(this.checker);
    for (const bot of this.bots.values()) this.noteFailures(bot);
    const stillAwaited = [...this.bots.values()].flatMap((bot) => (bot.awaited ? [bot.awaited] : []));
    const cutsNotBack = stillAwaited.filter((awaited) => awaited.after === "cut");
    // A cut never recovered still had its fallback: judged at the end.
    for (const bot of this.bots.values()) if (bot.awaited?.after === "cut" && this.keptSeat(bot, bot.awaited)) this.fallbacksInSeat++;
    const round = (value: number) => Math.round(value);
    return {
      bots: this.bots.size,
      openAtStart: this.openAtStart,
      reopenedAfterResume: this.reopenMs.length,
      reopenMsP50: round(percentile(this.reopenMs, 0.5)),
      reopenMsP99: round(percentile(this.reopenMs, 0.99)),
      notBackAfterResume: stillAwaited.length - cutsNotBack.length,
      channelCuts: this.channelCuts,
      fallbacksInSeat: this.fallbacksInSeat,
      recovered: this.recoverMs.length,
      recoverMsP50: round(percentile(this.recoverMs, 0.5)),
      recoverMsP99: round(percentile(this.recoverMs, 0.99)),
      recoverMsMax: round(Math.max(...this.recoverMs)),
      notRecovered: cutsNotBack.length,
      failedUncut: Object.values(this.uncutFailureReasons).reduce((sum, count) => sum + count, 0),
      uncutFailureReasons: this.uncutFailureReasons,
    };
  }

  private awaiting(bot: ChannelBot, after: AwaitedChannel["after"]): AwaitedChannel {
    const score = (bot.room.state as ArenaView).players.get(bot.room.sessionId)?.score ?? 0;
    return { after, at: performance.now(), openedBefore: bot.link.stats.opened, sessionId: bot.room.sessionId, score, patchesBefore: bot.patches };
  }

  /** Ends every wait whose channel has opened since it began. */
  private check(): void {
    for (const bot of this.bots.values()) {
      this.noteFailures(bot);
      const awaited = bot.awaited;
      if (!awaited || bot.link.stats.opened <= awaited.openedBefore) continue;
      bot.awaited = undefined;
      const ms = performance.now() - awaited.at;
      if (awaited.after === "resume") {
        this.reopenMs.push(ms);
        continue;
      }
      this.recoverMs.push(ms);
      if (this.keptSeat(bot, awaited)) this.fallbacksInSeat++;
    }
  }

  /** Tallies the failures of `bot`'s link since the last look, under the last one's reason (looks are 10 ms apart). */
  private noteFailures(bot: ChannelBot): void {
    const failures = bot.link.stats.failed - bot.failedSeen;
    if (failures === 0) return;
    bot.failedSeen = bot.link.stats.failed;
    const reason = bot.link.stats.lastFailure ?? "unknown";
    this.uncutFailureReasons[reason] = (this.uncutFailureReasons[reason] ?? 0) + failures;
  }

  /** The bot played on over the WebSocket since the cut: still in the room, the same seat and score, patches arriving. */
  private keptSeat(bot: ChannelBot, awaited: AwaitedChannel): boolean {
    const me = (bot.room.state as ArenaView).players.get(bot.room.sessionId);
    return !bot.left && bot.room.sessionId === awaited.sessionId && me !== undefined && me.score >= awaited.score
      && bot.patches > awaited.patchesBefore;
  }
}

/** The terminal table's rows for `figures`. */
export function channelRows(figures: ChannelFigures): Array<[string, string | number]> {
  const reasons = Object.entries(figures.uncutFailureReasons).map(([reason, count]) => `${count} ${reason}`).join(", ");
  return [
    ["bots on datagrams (channel open at the start)", `${figures.bots} (${figures.openAtStart})`],
    ["channels re-opened after a resume", figures.reopenedAfterResume],
    ["time from resume to channel open p50 / p99", `${figures.reopenMsP50} / ${figures.reopenMsP99} ms`],
    ["channels not back after a resume (goal 0)", figures.notBackAfterResume],
    ["channel cuts", figures.channelCuts],
    ["played on over the WebSocket in the seat (goal: all)", figures.fallbacksInSeat],
    ["cut channels open again", figures.recovered],
    ["time from cut to channel open p50 / p99 / max", `${figures.recoverMsP50} / ${figures.recoverMsP99} / ${figures.recoverMsMax} ms`],
    ["cut channels not back (goal 0)", figures.notRecovered],
    ["channels that failed uncut", `${figures.failedUncut}${figures.failedUncut > 0 ? ` (${reasons})` : ""}`],
  ];
}

/** True when every datagram goal was met. */
export function channelGoalsMet(figures: ChannelFigures): boolean {
  return figures.notBackAfterResume === 0 && figures.notRecovered === 0 && figures.fallbacksInSeat === figures.channelCuts;
}

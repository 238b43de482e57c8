import { join } from "node:path";
import { hashWorld } from "../../shared/hash.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import { recordPlayer, ReplayWriter, snapshotWorld, type WorldSnapshot } from "../../shared/replay.ts";
import type { ReplayRules } from "../../shared/replayFormat.ts";
import type { LagCompensation, PlayerState, WorldEvent, WorldState } from "../../shared/worldState.ts";
import type { Log } from "../log.ts";
import { recordingPieces, sealRecording, type SealedRecording } from "./recordingSeal.ts";
import { RecordingSpool } from "./recordingSpool.ts";
import { RecordingTick } from "./recordingTick.ts";
import type { RecordedMatch, SavedRecording } from "./recordedMatch.ts";

export type { RecordedMatch, SavedRecording } from "./recordedMatch.ts";

/** State hashes every 30 s of recorded play, to locate where a replay diverges. */
const CHECKPOINT_SECONDS = 30;

/**
 * A recording holds at most about this much of its match in memory; the rest
 * waits in a RecordingSpool. 64 kB is about five seconds of a full room in a
 * fight (the load test's rooms record 14 kB a second): every room of a server
 * holds up to this much at any time, so it counts in the memory each player
 * costs, while a background append to a file every few seconds costs nothing
 * measurable.
 */
const HELD_BYTES = 1 << 16;

export interface MatchRecorderOptions {
  /** Folder the replay files go to (REPLAY_DIR); none: no files. */
  dir?: string;
  rules: ReplayRules;
  log: Log;
  /** Takes every complete match (results and recording) for the player records; must not block (see `server/players/`). */
  sink?: (match: RecordedMatch) => void;
  /**
   * Whether the sink wants the recording (default true). Without it and
   * without `dir`, ticks are not recorded at all: only who played, for whom,
   * and how the match ended.
   */
  sinkReplays?: boolean;
  /** The profile a seated player plays for, asked once when the recording first sees the player. */
  profileOf?: (playerId: string) => string | undefined;
  /** Bytes of a match held in memory before they go to a spool file (default 64 kB; tests lower it). */
  holdBytes?: number;
}

/**
 * Records every match a room plays (`shared/replay.ts`): from a match's start
 * (or the room's creation) to its end, what the room's step took from outside
 * the rules: who joined, left or lost the connection, each tick's applied
 * inputs (people's as received, bots' as their brain decided), and lag
 * compensation's answers. At the match's end (or when the room closes
 * mid-match) the file is written and the room's final state hash logged
 * ("match recorded"); `npm run replay -- FILE` reproduces that hash.
 *
 * The room calls `beforeStep`, steps with `lagCompensation(...)`, then calls
 * `afterStep`, every tick.
 */
export class MatchRecorder {
  private readonly options: MatchRecorderOptions;
  private readonly state: WorldState;
  private readonly roomId: () => string;
  private writer: ReplayWriter | undefined;
  /** The current match's ticks handed over by the writer, once there are enough to hand over. */
  private spool: RecordingSpool | undefined;
  private start: WorldSnapshot | undefined;
  private startedAt = new Date();
  /** Players as the recording knows them: id → connected. */
  private readonly known = new Map<string, boolean>();
  /** Players who left since the last tick, as they were (see `left`). */
  private readonly leftSinceTick = new Map<string, PlayerState>();
  /** Players as the match record knows them: id → tick first seen and profile. */
  private readonly seated = new Map<string, { sinceTick: number; profileId: string | undefined }>();
  private readonly checkpoints: string[] = [];
  /** The world at each checkpoint, so that a re-run names the field where it parts from the recording. */
  private readonly snapshots: WorldSnapshot[] = [];
  /** False for a recording carried on from a release that kept no snapshots: its file then keeps none. */
  private keepSnapshots = true;
  /** The tick being recorded, reused from tick to tick. */
  private readonly current = new RecordingTick();
  /** Players present this tick, reused. */
  private readonly present = new Set<string>();
  private readonly checkpointEvery: number;
  /** False when nobody wants the recording: inputs and lag compensation's answers are then not kept. */
  private readonly keepTicks: boolean;

  /** Starts recording at once, or carries on `saved` (the recording of a room that moved here). */
  constructor(state: WorldState, roomId: () => string, options: MatchRecorderOptions, saved?: SavedRecording) {
    this.state = state;
    this.roomId = roomId;
    this.options = options;
    this.checkpointEvery = CHECKPOINT_SECONDS * options.rules.tickHz;
    this.keepTicks = options.dir !== undefined || (options.sink !== undefined && options.sinkReplays !== false);
    if (saved) this.resume(saved);
    else this.begin();
  }

  /**
   * The recording under way, for the room's new home (the ticks handed to the
   * spool included); undefined between matches. The room steps no more while
   * this waits for the spool's writes.
   */
  async save(): Promise<SavedRecording | undefined> {
    const { writer, start, spool } = this;
    if (!writer || !start) return undefined;
    let spooled: Uint8Array = new Uint8Array(0);
    try {
      if (spool) spooled = await spool.contents();
    } catch (error) {
      // The room moves all the same; only its recording is lost.
      this.options.log.error("match recording lost", { roomId: this.roomId(), matchNumber: start.matchNumber, error });
      return undefined;
    }
    const { body: held, roster, ticks, version } = writer.save();
    const body = Buffer.concat([spooled, held]);
    return {
      start, startedAt: this.startedAt.getTime(), body: body.toString("base64"), roster, ticks, version,
      known: [...this.known], seated: [...this.seated], checkpoints: [...this.checkpoints],
      snapshots: this.keepSnapshots ? [...this.snapshots] : undefined,
    };
  }

  /** The room moved away: its new home writes the recording, this copy never does. */
  abandon(): void {
    this.writer = undefined;
    void this.spool?.discard();
    this.spool = undefined;
  }

  private resume(saved: SavedRecording): void {
    this.start = saved.start;
    this.writer = new ReplayWriter(saved.start, { body: new Uint8Array(Buffer.from(saved.body, "base64")), roster: saved.roster, ticks: saved.ticks, version: saved.version });
    this.startedAt = new Date(saved.startedAt);
    for (const [id, connected] of saved.known) this.known.set(id, connected);
    for (const [id, seat] of saved.seated) this.seated.set(id, seat);
    this.checkpoints.push(...saved.checkpoints);
    if (saved.snapshots) this.snapshots.push(...saved.snapshots);
    else this.keepSnapshots = false;
  }

  /** Notes the roster changes since the last tick and this tick's inputs (copied: the room reuses its buffers). */
  beforeStep(inputs: ReadonlyMap<string, readonly PlayerInput[]>): void {
    if (!this.writer) return;
    const { current: tick, present } = this;
    present.clear();
    this.state.players.forEach((player, id) => {
      present.add(id);
      const connected = this.known.get(id);
      if (connected === undefined) {
        tick.changes.push({ type: "join", id, player: recordPlayer(player) });
        this.seat(id);
      }
      else if (connected !== player.connected) tick.changes.push({ type: player.connected ? "reconnected" : "disconnected", id });
      this.known.set(id, player.connected);
    });
    for (const id of this.known.keys()) {
      if (present.has(id)) continue;
      tick.changes.push({ type: "leave", id });
      this.known.delete(id);
      tick.forget(id);
    }
    if (!this.keepTicks) return;
    inputs.forEach((queue, id) => {
      if (queue.length > 0) tick.setInputs(id, queue);
    });
  }

  /** The room's lag compensation, with every answer it gives the step recorded. */
  lagCompensation(inner: LagCompensation): LagCompensation {
    if (!this.keepTicks) return inner;
    return {
      viewLagMs: (id, input, index) => {
        const lagMs = inner.viewLagMs(id, input, index);
        this.current.setLag(id, index, lagMs);
        return lagMs;
      },
      positionAt: (targetId, target, lagMs, out) => {
        inner.positionAt(targetId, target, lagMs, out);
        this.current.addRewound(out.x, out.y);
        return out;
      },
    };
  }

  /** Appends the tick; ends the recording at a match's end and starts the next one at a match's start. */
  afterStep(events: readonly WorldEvent[]): void {
    this.leftSinceTick.clear();
    if (this.writer && this.keepTicks) {
      this.writer.addTick(this.current);
      if (this.writer.ticks % this.checkpointEvery === 0) {
        this.checkpoints.push(hashWorld(this.state));
        if (this.keepSnapshots) this.snapshots.push(snapshotWorld(this.state));
      }
      if (this.writer.heldBytes >= (this.options.holdBytes ?? HELD_BYTES)) (this.spool ??= new RecordingSpool()).append(this.writer.takeBody());
    }
    this.current.clear();
    for (const event of events) {
      if (event.type === "matchEnd") this.finish(true);
      else if (event.type === "matchStart") this.begin();
    }
  }

  /** The room is closing: a match in progress is written as it stands. */
  close(): Promise<void> {
    return this.finish(false);
  }

  private begin(): void {
    this.start = snapshotWorld(this.state);
    this.writer = new ReplayWriter(this.start);
    this.startedAt = new Date();
    this.known.clear();
    this.seated.clear();
    this.state.players.forEach((player, id) => {
      this.known.set(id, player.connected);
      this.seat(id);
    });
    this.checkpoints.length = 0;
    this.snapshots.length = 0;
    this.keepSnapshots = true;
  }

  private async finish(complete: boolean): Promise<void> {
    const { writer, start, spool } = this;
    this.writer = undefined;
    this.spool = undefined;
    if (!writer || !start || this.state.tick === start.tick) return;
    const roomId = this.roomId();
    const record = complete && this.options.sink ? this.matchRecord(roomId, start.matchNumber) : undefined;
    const compress = record !== undefined && this.options.sinkReplays !== false;
    if (!this.keepTicks || (!compress && !this.options.dir)) {
      void spool?.discard();
      if (record) this.options.sink!(record);
      return;
    }
    // Everything about the match is taken now, before any wait: the next match starts at once.
    const finalHash = hashWorld(this.recordedWorld());
    const header = {
      seed: this.state.seed, rules: this.options.rules, roomId, matchNumber: start.matchNumber, complete, start, finalHash,
      checkpoints: {
        everyTicks: this.checkpointEvery, hashes: [...this.checkpoints], ...(this.keepSnapshots ? { snapshots: [...this.snapshots] } : {}),
      },
    };
    const stamp = this.startedAt.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const file = this.options.dir ? `${stamp}-${roomId}-match${start.matchNumber}.replay` : undefined;
    let sealed: SealedRecording;
    try {
      const { head, rest } = writer.seal(header, spool?.length ?? 0);
      sealed = await sealRecording(recordingPieces(head, spool, rest), { file: file && join(this.options.dir!, file), compress });
    } catch (error) {
      this.options.log.error("match recording lost", { roomId, matchNumber: start.matchNumber, error });
      if (record) this.options.sink!(record);
      return;
    }
    if (record) this.options.sink!({ ...record, replay: sealed.replay });
    if (!file) return;
    if (sealed.fileError === undefined) this.options.log.info("match recorded", { roomId, matchNumber: start.matchNumber, file, ticks: writer.ticks, finalHash, complete });
    else this.options.log.error("match recording not written", { roomId, file, error: sealed.fileError });
  }

  /**
   * A player left between two ticks (its seat freed): kept as it was, since the
   * recording notes the leave only before the next tick, which a room closing
   * now never steps (the last person leaving closes it).
   */
  left(id: string, player: PlayerState): void {
    if (this.known.has(id)) this.leftSinceTick.set(id, recordPlayer(player));
  }

  /**
   * The world as the recording has it after its last tick: roster changes
   * since (a leave, a join, a lost connection) are noted only before the next
   * tick, so a room closing between ticks is hashed without them.
   */
  private recordedWorld(): WorldState {
    const players = new Map<string, PlayerState>();
    for (const [id, connected] of this.known) {
      const player = this.state.players.get(id) ?? this.leftSinceTick.get(id);
      if (player) players.set(id, { ...player, connected });
    }
    return { ...this.state, players };
  }

  private seat(id: string): void {
    if (!this.seated.has(id)) this.seated.set(id, { sinceTick: this.state.tick, profileId: this.options.profileOf?.(id) });
  }

  private matchRecord(roomId: string, matchNumber: number): RecordedMatch {
    const players: RecordedMatch["players"] = [];
    this.state.players.forEach((player, id) => {
      const seat = this.seated.get(id);
      const ticks = this.state.tick - (seat?.sinceTick ?? this.state.tick);
      players.push({ player: { ...player }, profileId: seat?.profileId, secondsPlayed: Math.max(0, Math.round(ticks / this.options.rules.tickHz)) });
    });
    return { roomId, seed: this.state.seed, matchNumber, startedAt: this.startedAt.getTime(), endedAt: Date.now(), players };
  }
}


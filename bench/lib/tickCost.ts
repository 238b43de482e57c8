/**
 * What one tick of a busy room costs the server, measured in-process with
 * `performance.now()` around each part: 16 bot players and about 100
 * projectiles in flight (topped up before each tick by extra shots from
 * random players, outside the timed part). The game is played once on plain
 * objects, the shared bot brain deciding every input, and recorded; the
 * recording is then replayed on each world in its own pass (so that each pays
 * only for its own garbage):
 *   - plain objects: `stepWorld` alone (what the headless runner steps);
 *   - Arena's room: the step on its plain world, then what the room does
 *     after every tick: the world published into the schema state
 *     (`StateMirror.publish`) and the patch encode, as Colyseus'
 *     SchemaSerializer does it for Arena: the shared changes once
 *     (`Encoder.encode`), then each player's StateView (its private fields,
 *     `encodeView`), then `discardChanges`, and the same for the unreliable
 *     channel (`encodeUnreliable`, `encodeUnreliableView`);
 *   - the plain-schema baseline's state (`number` fields), with its encode
 *     (and, untimed, the same with `float64` fields, for its patch size);
 *   - the seeds' server: the plain step, then `JSON.stringify` of the full state.
 * Each timed pass runs `repetitions` times, interleaved, and the repetition
 * with the lowest p99 is reported: on a shared or virtual machine, other work
 * preempting the loop only ever adds time. Every world must end in the same
 * state (`hashWorld`); the result says whether it did. Lag compensation is off
 * (the room's rewind lookups are not included), and so is everything after
 * the encode (sending to sockets).
 */
import { Encoder, StateView } from "@colyseus/schema";
import { hashWorld } from "../../shared/hash.ts";
import { stepWorld } from "../../shared/world.ts";
import type { WorldEvent, WorldState } from "../../shared/worldState.ts";
import { makeRules } from "../../shared/rules.ts";
import { botRoster, createSimulationWorld } from "../../shared/simulation.ts";
import { ArenaState } from "../../server/schema/ArenaState.ts";
import { copyWorldToSchema, PLAIN_FLOAT64, PLAIN_NUMBER } from "../baseline/plainSchema.ts";
import { seedsStateMessage } from "../baseline/seedsServer.ts";
import { percentile } from "./report.ts";
import { arenaMirror, fire, recordGame, type Game, type RecordedTick, type Roster } from "./tickRecording.ts";

export interface TickCostOptions {
  /** Measured ticks (after `warmUpTicks` unmeasured ones). */
  ticks: number;
  warmUpTicks: number;
  players: number;
  /** Projectiles kept in flight (at least). */
  projectiles: number;
  seed: number;
  tickHz: number;
  /** Each world's pass is run this many times, interleaved; the one with the lowest p99 tick is reported (3). */
  repetitions?: number;
  onProgress?: (line: string) => void;
}

/** Per-tick times of one part, microseconds; `ticksPerSecond` = ticks / total time of the part. */
export interface TickTimes {
  p50Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  ticksPerSecond: number;
}

export interface TickCostResult {
  ticks: number;
  repetitions: number;
  players: number;
  /** Projectiles in flight after each step, on average. */
  meanProjectiles: number;
  /** `stepWorld` on plain objects. */
  plainStep: TickTimes;
  /** `stepWorld` on Arena's room world (plain objects). */
  arenaStep: TickTimes;
  /** What follows the step in Arena's room: publishing into the schema state, and the patch encode (shared changes and every player's view). */
  arenaEncode: TickTimes;
  /** Step + encode: a server tick's work before the bytes go to the sockets. */
  arenaTick: TickTimes;
  /** Arena's patch size per tick and client, bytes (shared changes plus the client's view, reliable and unreliable; before the 8-byte timing prefix and framing). */
  arenaPatchBytes: number;
  plainSchemaTick: TickTimes;
  plainSchemaPatchBytes: number;
  /** The same state with `t.float64()` for every number (patch size only). */
  float64PatchBytes: number;
  /** `stepWorld` + `JSON.stringify` of the full state: the seeds' server tick. */
  seedsTick: TickTimes;
  seedsStateBytes: number;
  /** The 16 bots' decisions for one tick (the shared brain), for scale. */
  botBrain: TickTimes;
  /** True when every world ended in the same state (hashWorld). */
  sameState: boolean;
}

export function measureTickCost(options: TickCostOptions): TickCostResult {
  const rules = makeRules({ tickHz: options.tickHz, matchSeconds: 3600 });
  const roster = botRoster(options.seed, options.players);
  const repetitions = Math.max(1, options.repetitions ?? 3);
  const game = { rules, roster, seed: options.seed, warmUpTicks: options.warmUpTicks };
  const show = (pass: string) => options.onProgress?.(`tick cost: ${pass}, ${options.warmUpTicks + options.ticks} ticks`);

  show("recording the game on plain objects");
  const { recording, botBrain, projectileSum, hash } = recordGame(game, options.warmUpTicks + options.ticks, options.projectiles);
  let sameState = true;
  const runs: Record<"plain" | "arena" | "plainSchema" | "seeds", Pass[]> = { plain: [], arena: [], plainSchema: [], seeds: [] };
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    for (const [name, run] of [
      ["plain", () => replayPlain(game, recording)],
      ["arena", () => replayArena(game, recording)],
      ["plainSchema", () => replaySchema(game, recording, PLAIN_NUMBER)],
      ["seeds", () => replaySeeds(game, recording)],
    ] as const) {
      show(`${name}, repetition ${repetition}/${repetitions}`);
      const pass = run();
      sameState &&= pass.hash === hash;
      runs[name].push(pass);
    }
  }
  const float64Schema = replaySchema(game, recording, PLAIN_FLOAT64);
  sameState &&= float64Schema.hash === hash;

  // Noise only ever adds time: of the repetitions, the one with the lowest p99 tick is the code's own cost.
  const best = (passes: Pass[]) => passes.reduce((a, b) => (percentile(b.tick, 0.99) < percentile(a.tick, 0.99) ? b : a));
  const plain = best(runs.plain);
  const arena = best(runs.arena);
  const plainSchema = best(runs.plainSchema);
  const seeds = best(runs.seeds);
  const perTick = (sum: number) => Math.round(sum / options.ticks);
  return {
    ticks: options.ticks,
    repetitions,
    players: options.players,
    meanProjectiles: perTick(projectileSum),
    plainStep: summarise(plain.tick),
    arenaStep: summarise(arena.step),
    arenaEncode: summarise(arena.encode),
    arenaTick: summarise(arena.tick),
    arenaPatchBytes: perTick(arena.bytes),
    plainSchemaTick: summarise(plainSchema.tick),
    plainSchemaPatchBytes: perTick(plainSchema.bytes),
    float64PatchBytes: perTick(float64Schema.bytes),
    seedsTick: summarise(seeds.tick),
    seedsStateBytes: perTick(seeds.bytes),
    botBrain: summarise(botBrain),
    sameState,
  };
}

/** One timed replay: per measured tick, the whole tick and (where there is one) its step and encode parts, ms. */
interface Pass {
  tick: number[];
  step: number[];
  encode: number[];
  /** Bytes sent per client, summed over the measured ticks. */
  bytes: number;
  /** `hashWorld` at the end. */
  hash: string;
}

const newPass = (): Pass => ({ tick: [], step: [], encode: [], bytes: 0, hash: "" });

/** `stepWorld` on plain objects. */
function replayPlain(game: Game, recording: readonly RecordedTick[]): Pass {
  const world = createSimulationWorld(game.seed, game.rules, game.roster);
  return replay(game, recording, world, () => 0);
}

/**
 * Arena's room: the step on its plain world, then what the room does after
 * every tick: the world published into the schema state, and the patch encode.
 */
function replayArena(game: Game, recording: readonly RecordedTick[]): Pass {
  // With a patch every tick, as the room runs by default (the last-write repeats follow the patches).
  const mirror = arenaMirror(game, game.rules.tickHz);
  const encode = arenaPatchEncoder(mirror.state, game.roster);
  const tickMs = 1000 / game.rules.tickHz;
  return replay(game, recording, mirror.world, () => {
    mirror.publish(mirror.world.tick * tickMs);
    return encode();
  });
}

/** The plain-schema baseline's state (one number type everywhere), with its encode. */
function replaySchema(game: Game, recording: readonly RecordedTick[], classes: typeof PLAIN_NUMBER): Pass {
  const world = createSimulationWorld(game.seed, game.rules, game.roster);
  const state = new classes.State();
  const encoder = new Encoder(state);
  const tickMs = 1000 / game.rules.tickHz;
  const encode = () => {
    copyWorldToSchema(world, state, classes, Math.round(world.tick * tickMs));
    const patch = encoder.encode({ offset: 1 });
    encoder.discardChanges();
    return patch.byteLength;
  };
  encode(); // the joins
  return replay(game, recording, world, encode);
}

/** The seeds' server: the plain step, then the whole state as JSON. */
function replaySeeds(game: Game, recording: readonly RecordedTick[]): Pass {
  const world = createSimulationWorld(game.seed, game.rules, game.roster);
  return replay(game, recording, world, () => Buffer.byteLength(JSON.stringify(seedsStateMessage(world))));
}

/** Replays `recording` on `world`, timing each step and the `encode` after it (which returns the bytes per client). */
function replay(game: Game, recording: readonly RecordedTick[], world: WorldState, encode: () => number): Pass {
  const pass = newPass();
  const events: WorldEvent[] = [];
  recording.forEach((tick, n) => {
    fire(world, tick);
    const t0 = performance.now();
    stepWorld(world, tick.inputs, game.rules, events);
    const t1 = performance.now();
    const bytes = encode();
    const t2 = performance.now();
    events.length = 0;
    if (n < game.warmUpTicks) return;
    pass.step.push(t1 - t0);
    pass.encode.push(t2 - t1);
    pass.tick.push(t2 - t0);
    pass.bytes += bytes;
  });
  pass.hash = hashWorld(world);
  return pass;
}

function summarise(samples: readonly number[]): TickTimes {
  const total = samples.reduce((sum, ms) => sum + ms, 0);
  const us = (ms: number) => Math.round(ms * 10_000) / 10;
  return {
    p50Us: us(percentile(samples, 0.5)),
    p99Us: us(percentile(samples, 0.99)),
    maxUs: us(Math.max(...samples)),
    meanUs: us(total / samples.length),
    ticksPerSecond: Math.round(samples.length / (total / 1000)),
  };
}

/**
 * Arena's patch, as the room sends it: each player has a StateView holding its
 * own player (as ArenaRoom seats players); per tick the shared changes are
 * encoded once and each view's on top, then the same for the unreliable
 * channel (positions and facing) when anything on it changed. Returns the
 * bytes per client: both frames, each with its protocol byte, the unreliable
 * one with its 2-byte number (not the reliable one's 8-byte timing prefix).
 */
function arenaPatchEncoder(arena: ArenaState, roster: Roster): () => number {
  const encoder = new Encoder(arena);
  const views = roster.map(({ id }) => {
    const view = new StateView();
    view.add(arena.players.get(id)!);
    return view;
  });
  const encode = () => {
    const it = { offset: 1 };
    encoder.encode(it);
    const sharedOffset = it.offset;
    let bytes = 0;
    for (const view of views) bytes += encoder.encodeView(view, sharedOffset, it).byteLength;
    encoder.discardChanges();
    if (encoder.hasUnreliableChanges) {
      const unreliable = { offset: 3 };
      encoder.encodeUnreliable(unreliable);
      const unreliableOffset = unreliable.offset;
      for (const view of views) bytes += encoder.encodeUnreliableView(view, unreliableOffset, unreliable).byteLength;
      encoder.discardUnreliableChanges();
    }
    return bytes / views.length;
  };
  // The joins are in the first patch, as they would be for clients already connected.
  encode();
  return encode;
}

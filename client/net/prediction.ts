import type { InputHandle, Room } from "@colyseus/sdk";
import { Predict, type Reconciler } from "@colyseus/sdk/predict";
import { DEFAULT_TICK_HZ } from "../../shared/constants.ts";
import { stepPlayer } from "../../shared/player.ts";
import type { ArenaView, OwnPlayerView, PlayerBodyView, PlayerInput, PlayerView } from "../../shared/protocol.ts";
import type { ArenaMap } from "../../shared/map.ts";
import { makeRules, type MatchRules } from "../../shared/rules.ts";
import { AdaptiveInterpolation, TELEPORT_DISTANCE } from "./interpolation.ts";
import { NewestSnapshot } from "./newestSnapshot.ts";
import { ProjectileDisplay } from "./projectiles.ts";
import { roomMap, type RoomView } from "./roomMode.ts";

/**
 * Inputs each packet carries: the newest and the three before it. Inputs go
 * with Colyseus' redundant ring (`mode: "unreliable"`), so over datagrams a
 * lost packet costs nothing while one of the next three arrives; over the
 * WebSocket the ring travels reliably, as everything there does.
 */
export const INPUT_HISTORY = 4;
/**
 * Every this many inputs, one carries every field whatever changed. The ring
 * sends what changed since the input before, so were all the packets that
 * carried a change lost (INPUT_HISTORY in a row), the server would keep the
 * old value until the field changed again; this bounds that to a quarter of
 * a second at 30 inputs a second.
 */
export const INPUT_REFRESH_EVERY = 8;

/** A room's input channel as Arena sends it: see INPUT_HISTORY. */
export function openInputs(room: Room): InputHandle<PlayerInput> {
  return room.input<PlayerInput>({ mode: "unreliable", historySize: INPUT_HISTORY });
}

/** What the input channel's staged input is besides its fields: a schema instance, which can mark a field to be sent again. */
interface RefreshableInput {
  setDirty(field: keyof PlayerInput): void;
}
const INPUT_FIELDS = ["moveX", "moveY", "aim", "fire"] as const satisfies readonly (keyof PlayerInput)[];

/**
 * What the player sees of a room ahead of or behind the server: its own
 * player predicted by the SDK's reconciler with the very `stepPlayer` the
 * server runs (so the server's answer equals the prediction to the bit:
 * it is checked against the own body, which arrives on the reliable channel
 * with the acknowledgement of the inputs that made it),
 * everyone else interpolated by the SDK's `Predict` with a delay that follows
 * the network, and the projectiles (the own ones predicted). It sends the
 * inputs too: one per fixed tick, each predicted at once.
 */
export class Prediction {
  /** Remote players' render delay, following the network. */
  readonly interpolation: AdaptiveInterpolation;
  /** Everyone's projectiles, the own ones predicted. */
  readonly projectiles: ProjectileDisplay;
  private readonly predict: Predict;
  private readonly room: Room;
  private readonly input: InputHandle<PlayerInput>;
  private reconciler: Reconciler<PlayerBodyView, PlayerInput> | undefined;
  /** The newest server time a state frame brought (see NewestSnapshot). */
  readonly snapshots: NewestSnapshot;
  /** The room's rules, made again only when the tick rate or the map changes. */
  private madeRules: MatchRules | undefined;

  constructor(room: Room, input: InputHandle<PlayerInput>) {
    this.room = room;
    this.input = input;
    this.snapshots = new NewestSnapshot(room);
    this.predict = Predict.get(room, { mode: "lerp", snap: TELEPORT_DISTANCE });
    // Default-shaped attachments follow the Predict's defaults, which the adaptive delay sets.
    this.predict.attachAll("players", { x: {}, y: {} });
    this.predict.attachAll("players", { aim: { angle: true } });
    const clock = {
      serverNow: () => room.clock.serverNow(),
      smoothedRtt: () => room.clock.smoothedRtt(),
      lastServerTime: () => this.snapshots.serverTime,
    };
    this.interpolation = new AdaptiveInterpolation(this.predict, clock, () => input.patchRate ?? 1000 / DEFAULT_TICK_HZ);
    this.projectiles = new ProjectileDisplay(
      this.predict, () => room.sessionId,
      () => this.rules.fireCooldownTicks,
      () => room.clock.serverNow(),
      () => this.rules.map,
    );
  }

  /**
   * The room's rules as this client knows them: the server's tick rate, and
   * the room's map (the large mode's is generated from the state's seed, which
   * arrives with the first state: until then, the arena's).
   */
  get rules(): MatchRules {
    const tickHz = this.input.tickRate ?? DEFAULT_TICK_HZ;
    const map: ArenaMap = roomMap(this.room.state as RoomView);
    if (this.madeRules?.tickHz !== tickHz || this.madeRules.map !== map) this.madeRules = makeRules({ tickHz, map });
    return this.madeRules;
  }

  /**
   * Once per rendered frame: advances the predictor and the interpolation and,
   * when `sending`, sends one input per fixed tick that is due, each predicted at
   * once. Returns how many inputs it sent.
   */
  update(now: number, controls: PlayerInput, sending: boolean): number {
    this.ensureReconciler();
    const steps = this.predict.tick(now);
    this.interpolation.onFrame(now);
    if (!sending) return 0;
    const data = this.input.data;
    for (let i = 0; i < steps; i++) {
      if (this.input.sentCount % INPUT_REFRESH_EVERY === 0) {
        for (const field of INPUT_FIELDS) (data as unknown as RefreshableInput).setDirty(field);
      }
      // Rounded to float32, the wire's precision, so the input predicted here is
      // bit for bit the one the server decodes (0.6 would arrive as 0.6000000238).
      data.moveX = Math.fround(controls.moveX);
      data.moveY = Math.fround(controls.moveY);
      data.aim = Math.fround(controls.aim);
      data.fire = controls.fire;
      this.input.send();
    }
    return steps;
  }

  /** Where to draw a player this frame: predicted for the own player, interpolated for the others. */
  playerPosition(id: string, player: PlayerView): { x: number; y: number; aim: number } {
    if (id === this.room.sessionId && this.reconciler) {
      return { x: this.reconciler.value("x"), y: this.reconciler.value("y"), aim: player.aim };
    }
    return { x: this.predict.value(player, "x"), y: this.predict.value(player, "y"), aim: this.predict.value(player, "aim") };
  }

  /** A new connection restarts input sequence numbers: the old prediction backlog goes. */
  reset(): void {
    this.reconciler?.reset();
    this.projectiles.reset();
    this.snapshots.reset();
  }

  /** The reconciler of the own player, once it is seated (the net graph reads its corrections). */
  get ownReconciler(): Reconciler<PlayerBodyView, PlayerInput> | undefined {
    return this.reconciler;
  }

  /** Reconciliations of the own player so far (each one compares the prediction with the server). */
  get reconcileCount(): number {
    return this.reconciler?.reconcileSeq ?? 0;
  }

  /** Size of the latest correction of the own player (world units; 0 when the prediction was exact). */
  get lastCorrection(): number {
    return this.reconciler?.lastCorrectionMag ?? 0;
  }

  dispose(): void {
    this.reconciler?.dispose();
    this.predict.dispose();
  }

  private ensureReconciler(): void {
    if (this.reconciler) return;
    const state = this.room.state as ArenaView;
    const body = (state.players?.get(this.room.sessionId) as OwnPlayerView | undefined)?.body;
    if (!body) return;
    this.reconciler = this.predict.reconciler(body, {
      input: this.input,
      fields: ["x", "y", "vx", "vy", "alive"],
      // Corrections larger than a teleport pop instead of easing in.
      snap: TELEPORT_DISTANCE,
      // Also switches on the correction telemetry (lastCorrectionMag) the net graph counts.
      warnOnDivergence: TELEPORT_DISTANCE,
      // The very function the server steps players with: prediction is exact.
      step: (ctx, predicted, command) => {
        stepPlayer(predicted, command, ctx.dt, this.rules.map);
        // Shots are shown once, when the input is first predicted, never again on replays.
        if (!ctx.isReplay) this.projectiles.onOwnStep(predicted, command, state.phase === "playing");
      },
    });
  }
}

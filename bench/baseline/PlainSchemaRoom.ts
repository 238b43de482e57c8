import { Room, type Client } from "@colyseus/core";
import { generatedName, cleanName } from "../../shared/names.ts";
import { hashString } from "../../shared/rng.ts";
import type { MatchRules } from "../../shared/rules.ts";
import { spawnPlayer } from "../../shared/spawning.ts";
import { createWorld, stepWorld } from "../../shared/world.ts";
import { newPlayer, type WorldEvent, type WorldState } from "../../shared/worldState.ts";
import { QueuedInputs } from "./inputQueue.ts";
import { copyWorldToSchema, plainSchemaOf, PLAIN_NUMBER, type PlainNumberType, type PlainState } from "./plainSchema.ts";

export interface PlainSchemaRoomOptions {
  rules: MatchRules;
  seed: number;
  maxPlayers: number;
  /** The number type of every numeric field (see plainSchema.ts); `number` by default. */
  numberType?: PlainNumberType;
}

/**
 * Baseline (c), "a plain Colyseus schema": Arena's game (the shared
 * `stepWorld`, same rules, tick and patch rate) in a Colyseus room written
 * the way a typical Colyseus game is: `number` fields everywhere (or `float64`),
 * inputs as an `"input"` message (`room.send`), applied as they come, and the
 * world copied into the schema field by field after every step (the setters
 * record what changed; projectiles move on the wire every tick). Not
 * product code: it exists so the benchmark can show what Arena's float32 and
 * small-integer fields and its input channel save.
 */
export class PlainSchemaRoom extends Room<{ state: PlainState }> {
  state: PlainState = new PLAIN_NUMBER.State();
  messages = {
    input: (client: Client, payload: unknown) => {
      if (this.state.players.has(client.sessionId)) this.queued.push(client.sessionId, payload);
    },
  };

  private rules!: MatchRules;
  private world!: WorldState;
  private classes = PLAIN_NUMBER;
  private readonly queued = new QueuedInputs();
  private readonly events: WorldEvent[] = [];

  onCreate(options: PlainSchemaRoomOptions) {
    this.rules = options.rules;
    this.classes = plainSchemaOf(options.numberType ?? "number");
    this.state = new this.classes.State();
    this.maxClients = options.maxPlayers;
    this.patchRate = 1000 / this.rules.tickHz;
    this.world = createWorld(options.seed, this.rules);
    this.setFixedTimestep(() => this.tick(), this.rules.tickHz);
  }

  onJoin(client: Client, options?: { name?: unknown }) {
    const player = newPlayer(cleanName(options?.name) ?? generatedName(hashString(client.sessionId)), this.world.players.size % 16);
    spawnPlayer(this.world, client.sessionId, player, this.rules);
    this.world.players.set(client.sessionId, player);
    this.copyToSchema();
  }

  onLeave(client: Client) {
    this.world.players.delete(client.sessionId);
    this.copyToSchema();
    this.queued.forget(client.sessionId);
  }

  private tick(): void {
    stepWorld(this.world, this.queued.forTick(), this.rules, this.events);
    this.queued.clear();
    this.copyToSchema();
    for (const event of this.events) {
      if (event.type === "kill") this.broadcast("kill", { killer: event.killer, victim: event.victim });
    }
    this.events.length = 0;
  }

  private copyToSchema(): void {
    copyWorldToSchema(this.world, this.state, this.classes, Math.round(this.clock.elapsedTime));
  }
}

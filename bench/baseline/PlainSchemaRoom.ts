import { Room, type Client } from "@colyseus/core";
import { generatedName, cleanName } from "../../shared/names.ts";
import { hashString } from "../../shared/rng.ts";
import type { MatchRules } from "../../shared/rules.ts";
import { spawnPlayer, startMatch, stepWorld, type ProjectileState, type WorldEvent } from "../../shared/world.ts";
import { QueuedInputs } from "./inputQueue.ts";
import { plainSchemaOf, PLAIN_NUMBER, type PlainNumberType, type PlainState } from "./plainSchema.ts";

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
 * inputs as an `"input"` message (`room.send`), applied as they come. Not
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
  private classes = PLAIN_NUMBER;
  private readonly queued = new QueuedInputs();
  private readonly events: WorldEvent[] = [];

  onCreate(options: PlainSchemaRoomOptions) {
    this.rules = options.rules;
    this.classes = plainSchemaOf(options.numberType ?? "number");
    this.state = new this.classes.State();
    this.maxClients = options.maxPlayers;
    this.patchRate = 1000 / this.rules.tickHz;
    this.state.seed = options.seed;
    startMatch(this.state, this.rules);
    this.setFixedTimestep(() => this.tick(), this.rules.tickHz);
  }

  onJoin(client: Client, options?: { name?: unknown }) {
    const player = new this.classes.Player({
      name: cleanName(options?.name) ?? generatedName(hashString(client.sessionId)),
      color: this.state.players.size % 16,
    });
    spawnPlayer(this.state, client.sessionId, player, this.rules);
    this.state.players.set(client.sessionId, player);
  }

  onLeave(client: Client) {
    this.state.players.delete(client.sessionId);
    this.queued.forget(client.sessionId);
  }

  private tick(): void {
    stepWorld(this.state, this.queued.forTick(), this.rules, this.makeProjectile, this.events);
    this.queued.clear();
    for (const event of this.events) {
      if (event.type === "kill") this.broadcast("kill", { killer: event.killer, victim: event.victim });
    }
    this.events.length = 0;
  }

  private readonly makeProjectile = (init: ProjectileState) =>
    new this.classes.Projectile({ ...init, bornMs: Math.round(this.clock.elapsedTime) });
}

import { botInput, botViewOf, botRandom, newBotMemory, type BotMemory } from "../../shared/bot.ts";
import type { PlayerInput } from "../../shared/protocol.ts";
import type { MatchRules } from "../../shared/rules.ts";
import type { WorldState } from "../../shared/worldState.ts";
import type { Seats } from "./seats.ts";

/** A room's bots as plain data: which players are bots, what each has in mind, and the id counter. */
export interface SavedBots {
  serial: number;
  memories: Array<[string, BotMemory]>;
}

const BOT_NAMES = ["Bot Ada", "Bot Bix", "Bot Cog", "Bot Dot", "Bot Eko", "Bot Fizz", "Bot Gear", "Bot Hex"];

/**
 * Server-side bots that keep a room from feeling empty: while fewer than
 * `minPlayers` people play, bots fill the difference; each person who joins
 * takes a bot's place. Bots are ordinary players in the state (marked `bot`),
 * driven every tick by the shared bot brain from what they can see.
 */
export class RoomBots {
  private readonly memories = new Map<string, BotMemory>();
  private serial = 0;
  private readonly world: WorldState;
  private readonly seats: Seats;
  private readonly rules: MatchRules;
  private readonly minPlayers: number;

  constructor(world: WorldState, seats: Seats, rules: MatchRules, minPlayers: number) {
    this.world = world;
    this.seats = seats;
    this.rules = rules;
    this.minPlayers = minPlayers;
  }

  get count(): number {
    return this.memories.size;
  }

  has(sessionId: string): boolean {
    return this.memories.has(sessionId);
  }

  /**
   * Adds or removes bots so that people plus bots reach `minPlayers` (never
   * beyond the player seats), or no bots at all when nobody is playing.
   * Returns the names of the bots that joined and left, for the chat.
   */
  balance(): { joined: string[]; left: string[] } {
    const people = this.seats.playerCount - this.count;
    const wanted = people === 0 ? 0 : Math.max(0, Math.min(this.minPlayers, this.seats.maxPlayers) - people);
    const joined: string[] = [];
    const left: string[] = [];
    while (this.count > wanted) left.push(this.removeOne());
    while (this.count < wanted && this.seats.playerCount < this.seats.maxPlayers) joined.push(this.addOne());
    return { joined, left };
  }

  /** The bots' minds and the name counter, for a move to another process (`restore` there). */
  save(): SavedBots {
    return { serial: this.serial, memories: [...this.memories].map(([id, memory]) => [id, { ...memory }]) };
  }

  /** Takes the bots over from `saved` (their players are already in the world). */
  restore(saved: SavedBots): void {
    this.serial = saved.serial;
    this.memories.clear();
    for (const [id, memory] of saved.memories) this.memories.set(id, { ...memory });
  }

  /** Frees a seat for a person by sending one bot home; false when there is no bot. */
  makeRoom(): string | undefined {
    return this.count > 0 ? this.removeOne() : undefined;
  }

  /** This tick's input for every bot, from the shared brain. */
  think(into: Map<string, PlayerInput[]>): void {
    for (const [id, memory] of this.memories) {
      if (!this.world.players.has(id)) continue;
      const random = botRandom(this.world.seed, this.world.tick, id);
      into.set(id, [botInput(botViewOf(this.world, id, this.rules), memory, random)]);
    }
  }

  private addOne(): string {
    const id = `bot-${++this.serial}`;
    const name = this.freeName();
    this.seats.seatPlayer(id, name, true);
    this.memories.set(id, newBotMemory());
    return name;
  }

  /** The first bot name nobody in the room has; past the list, the names again with a number ("Bot Ada 2"). */
  private freeName(): string {
    const taken = new Set<string>();
    this.world.players.forEach((player) => taken.add(player.name));
    for (let round = 1; ; round++) {
      const free = BOT_NAMES.map((name) => (round === 1 ? name : `${name} ${round}`)).find((name) => !taken.has(name));
      if (free) return free;
    }
  }

  private removeOne(): string {
    const id = [...this.memories.keys()].pop()!;
    this.memories.delete(id);
    return this.seats.free(id)?.name ?? id;
  }
}

/**
 * Fixtures for the bot brain: the view a bot gets of a plain world, and an
 * input script that lets `botInput` drive chosen players of a world.
 */
import { botInput, botRandom, botViewOf, DEFAULT_BOT_SKILL, newBotMemory, type BotMemory, type BotSkill, type BotView } from "../../shared/bot.ts";
import type { WorldState } from "../../shared/worldState.ts";
import type { MatchRules } from "../../shared/rules.ts";
import type { InputScript } from "./sim.ts";

/** What bot `id` sees of `world`; `tick` defaults to the world's. */
export function botView(world: WorldState, id: string, rules: MatchRules, tick = world.tick): BotView {
  return { ...botViewOf(world, id, rules), tick };
}

/**
 * Bots for the players in `ids` (every player when omitted), each with its own
 * memory and `botRandom(seed, tick, id)`; other players send nothing.
 * The memories are exposed so tests can look into the bots' minds.
 */
export function botScript(
  world: WorldState, rules: MatchRules, seed: number, ids?: readonly string[], skill: BotSkill = DEFAULT_BOT_SKILL,
): InputScript & { memories: Map<string, BotMemory> } {
  const memories = new Map<string, BotMemory>();
  const script = (id: string) => {
    if (ids && !ids.includes(id)) return undefined;
    let memory = memories.get(id);
    if (!memory) memories.set(id, (memory = newBotMemory()));
    return botInput(botView(world, id, rules), memory, botRandom(seed, world.tick, id), skill);
  };
  return Object.assign(script, { memories });
}

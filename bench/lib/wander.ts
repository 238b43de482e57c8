import type { Room } from "@colyseus/sdk";
import type { PlayerInput } from "../../shared/protocol.ts";

/**
 * One tick of the chaos runs' crowd: a bot wanders, turning about once a
 * second (3 % a tick), fires a fifth of the ticks, and sends its input.
 * `input` is the bot's own, kept between ticks; `random` is the run's seeded one.
 */
export function sendWanderingInput(room: Room, input: PlayerInput, random: () => number): void {
  if (random() < 0.03) {
    const heading = random() * Math.PI * 2;
    input.moveX = Math.cos(heading);
    input.moveY = Math.sin(heading);
    input.aim = heading;
  }
  input.fire = random() < 0.2;
  const handle = room.input<PlayerInput>();
  Object.assign(handle.data, input);
  handle.send();
}
